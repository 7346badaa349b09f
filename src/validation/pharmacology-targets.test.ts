import { describe, expect, it } from 'vitest';
import { findTarget } from './catalogue.js';
import { bechem1993BaykShift, nimodipineLabelPk } from './pharmacology-targets.js';

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
});
