import { describe, expect, it } from 'vitest';
import { gatedCavScheme } from '../biology/markov.js';
import { resolveCompound } from '../pharmacology/library.js';
import { affinityClass } from '../pharmacology/modulated-receptor.js';
import { voltageStep } from '../protocols/protocol.js';
import { runProtocol } from '../protocols/run.js';
import { concentrationResponse } from './dose-response.js';
import { racemateVariants } from './pharmacology.js';

const CONCS = [0.01, 0.1, 1, 10, 100, 1000, 10000];
const TEST = -5;

/**
 * The modulated-receptor prediction for the heterologous Cav1.2: with binding at equilibrium the
 * unbound channels keep their drug-free distribution u(s), so the peak falls by 1/(1 + C·Σ u(s)/Kd(s))
 * and IC50 = 1/Σ u(s)/Kd(s), computed here from the drug-free state occupancies of the cell.
 */
function theoreticalIc50(holding: number): number {
  const tr = runProtocol({ context: 'heterologous', isoform: 'cav12' }, voltageStep(holding, holding, 1, 1, 1), { dt: 0.5 });
  const kd = resolveCompound('nitrendipine').components[0].ligand!.kd.cav12;
  const byClass = { resting: kd.resting, open: kd.open!, inactivated: kd.inactivated, caInactivated: kd.caInactivated };
  let sum = 0;
  for (const s of gatedCavScheme().states) sum += tr.series(`cav12.${s.name}`)[0] / byClass[affinityClass(s)];
  return 1 / sum;
}

describe('concentration–response of the peak current (heterologous Cav1.2)', () => {
  it('makes nitrendipine potency depend on holding potential as the modulated-receptor theory predicts', () => {
    const r80 = concentrationResponse({ compound: 'nitrendipine', context: 'heterologous', isoform: 'cav12', holding_mV: -80, test_mV: TEST, concentrations_nM: CONCS });
    const r10 = concentrationResponse({ compound: 'nitrendipine', context: 'heterologous', isoform: 'cav12', holding_mV: -10, test_mV: TEST, concentrations_nM: CONCS });
    expect(r80.effect).toBe('inhibition');
    for (const [r, hp] of [[r80, -80], [r10, -10]] as const) {
      const theory = theoreticalIc50(hp);
      expect(Math.abs(r.ic50_nM! / theory - 1)).toBeLessThan(0.02);
      // One binding site: Hill slope 1, and the interval brackets the estimate.
      expect(r.hill!).toBeCloseTo(1, 1);
      expect(r.ic50_ci_nM![0]).toBeLessThanOrEqual(r.ic50_nM!);
      expect(r.ic50_ci_nM![1]).toBeGreaterThanOrEqual(r.ic50_nM!);
    }
    // Depolarised holding puts channels into the high-affinity inactivated states.
    expect(r80.ic50_nM! / r10.ic50_nM!).toBeGreaterThan(50);
    expect(r10.ic50_nM!).toBeGreaterThan(0.36 * 0.9);
    expect(r80.points.map((p) => p.response)).toEqual([...r80.points.map((p) => p.response)].sort((a, b) => b - a));
  });

  it('shows the agonist as a stimulation and an inactive enantiomer as no effect', () => {
    const ag = concentrationResponse({ compound: 'bayk8644-s', context: 'heterologous', isoform: 'cav12', holding_mV: -80, test_mV: -30, concentrations_nM: [0.3, 3, 30, 300, 3000] });
    expect(ag.effect).toBe('stimulation');
    expect(ag.points[ag.points.length - 1].response).toBeGreaterThan(2);
    expect(ag.ic50_nM!).toBeGreaterThan(1);
    expect(ag.ic50_nM!).toBeLessThan(30);
    const none = concentrationResponse({ compound: 'mem1003-minus', context: 'heterologous', isoform: 'cav12', test_mV: TEST, concentrations_nM: [1, 100, 10000], variants: { 'mem1003-minus': 'inactive' } });
    expect(none.effect).toBe('none');
    expect(none.ic50_nM).toBeNull();
    expect(none.points.every((p) => p.response === 1)).toBe(true);
  });

  it('lets the (−)-enantiomer assumption change the racemate', () => {
    const opts = { compound: 'mem1003-rac', context: 'heterologous' as const, isoform: 'cav12' as const, holding_mV: -50, test_mV: TEST, concentrations_nM: [0.1, 1, 10, 100, 1000] };
    const weak = concentrationResponse(opts);
    const inactive = concentrationResponse({ ...opts, variants: { 'mem1003-minus': 'inactive' } });
    // An inactive distomer leaves half the dose: the racemate is about twice less potent than
    // with a weaker antagonist that still contributes block.
    expect(inactive.ic50_nM!).toBeGreaterThan(weak.ic50_nM!);
    expect(inactive.ic50_nM! / weak.ic50_nM!).toBeLessThan(2.01);
    expect(weak.assumptions.some((a) => a.field === 'mem1003-minus.defaultVariant')).toBe(true);
  });

  it('fits the partial block of a racemate whose other enantiomer activates', () => {
    const r = concentrationResponse({
      compound: 'mem1003-rac', context: 'heterologous', isoform: 'cav12', holding_mV: -50, test_mV: TEST,
      concentrations_nM: CONCS, variants: { 'mem1003-minus': 'agonist' },
    });
    expect(r.effect).toBe('inhibition');
    // The agonist-bound half of the channels keeps conducting: block saturates well short of 100 %.
    expect(r.bottom!).toBeGreaterThan(0.2);
    expect(Math.abs(r.bottom! - r.points[r.points.length - 1].response)).toBeLessThan(0.02);
    expect(r.ic50_nM!).toBeGreaterThan(CONCS[0]);
    expect(r.ic50_nM!).toBeLessThan(CONCS[CONCS.length - 1]);
  });

  it('makes two compounds compete for the site (nitrendipine against Bay K 8644 at 30 nM)', () => {
    const opts = { compound: 'nitrendipine', context: 'heterologous' as const, isoform: 'cav12' as const, holding_mV: -80, test_mV: TEST, concentrations_nM: CONCS };
    const alone = concentrationResponse(opts);
    const withBayK = concentrationResponse({ ...opts, background: { 'bayk8644-s': 30 } });
    // Relative to the Bay K-only control: the agonist occupies the site, so more nitrendipine is needed.
    expect(withBayK.ic50_nM!).toBeGreaterThan(1.5 * alone.ic50_nM!);
    expect(withBayK.control_pA).toBeLessThan(alone.control_pA);
  });

  it('refuses bad input with the field named', () => {
    const base = { compound: 'nitrendipine', context: 'heterologous' as const, test_mV: TEST };
    expect(() => concentrationResponse({ ...base, holding_mV: Number.NaN })).toThrow(/holding_mV/);
    expect(() => concentrationResponse({ ...base, concentrations_nM: [1, -2] })).toThrow(/concentrations_nM\[1\]/);
    expect(() => concentrationResponse({ ...base, context: 'brain' as never })).toThrow(/context: unknown context 'brain'/);
    expect(() => concentrationResponse({ ...base, context: 'vascular', isoform: 'cav13' })).toThrow(/isoform: the vascular context has Cav1.2 only/);
    expect(() => concentrationResponse({ ...base, compound: 'aspirin' })).toThrow(/unknown compound 'aspirin'/);
  });
});

describe('racemate variants', () => {
  it('runs the racemate once per (−)-enantiomer activity and shows the agonist case', () => {
    const rows = racemateVariants({ compound: 'mem1003-rac', context: 'heterologous', isoform: 'cav12', holding_mV: -80, test_mV: -30, concentrations_nM: [1, 10, 100, 1000, 10000] });
    expect(rows.map((r) => r.variant)).toEqual(['inactive', 'weaker-antagonist', 'agonist']);
    const by = Object.fromEntries(rows.map((r) => [r.variant, r]));
    expect(by.inactive.effect).toBe('inhibition');
    // A weaker antagonist adds block: lower IC50 than with an inactive distomer.
    expect(by['weaker-antagonist'].ic50_nM!).toBeLessThan(by.inactive.ic50_nM!);
    // An agonist distomer opposes the block at −80 mV, where it binds far better than (+)-MEM 1003.
    expect(by.agonist.effect).not.toBe('inhibition');
    expect(() => racemateVariants({ compound: 'nimodipine', context: 'heterologous', test_mV: -30, concentrations_nM: [1, 10] })).toThrow(/no component with an unknown activity/);
  });
});

describe('progress of a concentration–response experiment', () => {
  it('reports each concentration once it is simulated', () => {
    const calls: [number, number, number][] = [];
    concentrationResponse({ compound: 'nitrendipine', context: 'heterologous', isoform: 'cav12', test_mV: TEST, concentrations_nM: [1, 100], onConcentration: (done, total, c) => calls.push([done, total, c]) });
    expect(calls).toEqual([[1, 2, 1], [2, 2, 100]]);
  });
});
