import { describe, expect, it } from 'vitest';
import { assumptionsOf, compoundPk, getCompound, ligandDoses, ligandOf, listCompounds, parseCompound, resolveCompound } from './library.js';
import { PharmacologyError } from './quantity.js';

const REQUIRED = ['nitrendipine', 'nifedipine', 'nimodipine', 'isradipine', 'bayk8644-s', 'bayk8644-r', 'bayk8644-rac', 'mem1003-plus', 'mem1003-minus', 'mem1003-rac'];

/** A valid substance record to mutate in the bad-input tests. */
const goodRecord = () => JSON.parse(JSON.stringify(getCompound('nitrendipine'))) as Record<string, unknown>;

describe('compound library', () => {
  it('holds every required compound, each with a source or an assumption on every number', () => {
    const ids = listCompounds().map((c) => c.id);
    for (const id of REQUIRED) expect(ids).toContain(id);
    // Walk each record: every object with a numeric `value` must carry exactly one provenance.
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.value === 'number') {
          expect(typeof o.unit, path).toBe('string');
          expect((o.source === undefined) !== (o.assumption === undefined), path).toBe(true);
        }
        for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`);
      }
    };
    for (const c of listCompounds()) walk(c, c.id);
  });

  it('gives MEM 1003 its published identity and dosing', () => {
    const plus = getCompound('MEM 1003');
    expect(plus.id).toBe('mem1003-plus');
    expect(plus.molecularWeight.value).toBe(432.9);
    const doses = plus.clinicalUse.map((u) => u.dose.value).sort((a, b) => a - b);
    expect(doses[0]).toBe(30);
    expect(doses[doses.length - 1]).toBe(180);
  });

  it('marks MEM 1003 potency and PK as assumptions, and lists them on resolution', () => {
    const r = resolveCompound('mem1003-rac');
    const fields = r.assumptions.map((a) => a.field);
    expect(fields).toContain('mem1003-plus.activity.binding.cav12.inactivated');
    expect(fields).toContain('mem1003-rac.pk.clearance');
    expect(fields.some((f) => f.startsWith('mem1003-minus.defaultVariant'))).toBe(true);
  });

  it('resolves the racemate into two competing enantiomers with the default (−) variant', () => {
    const r = resolveCompound('mem1003-rac');
    expect(r.components.map((c) => [c.substanceId, c.fraction])).toEqual([['mem1003-plus', 0.5], ['mem1003-minus', 0.5]]);
    const minus = r.components[1];
    expect(minus.variant).toBe('weaker-antagonist');
    expect(minus.ligand!.kd.cav12.inactivated).toBeCloseTo(r.components[0].ligand!.kd.cav12.inactivated * 4.1, 9);
  });

  it('lets the user choose the (−)-enantiomer activity', () => {
    const inactive = resolveCompound('mem1003-rac', { variants: { 'mem1003-minus': 'inactive' } });
    expect(inactive.components[1].ligand).toBeNull();
    const agonist = resolveCompound('mem1003-rac', { variants: { 'mem1003-minus': 'agonist' } });
    expect(agonist.components[1].ligand!.action).toBe('agonist');
    expect(agonist.components[1].ligand!.activationShift).toBe(-23);
    expect(() => resolveCompound('mem1003-rac', { variants: { 'mem1003-minus': 'partial' } })).toThrow(/variant 'partial'.*inactive, weaker-antagonist, agonist/);
    expect(() => resolveCompound('nimodipine', { variants: { 'mem1003-minus': 'agonist' } })).toThrow(/not part of nimodipine/);
  });

  it('converts units: kon from 1/M/s to 1/(nM·ms), Cav1.3 Kd from the Cav1.2 factor', () => {
    const l = resolveCompound('nitrendipine').components[0].ligand!;
    expect(l.kon).toBeCloseTo(1e6 * 1e-9 * 1e-3, 18);
    expect(l.kd.cav12.inactivated).toBeCloseTo(0.36, 12);
    expect(l.kd.cav13.resting).toBeCloseTo(700 * 3.5, 9);
    const rec = goodRecord();
    ((rec.activity as Record<string, Record<string, Record<string, Record<string, unknown>>>>).binding.cav12.resting) = { value: 0.7, unit: 'uM', source: 'test' };
    const parsed = parseCompound(rec);
    expect(parsed.kind).toBe('substance');
  });

  it('refuses bad records with the field named', () => {
    const noUnit = goodRecord();
    delete ((noUnit.activity as Record<string, Record<string, Record<string, Record<string, unknown>>>>).binding.cav12.inactivated).unit;
    expect(() => parseCompound(noUnit)).toThrow(/binding\.cav12\.inactivated\.unit/);
    const wrongDim = goodRecord();
    ((wrongDim.activity as Record<string, Record<string, Record<string, Record<string, unknown>>>>).binding.cav12.inactivated).unit = 'ms';
    const rec = parseCompound(wrongDim);
    expect(rec.kind).toBe('substance');
    expect(() => resolveFromRecord(rec)).toThrow(/cav12\.inactivated.*'ms'/);
    const noProv = goodRecord();
    delete ((noProv.molecularWeight as Record<string, unknown>).source);
    expect(() => parseCompound(noProv)).toThrow(/molecularWeight.*exactly one of "source" or "assumption"/);
    const badSum = JSON.parse(JSON.stringify(getCompound('bayk8644-rac'))) as { components: { fraction: { value: number } }[] };
    badSum.components[0].fraction.value = 0.6;
    expect(() => parseCompound(badSum)).toThrow(/components: fractions must sum to 1/);
    expect(() => getCompound('aspirin')).toThrow(PharmacologyError);
    expect(() => getCompound('aspirin')).toThrow(/compound: unknown compound 'aspirin'; known: nitrendipine/);
  });

  it('merges one substance reached through two compounds and splits racemates by fraction', () => {
    const doses = ligandDoses([
      { compound: 'bayk8644-rac', concentration_nM: 20 },
      { compound: 'bayk8644-s', concentration_nM: 5 },
      { compound: 'nimodipine', concentration_nM: 3 },
    ]);
    const byId = Object.fromEntries(doses.map((d) => [d.ligand.id, d.concentration_nM]));
    expect(byId).toEqual({ 'bayk8644-s': 15, 'bayk8644-r': 10, nimodipine: 3 });
    expect(() => ligandDoses([{ compound: 'nimodipine', concentration_nM: -1 }])).toThrow(/drugs\[0\]\.concentration_nM: concentration must not be negative/);
    expect(() => ligandDoses([{ compound: 'nimodipine', concentration_nM: Number('abc') }])).toThrow(/drugs\[0\]\.concentration_nM/);
  });

  it('gives nimodipine label PK in working units', () => {
    const p = compoundPk('nimodipine');
    expect(p.F).toBe(0.13);
    expect(p.CL).toBeCloseTo(1.4 * 70, 9);
    expect(p.fu).toBe(0.02);
    expect(() => compoundPk('nitrendipine')).toThrow(/nitrendipine\.pk: nitrendipine has no pharmacokinetic data/);
  });

  it('collects assumptions with field paths', () => {
    const notes = assumptionsOf({ a: { value: 1, unit: 'nM', assumption: 'why' }, b: [{ value: 2, unit: 'mV', source: 'x' }] }, 'r');
    expect(notes).toEqual([{ field: 'r.a', text: 'why' }]);
  });
});

/** Resolves a parsed record's ligand the way the library does. */
function resolveFromRecord(rec: ReturnType<typeof parseCompound>) {
  if (rec.kind !== 'substance' || !rec.activity) throw new Error('test expects a substance with activity');
  return ligandOf(rec, rec.activity, `${rec.id}.activity`);
}
