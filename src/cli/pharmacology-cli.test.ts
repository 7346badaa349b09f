import { describe, expect, it } from 'vitest';
import { InputError } from '../io/errors.js';
import { listCompounds } from '../pharmacology/library.js';
import { compoundsCommand } from './compounds.js';
import { doseResponseCommand } from './dose-response.js';

const capture = (): { text: () => string; write: (s: string) => boolean } => {
  const parts: string[] = [];
  return { text: () => parts.join(''), write: (s: string) => (parts.push(s), true) };
};

describe('ltcc compounds', () => {
  it('lists every compound with provenance, as text and JSON', () => {
    const t = capture();
    compoundsCommand({}, t);
    for (const c of listCompounds()) expect(t.text()).toContain(`${c.id}  ${c.name}`);
    expect(t.text()).toContain('ASSUMPTION: MEM 1003 potency was not published');
    const j = capture();
    compoundsCommand({ json: true }, j);
    const doc = JSON.parse(j.text()) as { compounds: { id: string; molecularWeight: { value: number }; assumptions: unknown[] }[] };
    const mem = doc.compounds.find((c) => c.id === 'mem1003-plus')!;
    expect(mem.molecularWeight.value).toBe(432.9);
    expect(mem.assumptions.length).toBeGreaterThan(5);
  });
});

describe('ltcc dose-response', () => {
  it('prints the stable JSON fields', () => {
    const j = capture();
    doseResponseCommand({ compound: 'nitrendipine', context: 'heterologous', isoform: 'cav12', holdingMV: '-10', testMV: '-5', concentrations: '0.01,0.1,1,10,100', json: true }, j);
    const doc = JSON.parse(j.text()) as { ic50_nM: number; ic50_ci_nM: [number, number]; hill: number; points: { concentration_nM: number; response: number }[]; holding_mV: number; isoform: string };
    expect(doc.holding_mV).toBe(-10);
    expect(doc.isoform).toBe('cav12');
    expect(doc.points.map((p) => p.concentration_nM)).toEqual([0.01, 0.1, 1, 10, 100]);
    expect(doc.ic50_nM).toBeGreaterThan(0.1);
    expect(doc.ic50_nM).toBeLessThan(1);
    expect(doc.ic50_ci_nM[0]).toBeLessThanOrEqual(doc.ic50_nM);
    expect(doc.hill).toBeCloseTo(1, 1);
  });

  it('names the bad option', () => {
    const run = (o: Parameters<typeof doseResponseCommand>[0]) => () => doseResponseCommand(o, capture());
    expect(run({ context: 'ca1' })).toThrow(InputError);
    expect(run({ compound: 'nimodipine' })).toThrow(/--context is required/);
    expect(run({ compound: 'nimodipine', context: 'ca1', holdingMV: 'x' })).toThrow(/--holding-mV: 'x' is not a number/);
    expect(run({ compound: 'nimodipine', context: 'ca1', concentrations: '1,-3' })).toThrow(/--concentrations\[1\]/);
    expect(run({ compound: 'nimodipine', context: 'ca1', isoform: 'cav14' })).toThrow(/--isoform/);
    expect(run({ compound: 'mem1003-rac', context: 'ca1', variant: ['mem1003-minus'] })).toThrow(/--variant/);
  });
});
