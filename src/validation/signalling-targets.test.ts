import { describe, expect, it } from 'vitest';
import { CATALOGUE } from './catalogue.js';
import { runValidation } from './run.js';
import { SIGNALLING_TARGETS } from './signalling-targets.js';

const IDS = ['dhp-blocks-pcreb', 'wheeler2008-pore-vs-gating', 'wu2001-camk-vs-mapk', 'bito1996-prolonged', 'ma2014-shuttle', 'perfitt2020-shank3'];

describe('signalling targets', () => {
  it('are in the catalogue once each, with a runner', () => {
    for (const id of IDS) {
      const hits = CATALOGUE.filter((t) => t.id === id);
      expect(hits, id).toHaveLength(1);
      expect(hits[0].owner).toBe('signalling');
      expect(typeof hits[0].run).toBe('function');
    }
    expect(SIGNALLING_TARGETS.map((t) => t.id)).toEqual(IDS);
  });

  it('reproduce the published results in the young CA1 cell', () => {
    const rows = runValidation(SIGNALLING_TARGETS);
    for (const r of rows) {
      expect(r.implemented).toBe(true);
      expect(r.reason, r.id).not.toMatch(/simulation failed/);
      for (const [k, v] of Object.entries(r.values ?? {})) expect(Number.isNaN(v), `${r.id}.${k}`).toBe(false);
      expect(r.pass, `${r.id}: ${r.simulated} (${r.reason})`).toBe(true);
    }
  });
});
