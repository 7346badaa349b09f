import { describe, expect, it } from 'vitest';
import { findTarget } from './catalogue.js';
import { bean1986NitrendipineHp, bechem1993BaykShift, nimodipineLabelPk } from './pharmacology-targets.js';
import { prepulseTest } from '../protocols/protocol.js';
import { runProtocol } from '../protocols/run.js';
import { fitBoltzmann, peakInward } from '../experiments/readouts.js';

describe('pharmacology targets of the catalogue', () => {
  it('wires the three runners into the catalogue', () => {
    for (const id of ['bean1986-nitrendipine-hp', 'bechem1993-bayk-shift', 'nimodipine-label-pk']) expect(findTarget(id)?.run, id).toBeTypeOf('function');
  });

  it('reproduces the nimodipine label profile after 2 × 30 mg', () => {
    const r = nimodipineLabelPk();
    expect(r.pass).toBe(true);
    expect(r.values.cmax_ug_per_L).toBeGreaterThan(19);
    expect(r.values.cmax_ug_per_L).toBeLessThan(43);
    // The terminal half-life read from the 24–48 h profile equals the model's slow exponent.
    expect(r.values.thalf_h).toBeCloseTo(r.values.thalfModel_h, 3);
  });

  it('shifts Cav1.2 activation with 30 nM (S)-(−)-Bay K 8644 by an amount set by occupancy', () => {
    const r = bechem1993BaykShift();
    expect(r.values.occupancy).toBeGreaterThan(0.5);
    expect(r.values.occupancy).toBeLessThan(1);
    // The bound channel is shifted by −23 mV; a fraction `occupancy` of them gives a smaller shift.
    expect(r.values.shift_mV).toBeLessThan(0);
    expect(r.values.shift_mV).toBeGreaterThan(-23);
  });

  it('measures the availability of the cardiac Cav1.2 as the f∞ of Fox et al. 2002 (V½ −12.5 mV, slope 5 mV) within 1 mV', () => {
    // Bean's kind of measurement: 1 s at a conditioning potential (≫ the 52 ms inactivation time
    // constant), then the peak current at +10 mV relative to that after conditioning at −100 mV.
    const peakAfter = (v: number): number => {
      const tr = runProtocol({ context: 'cardiac' }, prepulseTest(-100, v, 1000, 10, 30), { dt: 0.05 });
      return peakInward(tr.t, tr.series('cav12.I'), 1010.01, 1039.9).value;
    };
    const ref = peakAfter(-100);
    const levels = Array.from({ length: 15 }, (_, k) => -60 + 5 * k);
    const fit = fitBoltzmann(levels, levels.map((v) => peakAfter(v) / ref));
    expect(Math.abs(fit.vhalf + 12.5)).toBeLessThan(1);
    expect(Math.abs(fit.k + 5)).toBeLessThan(1);
  });

  it('reproduces Bean\'s state-dependent nitrendipine block in the cardiac preparation, the heterologous cell unchanged', () => {
    const r = bean1986NitrendipineHp();
    const v = r.values;
    // Tight block from −10 mV (most channels inactivated), weak from −80 mV.
    expect(v.ic50_m10_nM).toBeLessThan(v.ic50_m80_nM / 100);
    // The simulated IC50s follow equilibrium binding to the drug-free state occupancies
    // (modulated receptor), and at −80 mV the resting Kd bounds them above.
    expect(v.ic50_m80_nM / v.ic50Equilibrium_m80_nM).toBeGreaterThan(0.95);
    expect(v.ic50_m80_nM / v.ic50Equilibrium_m80_nM).toBeLessThan(1.05);
    expect(v.ic50_m10_nM / v.ic50Equilibrium_m10_nM).toBeGreaterThan(0.9);
    expect(v.ic50_m10_nM / v.ic50Equilibrium_m10_nM).toBeLessThan(1.1);
    expect(v.ic50Equilibrium_m80_nM).toBeLessThanOrEqual(700);
    expect(v.inactivated_m80_percent).toBeLessThan(v.maxInactivated_m80_percent);
    expect(r.pass).toBe(true);
    // The heterologous Cav1.2 keeps its inactivation curve (V½ −38 mV, slope 8 mV).
    expect(v.heterologousInactivated_m80_percent).toBeCloseTo(100 / (1 + Math.exp(42 / 8)), 3);
  });
});
