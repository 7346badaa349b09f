import { describe, expect, it } from 'vitest';
import { ca1DoseResponse } from './pharmacology.js';

describe('CA1 read-outs', () => {
  it('cuts L-type Ca²⁺ entry, Ca²⁺ load and the AHP with occupancy', () => {
    const r = ca1DoseResponse({ compound: 'nimodipine', concentrations_nM: [10, 1000] });
    const get = (n: string) => r.curves.find((c) => c.name === n)!;
    const entry = get('lTypeCharge_pC');
    expect(entry.control).toBeGreaterThan(0);
    expect(entry.relative[0]).toBeLessThan(1);
    expect(entry.relative[1]).toBeLessThan(entry.relative[0]);
    expect(entry.relative[1]).toBeLessThan(0.2);
    expect(get('caLoad_uM_s').relative[1]).toBeLessThan(get('caLoad_uM_s').relative[0]);
    expect(get('ahpArea_mV_s').relative[1]).toBeLessThan(1);
    expect(r.occupancy[1]).toBeGreaterThan(r.occupancy[0]);
    expect(r.assumptions.length).toBeGreaterThan(0);
  });
});
