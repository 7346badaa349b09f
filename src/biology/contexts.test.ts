import { describe, expect, it } from 'vitest';
import { compile } from '../compile/compile.js';
import { buildCell } from './contexts.js';
import { BiologyError } from './errors.js';
import { ghkCurrent } from './ghk.js';
import { parseExpr } from '../math/parser.js';
import { evaluate } from '../math/interpret.js';

describe('contexts', () => {
  it('assembles each context into one compilable model exposing the quantities other layers read', () => {
    for (const spec of [{ context: 'heterologous' as const }, { context: 'ca1' as const }, { context: 'vascular' as const }, { context: 'cardiac' as const }]) {
      const cell = buildCell(spec);
      const cm = compile(cell.model, { discontinuityRoots: false });
      for (const name of ['mem.V', 'ca.nano', 'ca.shell', 'ca.J_L', ...cell.lType.flatMap((c) => [`${c}.Po`, `${c}.P_open`, `${c}.P_resting`, `${c}.P_inactivated`, `${c}.I_Ca`])]) {
        expect(cm.symbols.index.has(name), `${spec.context}: ${name}`).toBe(true);
      }
    }
  });

  it('gives every parameter a unit and a source or an assumption', () => {
    for (const spec of [{ context: 'heterologous' as const, isoform: 'cav12' as const }, { context: 'ca1' as const }, { context: 'vascular' as const }, { context: 'cardiac' as const }]) {
      for (const p of buildCell(spec).model.parameters) {
        expect(p.unit, p.name).toBeTruthy();
        expect(Boolean(p.provenance?.source) !== Boolean(p.provenance?.assumption), `${p.name} needs exactly one of source/assumption`).toBe(true);
      }
    }
  });

  it('the aged preset doubles L-type density and nothing else', () => {
    const y = buildCell({ context: 'ca1', preset: 'young' }).model.parameters;
    const a = buildCell({ context: 'ca1', preset: 'aged' }).model.parameters;
    const diff = y.filter((p, i) => p.value !== a[i].value).map((p) => p.name);
    expect(diff.sort()).toEqual(['ca.ltype_scale_preset', 'cav12.scale', 'cav13.scale']);
    expect(a.find((p) => p.name === 'cav12.scale')!.value).toBe(2);
  });

  it('rejects unknown names and out-of-range values, naming the field', () => {
    expect(() => buildCell({ context: 'cortex' as never })).toThrow(/context.*unknown context 'cortex'/);
    expect(() => buildCell({ context: 'ca1', preset: 'old' })).toThrow(/preset.*'old'.*young, aged, ad/);
    expect(() => buildCell({ context: 'ca1', overrides: { 'cav12.gbar': 1 } })).toThrow(/cav12\.gbar.*unknown parameter path.*pbar/);
    expect(() => buildCell({ context: 'ca1', overrides: { 'kv7.gbar': 1 } })).toThrow(/kv7\.gbar.*no component 'kv7'/);
    expect(() => buildCell({ context: 'ca1', overrides: { 'naT.gbar': -1 } })).toThrow(/naT\.gbar.*outside the physical range/);
    expect(() => buildCell({ context: 'ca1', overrides: { 'ca.cb_total': -5 } })).toThrow(BiologyError);
    expect(() => buildCell({ context: 'ca1', scales: { cav13: -1 } })).toThrow(/scales\.cav13/);
    expect(() => buildCell({ context: 'ca1', scales: { leak: 0 } })).toThrow(/scales\.leak.*cannot be scaled/);
    expect(() => buildCell({ context: 'heterologous', carrier: { ion: 'Ba', mM: -2 } })).toThrow(/carrier\.mM/);
    expect(() => buildCell({ context: 'cardiac', isoform: 'cav13' })).toThrow(/isoform.*the cardiac context has Cav1\.2 only/);
    expect(() => buildCell({ context: 'cardiac', input: { clamp: 'current', steps: 1 } })).toThrow(/input\.clamp.*the cardiac context is voltage-clamped only/);
  });

  it('the cardiac context is a Cav1.2-only cell with the canine gating; the heterologous Cav1.2 keeps its own', () => {
    const value = (spec: Parameters<typeof buildCell>[0], name: string): number => buildCell(spec).model.parameters.find((p) => p.name === name)!.value;
    const cardiac = buildCell({ context: 'cardiac' });
    expect(cardiac.lType).toEqual(['cav12']);
    expect(value({ context: 'cardiac' }, 'cav12.hvhalf')).toBe(-12.5);
    expect(value({ context: 'cardiac' }, 'cav12.hslope')).toBe(5);
    expect(value({ context: 'heterologous', isoform: 'cav12' }, 'cav12.hvhalf')).toBe(-38);
    expect(value({ context: 'heterologous', isoform: 'cav12' }, 'cav12.hslope')).toBe(8);
    expect(value({ context: 'cardiac', carrier: { ion: 'Ca', mM: 2 } }, 'env.Ca_o')).toBe(2);
  });

  it('applies overrides and knock-outs', () => {
    const c = buildCell({ context: 'ca1', overrides: { 'cav13.pbar': 1e-6 }, scales: { cav13: 0 } });
    expect(c.model.parameters.find((p) => p.name === 'cav13.pbar')!.value).toBe(1e-6);
    expect(c.model.parameters.find((p) => p.name === 'cav13.scale')!.value).toBe(0);
  });
});

describe('GHK permeation', () => {
  const I = (v: number, ci: number, co: number): number =>
    evaluate(parseExpr(ghkCurrent(2, 'V', 'ci', 'co', 'T')), (n) => ({ V: v, ci, co, T: 22 })[n as 'V']!);
  it('is finite and continuous through 0 mV (the removable singularity is guarded)', () => {
    const a = I(-1e-6, 1e-4, 2);
    const b = I(0, 1e-4, 2);
    const c = I(1e-6, 1e-4, 2);
    expect(Number.isFinite(b)).toBe(true);
    expect(Math.abs(a - b)).toBeLessThan(1e-3 * Math.abs(b));
    expect(Math.abs(c - b)).toBeLessThan(1e-3 * Math.abs(b));
    // at V = 0 the current is z·F·(ci − co)
    expect(b).toBeCloseTo(2 * 96485.33212 * (1e-4 - 2), 6);
  });
  it('reverses at the Nernst potential', () => {
    const ci = 1e-4;
    const co = 2;
    const e = ((8.314462618 * 295.15) / (2 * 96.48533212)) * Math.log(co / ci);
    expect(Math.abs(I(e, ci, co))).toBeLessThan(1e-9 * Math.abs(I(0, ci, co)));
    expect(I(e - 10, ci, co)).toBeLessThan(0);
    expect(I(e + 10, ci, co)).toBeGreaterThan(0);
  });
});
