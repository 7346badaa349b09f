import { describe, expect, it } from 'vitest';
import { drugCell } from '../pharmacology/drug-cell.js';
import { resolveCompound } from '../pharmacology/library.js';
import { activationCurve, blockKinetics, equilibriumOccupancy, holdingPotentialDependence, isoformComparison, useDependence, vascularDoseResponse, vascularReadouts } from './pharmacology.js';

const LEVELS = [-70, -60, -50, -40, -30, -20, -10, 0, 10, 20, 30];

describe('agonist activation shift', () => {
  it('shifts activation by the bound-state shift at saturation, keeping Gmax', () => {
    const ctrl = activationCurve({ compound: 'bayk8644-s', context: 'heterologous', isoform: 'cav12', concentration_nM: 0, levels: LEVELS });
    const sat = activationCurve({ compound: 'bayk8644-s', context: 'heterologous', isoform: 'cav12', concentration_nM: 1e5, levels: LEVELS });
    const shift = resolveCompound('bayk8644-s').components[0].ligand!.activationShift!;
    expect(sat.occupancy).toBeGreaterThan(0.999);
    expect(sat.fit.vhalf - ctrl.fit.vhalf).toBeCloseTo(shift, 0);
    expect(sat.fit.ymax / ctrl.fit.ymax).toBeCloseTo(1, 1);
    expect(ctrl.occupancy).toBe(0);
  });
});

describe('block kinetics', () => {
  it('binds resting channels with τ = 1/(kon·C + koff) where all channels rest', () => {
    const l = resolveCompound('nitrendipine').components[0].ligand!;
    const c = 700;
    // At −140 mV fewer than 1e-5 of the channels are inactivated: binding is to resting channels.
    const r = blockKinetics({ compound: 'nitrendipine', concentration_nM: c, holding_mV: -140, duration_s: 10 });
    const tau = 1 / (l.kon * c + l.kon * l.kd.cav12.resting) / 1000;
    expect(r.tauOn_s / tau).toBeCloseTo(1, 1);
    expect(r.equilibrium).toBeCloseTo(0.5, 1);
    expect(Math.abs(r.onset[r.onset.length - 1] / r.equilibrium - 1)).toBeLessThan(0.01);
    expect(r.offset[r.offset.length - 1]).toBeLessThan(0.01);
  });

  it('releases the drug more slowly from depolarised (inactivated) channels', () => {
    const a = blockKinetics({ compound: 'nitrendipine', concentration_nM: 10, holding_mV: -80, duration_s: 300 });
    const b = blockKinetics({ compound: 'nitrendipine', concentration_nM: 10, holding_mV: -40, duration_s: 300 });
    expect(b.equilibrium).toBeGreaterThan(a.equilibrium);
    expect(b.tauOff_s).toBeGreaterThan(3 * a.tauOff_s);
  });

  it('lets block grow during a train of depolarising pulses (use dependence)', () => {
    const r = useDependence({ compound: 'nitrendipine', concentration_nM: 30, pulses: 6, frequency_Hz: 1, width_ms: 200, test_mV: -5 });
    expect(r.relative.length).toBe(6);
    for (let k = 1; k < r.relative.length; k++) expect(r.relative[k]).toBeLessThan(r.relative[k - 1]);
    expect(r.extraBlock).toBeGreaterThan(0.05);
    expect(() => useDependence({ compound: 'nitrendipine', concentration_nM: 30, frequency_Hz: 10, width_ms: 200 })).toThrow(/width_ms/);
  });
});

describe('holding-potential dependence and isoforms', () => {
  it('lowers IC50 monotonically with depolarisation; isoforms differ by affinity at rest and by gating elsewhere', () => {
    const concs = [0.01, 0.1, 1, 10, 100, 1000, 10000, 100000];
    const hp = holdingPotentialDependence({ compound: 'nimodipine', holdings_mV: [-90, -60, -30], concentrations_nM: concs });
    const ic = hp.rows.map((r) => r.ic50_nM!);
    expect(ic[0]).toBeGreaterThan(ic[1]);
    expect(ic[1]).toBeGreaterThan(ic[2]);
    // The Cav1.3/Cav1.2 ratio combines the record's affinity ratio (3.5 in every state) with the
    // isoforms' different inactivation: the more Cav1.3 channels inactivate, the more they bind.
    const factor = resolveCompound('nimodipine').components[0].ligand!.kd.cav13.resting / resolveCompound('nimodipine').components[0].ligand!.kd.cav12.resting;
    const rest = isoformComparison({ compound: 'nimodipine', holding_mV: -150, test_mV: hp.test_mV, concentrations_nM: concs });
    const polar = isoformComparison({ compound: 'nimodipine', holding_mV: -80, test_mV: hp.test_mV, concentrations_nM: concs });
    expect(rest.cav12.test_mV).toBe(rest.cav13.test_mV);
    expect(rest.cav13.measured).toEqual(['cav13']);
    expect(rest.ratio!).toBeGreaterThan(1);
    expect(rest.ratio!).toBeLessThanOrEqual(factor * 1.001);
    expect(Math.abs(polar.ratio! / rest.ratio! - 1)).toBeGreaterThan(0.2);
  });
});

describe('vascular read-out', () => {
  it('reduces Cav1.2 Ca²⁺ entry at the smooth-muscle resting potential with occupancy', () => {
    const cell = drugCell({ context: 'vascular' }, ['nimodipine']);
    const r0 = vascularReadouts(cell, 'nimodipine', 0);
    const r1 = vascularReadouts(cell, 'nimodipine', 3);
    expect(r0.iCa_pA).toBeLessThan(0);
    expect(r1.iCa_pA / r0.iCa_pA).toBeLessThan(1);
    expect(r1.occupancy).toBeGreaterThan(0.3);
    const cr = vascularDoseResponse({ compound: 'nimodipine', concentrations_nM: [0.1, 1, 10, 100] });
    const entry = cr.curves.find((c) => c.name === 'iCa_pA')!;
    expect(entry.relative[3]).toBeLessThan(entry.relative[0]);
    expect(entry.fit!.ic50_nM).toBeGreaterThan(0.1);
    expect(entry.fit!.ic50_nM).toBeLessThan(100);
  });
});

describe('equilibrium occupancy', () => {
  it('gives the bound fraction at a clamped potential, higher when depolarised', () => {
    const rest = equilibriumOccupancy({ compound: 'nimodipine', concentration_nM: 1000, v_mV: -70 });
    const dep = equilibriumOccupancy({ compound: 'nimodipine', concentration_nM: 1000, v_mV: -20 });
    expect(Object.keys(dep.byIsoform)).toEqual(['cav12', 'cav13']);
    expect(dep.mean).toBeGreaterThan(rest.mean);
    expect(dep.byIsoform.cav12!).toBeGreaterThan(0.99);
  });
});
