import { describe, expect, it } from 'vitest';
import type { CellSpec } from '../biology/contexts.js';
import { applyDrugs } from '../pharmacology/drug-cell.js';
import { compoundPk } from '../pharmacology/library.js';
import { maniaTitration } from '../pharmacology/regimen.js';
import { kDepolarisation } from '../protocols/protocol.js';
import { runProtocol } from '../protocols/run.js';
import { exposureResponse, selectivityIndex } from './pharmacology.js';

describe('selectivity and exposure', () => {
  it('computes the CNS/vascular selectivity index from the two read-outs', () => {
    const [row] = selectivityIndex({ compound: 'nimodipine', concentrations_nM: [0.3, 3, 30, 300] });
    expect(row.id).toBe('nimodipine');
    expect(row.cnsIc50_nM!).toBeGreaterThan(0);
    expect(row.vascularIc50_nM!).toBeGreaterThan(0);
    expect(row.index!).toBeCloseTo(row.vascularIc50_nM! / row.cnsIc50_nM!, 12);
  });

  it('maps a dosing interval to concentrations, occupancy and read-outs that rise and fall together', () => {
    const pk = compoundPk('nimodipine');
    const r = exposureResponse({ compound: 'nimodipine', dose_mg: 60, interval_h: 4, samples: 2, pk });
    expect(r.rows.length).toBe(2);
    const [trough, mid] = r.rows;
    expect(mid.t_h).toBe(2);
    expect(mid.brainFree_nM).toBeCloseTo(mid.plasmaFree_nM * pk.kpuu, 12);
    // More drug at 2 h than at the trough: more occupancy, less Ca²⁺ entry.
    expect(mid.brainFree_nM).toBeGreaterThan(trough.brainFree_nM);
    expect(mid.cnsOccupancy).toBeGreaterThan(trough.cnsOccupancy);
    expect(mid.cnsEntry).toBeLessThan(trough.cnsEntry);
    expect(mid.vascularEntry).toBeLessThan(trough.vascularEntry);
    expect(() => exposureResponse({ compound: 'nimodipine', dose_mg: 60, interval_h: 4, samples: 1 })).toThrow(/samples/);
    expect(() => exposureResponse({ compound: 'nimodipine', dose_mg: -60, interval_h: 4 })).toThrow(/dose_mg/);
  });
});

describe('applying real nimodipine to a cell', () => {
  it('blocks most L-type Ca²⁺ entry during K⁺ depolarisation at 1 µM', () => {
    const base = { context: 'ca1' as const };
    const protocol = kDepolarisation(40, 3000);
    const entry = (spec: Omit<CellSpec, 'input'>, set?: Record<string, number>): number => {
      const tr = runProtocol(spec, protocol, { dt: 5, ...(set ? { set } : {}) });
      let q = 0;
      for (const iso of ['cav12', 'cav13']) {
        const I = tr.series(`${iso}.I_Ca`);
        for (let k = 1; k < tr.t.length; k++) q -= 0.5 * (I[k] + I[k - 1]) * (tr.t[k] - tr.t[k - 1]);
      }
      return q;
    };
    const d = applyDrugs(base, [{ compound: 'nimodipine', concentration_nM: 1000 }]);
    expect(Object.keys(d.set)).toEqual(['cav12.drug_nimodipine_C', 'cav13.drug_nimodipine_C']);
    const control = entry(base);
    const drug = entry(d.spec, d.set);
    expect(control).toBeGreaterThan(0);
    expect(drug / control).toBeLessThan(0.1);
    expect(() => applyDrugs(base, [{ compound: 'nimodipine', concentration_nM: -1 }])).toThrow(/concentration/);
  });
});

describe('exposure from a titration regimen', () => {
  it('samples the mania titration at chosen times', () => {
    const r = exposureResponse({ compound: 'mem1003-rac', regimen: maniaTitration(21), times_h: [1, 49] });
    // 1 h after 60 mg vs 1 h after the first 180 mg dose (with accumulation): more drug, more effect.
    expect(r.rows[1].brainFree_nM).toBeGreaterThan(2.5 * r.rows[0].brainFree_nM);
    expect(r.rows[1].cnsEntry).toBeLessThan(r.rows[0].cnsEntry);
    expect(r.assumptions.some((a) => a.field === 'mem1003-rac.pk.clearance')).toBe(true);
  });
});
