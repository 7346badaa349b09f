import { beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../model/errors.js';
import { type Ca1Key, type StudyResult, AD_TRIAL, firstCrossingBelow, interpolateLog, runStudy, therapeuticWindow } from './study.js';
import { baseSpec } from './dose-response.js';
import { ca1Readouts } from './pharmacology.js';
import { drugCell } from '../pharmacology/drug-cell.js';
import { type Ca1Point, type SignallingPoint, ca1Point } from './study-tasks.js';

describe('window arithmetic', () => {
  it('finds the first crossing by log-linear interpolation', () => {
    const pts = [{ c: 0, y: 1.6 }, { c: 10, y: 1.2 }, { c: 100, y: 0.8 }, { c: 1000, y: 0.4 }];
    // 1 is half-way from 1.2 to 0.8, i.e. half-way between 10 and 100 on the log axis.
    expect(firstCrossingBelow(pts, 1)!.c).toBeCloseTo(Math.sqrt(10 * 100), 9);
    expect(firstCrossingBelow(pts, 2)).toEqual({ c: 0, atOrBelow: false });
    expect(firstCrossingBelow(pts, 1.3)).toEqual({ c: 10, atOrBelow: true });
    expect(firstCrossingBelow(pts, 0.1)).toBeNull();
  });

  it('interpolates on the log axis and linearly towards the control below the lowest concentration', () => {
    const pts = [{ c: 0, y: 1 }, { c: 10, y: 0.8 }, { c: 1000, y: 0.2 }];
    expect(interpolateLog(pts, 100)).toBeCloseTo(0.5, 12);
    expect(interpolateLog(pts, 5)).toBeCloseTo(0.9, 12);
    expect(interpolateLog(pts, 1e6)).toBe(0.2);
    expect(interpolateLog(pts, 0)).toBe(1);
  });

  const rel = (load: number, pcreb: number): Readonly<Record<Ca1Key, number>> => ({ caLoad_uM_s: load, pcrebRise: pcreb, ahpArea_mV_s: load, cfosRise: pcreb, lTypeCharge_pC: load });
  const rows = [
    { concentration_nM: 0, relYoung: rel(1.6, 1.05) },
    { concentration_nM: 10, relYoung: rel(1.3, 1.0) },
    { concentration_nM: 100, relYoung: rel(0.9, 0.8) },
    { concentration_nM: 1000, relYoung: rel(0.5, 0.2) },
  ];
  const vrows = [{ concentration_nM: 0, iCaRel: 1 }, { concentration_nM: 100, iCaRel: 0.1 }];

  it('is an interval whose edges satisfy the definition, and shrinks as the pCREB fraction rises', () => {
    const w = therapeuticWindow('x', 'aged', 0.5, rows, vrows);
    expect(w.status).toBe('interval');
    expect(w.lower_nM!).toBeGreaterThan(10);
    expect(w.lower_nM!).toBeLessThan(100);
    expect(w.upper_nM!).toBeGreaterThan(100);
    expect(w.upper_nM!).toBeLessThan(1000);
    expect(interpolateLog(rows.map((r) => ({ c: r.concentration_nM, y: r.relYoung.caLoad_uM_s })), w.lower_nM!)).toBeCloseTo(1, 9);
    expect(interpolateLog(rows.map((r) => ({ c: r.concentration_nM, y: r.relYoung.pcrebRise })), w.upper_nM!)).toBeCloseTo(0.5, 9);
    const strict = therapeuticWindow('x', 'aged', 0.9, rows, vrows);
    expect(strict.upper_nM!).toBeLessThan(w.upper_nM!);
    expect(strict.status).toBe('empty');
  });

  it('is empty when the Ca²⁺ load never reaches the young level', () => {
    const high = rows.map((r) => ({ ...r, relYoung: rel(r.relYoung.caLoad_uM_s + 1, r.relYoung.pcrebRise) }));
    const w = therapeuticWindow('x', 'aged', 0.5, high, vrows);
    expect(w.status).toBe('empty');
    expect(w.lower_nM).toBeNull();
  });
});

describe('the CA1 point of the study', () => {
  it('reproduces the train and burst read-outs of ca1Readouts (same protocols, one compiled model)', () => {
    const c = 30;
    const ref = ca1Readouts(drugCell(baseSpec('ca1', undefined, 'aged'), ['mem1003-rac']), 'mem1003-rac', c);
    const mine = ca1Point('mem1003-rac', 'aged', c).values;
    // The study solves at rtol 1e-5 instead of 1e-6 and without a step limit: ≈1e-4 apart.
    expect(mine.lTypeCharge_pC).toBeCloseTo(ref.lTypeCharge_pC, 3);
    expect(mine.caLoad_uM_s / ref.caLoad_uM_s).toBeCloseTo(1, 3);
    expect(mine.ahpArea_mV_s / ref.ahpArea_mV_s).toBeCloseTo(1, 3);
    expect(mine.occupancy).toBeCloseTo(ref.occupancy, 6);
    expect(mine.trainSpikes).toBe(ref.trainSpikes);
  }, 60_000);
});

describe('bad options are refused before anything is simulated', () => {
  it('names the field', async () => {
    await expect(runStudy({ pcrebFraction: 0 })).rejects.toThrow(/pcrebFraction/);
    await expect(runStudy({ compounds: ['nope'] })).rejects.toThrow(ModelError);
    await expect(runStudy({ concentrations_nM: [10, -1] })).rejects.toThrow(/concentrations_nM\[1\]/);
    await expect(runStudy({ presets: ['aged'] })).rejects.toThrow(/young/);
    await expect(runStudy({ compounds: ['nimodipine'] })).rejects.toThrow(/trial compound/);
    await expect(runStudy({ variantComparison: { compound: 'nimodipine' } })).rejects.toThrow(/variantComparison\.compound.*no substance/);
    await expect(runStudy({ compounds: ['mem1003-plus'], variantComparison: { compound: 'mem1003-rac' } })).rejects.toThrow(/not one of the study's compounds/);
    await expect(runStudy({ variantComparison: { concentrations_nM: [0, 10] } })).rejects.toThrow(/variantComparison\.concentrations_nM\[0\]/);
  });
});

describe('a reduced study ((+)-MEM 1003 and nimodipine, three concentrations)', () => {
  let r: StudyResult;
  beforeAll(async () => {
    r = await runStudy({
      compounds: ['mem1003-plus', 'nimodipine'],
      concentrations_nM: [10, 100, 1000],
      vascularConcentrations_nM: [0.1, 1, 10, 100],
      workers: 1,
    });
  }, 120_000);

  const series = (compound: string, preset: string, key: keyof Ca1Point | keyof SignallingPoint): number[] =>
    r.ca1.filter((x) => x.compound === compound && x.preset === preset).sort((a, b) => a.concentration_nM - b.concentration_nM).map((x) => x[key]);

  it('has one row per compound, preset and concentration (control included), plus the edge refinements in the aged neuron', () => {
    expect(r.ca1.filter((x) => x.preset === 'young')).toHaveLength(2 * 4);
    const aged = r.ca1.filter((x) => x.compound === 'mem1003-plus' && x.preset === 'aged').map((x) => x.concentration_nM);
    // Two bisection steps per edge that falls between grid concentrations.
    expect(aged.length).toBeGreaterThan(4);
    expect(aged.length).toBeLessThanOrEqual(4 + 2 * 2);
    expect(new Set(aged).size).toBe(aged.length);
    expect(r.vascular).toHaveLength(2 * 5);
    expect(r.windows.map((w) => w.compound)).toEqual(['mem1003-plus', 'nimodipine']);
    expect(r.models.every((m) => /^[0-9a-f]{64}$/.test(m.hash))).toBe(true);
    // No compound with an assumed activity: no variant comparison.
    expect(r.options.variantComparison).toBeNull();
    expect(r.activityVariants).toEqual([]);
  });

  it('runs identical binding once and reports it for both compounds', () => {
    expect(r.compounds.find((c) => c.id === 'nimodipine')?.sameBindingAs).toBe('mem1003-plus');
    expect(series('nimodipine', 'aged', 'caLoad_uM_s')).toEqual(series('mem1003-plus', 'aged', 'caLoad_uM_s'));
    expect(r.assumptions.some((a) => a.name === 'study.binding.identical.nimodipine')).toBe(true);
  });

  it('puts the aged Ca²⁺ load and sAHP above the young without drug', () => {
    const ctl = (p: string): Readonly<Record<Ca1Key, number>> => r.ca1.find((x) => x.compound === 'mem1003-plus' && x.preset === p && x.concentration_nM === 0)!.relYoung;
    expect(ctl('young').caLoad_uM_s).toBe(1);
    expect(ctl('aged').caLoad_uM_s).toBeGreaterThan(1.3);
    expect(ctl('aged').ahpArea_mV_s).toBeGreaterThan(1.1);
    expect(ctl('aged').lTypeCharge_pC).toBeGreaterThan(1.5);
  });

  it('blocks more with more drug: Ca²⁺ load, L-type entry, sAHP, pCREB and the vascular current fall, occupancy rises', () => {
    const falling = (xs: number[]): void => {
      for (let k = 1; k < xs.length; k++) expect(xs[k]).toBeLessThan(xs[k - 1]);
    };
    for (const p of ['young', 'aged']) {
      for (const k of ['caLoad_uM_s', 'lTypeCharge_pC', 'ahpArea_mV_s', 'pcrebRise'] as const) falling(series('mem1003-plus', p, k));
      const occ = series('mem1003-plus', p, 'occupancy');
      for (let k = 1; k < occ.length; k++) expect(occ[k]).toBeGreaterThan(occ[k - 1]);
    }
    falling(r.vascular.filter((x) => x.compound === 'mem1003-plus').map((x) => Math.abs(x.iCa_pA)));
    // At 1 µM most L-type entry is gone.
    expect(series('mem1003-plus', 'aged', 'lTypeCharge_pC').at(-1)! / series('mem1003-plus', 'aged', 'lTypeCharge_pC')[0]).toBeLessThan(0.2);
  });

  it('gives a window that is empty or an interval satisfying its definition at every tested concentration', () => {
    for (const w of r.windows) {
      const rows = r.ca1.filter((x) => x.compound === w.compound && x.preset === 'aged' && x.concentration_nM > 0);
      if (w.status === 'empty') {
        expect(w.lower_nM === null || (w.upper_nM !== null && w.upper_nM <= w.lower_nM)).toBe(true);
        continue;
      }
      expect(w.lower_nM).not.toBeNull();
      if (w.upper_nM !== null) expect(w.upper_nM).toBeGreaterThan(w.lower_nM!);
      for (const x of rows) {
        const inside = x.concentration_nM >= w.lower_nM! && (w.upper_nM === null || x.concentration_nM < w.upper_nM);
        if (inside) {
          expect(x.relYoung.caLoad_uM_s).toBeLessThanOrEqual(1);
          expect(x.relYoung.pcrebRise).toBeGreaterThanOrEqual(w.pcrebFraction);
        }
        if (x.concentration_nM < w.lower_nM!) expect(x.relYoung.caLoad_uM_s).toBeGreaterThan(1);
      }
    }
  });

  it('computes the selectivity index as vascular IC50 over CNS IC50', () => {
    const s = r.selectivity.find((x) => x.compound === 'mem1003-plus')!;
    expect(s.vascularIc50_nM).not.toBeNull();
    expect(s.cns.aged.ic50_nM).not.toBeNull();
    expect(s.index.aged).toBeCloseTo(s.vascularIc50_nM! / s.cns.aged.ic50_nM!, 12);
  });

  it('translates the trial doses into free concentrations (linear PK) and simulates their effects', () => {
    const [e30, e90] = r.exposures;
    expect([e30.dose_mg, e90.dose_mg]).toEqual([30, 90]);
    expect(e30.brainFree_nM.min).toBeLessThan(e30.brainFree_nM.avg);
    expect(e30.brainFree_nM.avg).toBeLessThan(e30.brainFree_nM.max);
    expect(e90.brainFree_nM.avg / e30.brainFree_nM.avg).toBeCloseTo(3, 6);
    const peak90 = r.exposureEffects.find((x) => x.dose_mg === 90 && x.level === 'peak')!;
    const avg90 = r.exposureEffects.find((x) => x.dose_mg === 90 && x.level === 'average')!;
    expect(peak90.brainFree_nM).toBe(e90.brainFree_nM.max);
    expect(peak90.relControl.caLoad_uM_s).toBeLessThan(avg90.relControl.caLoad_uM_s);
    expect(avg90.relControl.caLoad_uM_s).toBeLessThan(1);
    expect(peak90.vascularRel).toBeLessThan(1);
  });

  it('lists every assumption it uses: the window fraction, the DHP-class potency and PK of MEM 1003', () => {
    const f = r.assumptions.find((a) => a.name === 'study.window.pcrebFraction');
    expect(f?.value).toBe(0.5);
    expect(r.assumptions.some((a) => a.kind === 'compound' && a.name.startsWith('mem1003-plus.activity.binding') && /DHP-class/.test(a.text))).toBe(true);
    expect(r.assumptions.some((a) => a.kind === 'compound' && a.name.startsWith('mem1003-plus.pk.'))).toBe(true);
    // Nimodipine's PK is not used (only the trial compound's).
    expect(r.assumptions.some((a) => a.name.startsWith('nimodipine.pk.'))).toBe(false);
    expect(r.assumptions.some((a) => a.kind === 'model')).toBe(true);
  });
});

describe('what each activity assumption of the (−)-enantiomer changes for (Rac)-MEM 1003 (reduced study)', () => {
  let r: StudyResult;
  const grid = [3, 30, 300, 3000];
  beforeAll(async () => {
    r = await runStudy({
      compounds: ['mem1003-rac'],
      concentrations_nM: grid,
      vascularConcentrations_nM: [0.1, 1, 10, 100, 1000],
      trial: { ...AD_TRIAL, compound: 'mem1003-rac', doses_mg: [90] },
      variantComparison: { concentrations_nM: grid },
      workers: 1,
    });
  }, 300_000);

  const row = (variant: string): StudyResult['activityVariants'][number] => {
    const x = r.activityVariants.find((v) => v.variant === variant);
    expect(x, variant).toBeDefined();
    return x!;
  };

  it('has one row per variant of the (−)-enantiomer, the default one marked and used by the study', () => {
    expect(r.options.variantComparison).toEqual({ compound: 'mem1003-rac', substances: ['mem1003-minus'], concentrations_nM: grid });
    expect(r.activityVariants.map((v) => v.variant).sort()).toEqual(['agonist', 'inactive', 'weaker-antagonist']);
    for (const v of r.activityVariants) {
      expect(v.compound).toBe('mem1003-rac');
      expect(v.substance).toBe('mem1003-minus');
      expect(v.exposure?.dose_mg).toBe(90);
      expect(v.exposure?.effects.map((e) => e.level)).toEqual(['average', 'peak']);
    }
    expect(r.activityVariants.filter((v) => v.isDefault).map((v) => v.variant)).toEqual(['weaker-antagonist']);
    expect(r.activityVariants.filter((v) => v.main).map((v) => v.variant)).toEqual(['weaker-antagonist']);
    expect(row('agonist').action).toBe('agonist');
    expect(row('inactive').action).toBe('inactive');
  });

  it('gives the main result in the default variant row', () => {
    const d = row('weaker-antagonist');
    expect(d.window).toEqual(r.windows[0]);
    expect(d.window.status).toBe('interval');
    const s = r.selectivity[0];
    expect(d.cns.effect).toBe('inhibition');
    expect(d.cns.halfMax_nM).toBe(s.cns.aged.ic50_nM);
    expect(d.vascular.halfMax_nM).toBe(s.vascularIc50_nM);
    expect(d.selectivityIndex).toBe(s.index.aged);
    for (const e of d.exposure!.effects) {
      const m = r.exposureEffects.find((x) => x.dose_mg === 90 && x.level === e.level)!;
      expect(e.brainFree_nM).toBe(m.brainFree_nM);
      expect(e.relControl).toEqual(m.relControl);
      expect(e.relYoung).toEqual(m.relYoung);
      expect(e.vascularRel).toBe(m.vascularRel);
    }
  });

  it('moves the window up when the (−)-enantiomer does not block, and closes it when it is an agonist', () => {
    const d = row('weaker-antagonist');
    const inactive = row('inactive');
    const agonist = row('agonist');
    // Without the (−)-enantiomer's block, the racemate needs more drug to bring the load down.
    expect(inactive.window.status).toBe('interval');
    expect(inactive.window.lower_nM!).toBeGreaterThan(d.window.lower_nM!);
    expect(inactive.cns.halfMax_nM!).toBeGreaterThan(d.cns.halfMax_nM!);
    // An agonist enantiomer raises the aged Ca²⁺ load: it never reaches the young level.
    expect(agonist.window.lower_nM).toBeNull();
    expect(agonist.window.status).toBe('empty');
    expect(agonist.cns.effect).toBe('stimulation');
    // The rise has a half-maximal concentration (EC50) from a fit with a free plateau.
    expect(agonist.cns.halfMax_nM).toBeGreaterThan(0);
    expect(agonist.selectivityIndex).toBeNull();
    // At the 90 mg twice-daily peak: the agonist variant raises the aged load, the others lower it.
    const peak = (v: string): number => row(v).exposure!.effects.find((e) => e.level === 'peak')!.relControl.caLoad_uM_s;
    expect(peak('agonist')).toBeGreaterThan(1);
    expect(peak('inactive')).toBeLessThan(1);
    expect(peak('weaker-antagonist')).toBeLessThan(peak('inactive'));
  });

  it('lists the variants\' binding assumptions and the racemate\'s PK', () => {
    expect(r.assumptions.some((a) => a.name === 'study.variants.comparison')).toBe(true);
    expect(r.assumptions.some((a) => a.kind === 'compound' && a.name.startsWith('mem1003-minus.variants.agonist.binding.activationShift') && a.value === -23)).toBe(true);
    expect(r.assumptions.some((a) => a.kind === 'compound' && a.name.startsWith('mem1003-rac.pk.'))).toBe(true);
    expect(r.assumptions.some((a) => a.kind === 'model' && a.name.startsWith('cav12.drug_mem1003_minus_dV'))).toBe(true);
    expect(r.assumptions.find((a) => a.name === 'cav12.drug_mem1003_minus_KdR (mem1003-minus agonist)')?.value).toBe(8.5);
    // The variant cells add only what the variant changes, and the comparison's choices are not the user's.
    const variantModel = r.assumptions.filter((a) => a.kind === 'model' && / \(mem1003-minus \w/.test(a.name));
    expect(variantModel.length).toBeGreaterThan(0);
    for (const a of variantModel) expect(a.name).toMatch(/drug_mem1003_minus/);
    expect(r.assumptions.some((a) => /chosen by the user/.test(a.text))).toBe(false);
  });
});
