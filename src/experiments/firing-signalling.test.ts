import { describe, expect, it } from 'vitest';
import {
  FIRING_TOLERANCES, type FiringSignallingOptions, type FiringSignallingResult, FiringSignallingInterrupted, firingPeriod, firingPeriods, firingSignalling,
} from './firing-signalling.js';

// One simulated minute at 5 Hz in the young cell, each way (computed once, shared by the tests).
const cache = new Map<string, FiringSignallingResult>();
const run = (o: FiringSignallingOptions): FiringSignallingResult => {
  const key = JSON.stringify(o);
  let r = cache.get(key);
  if (!r) {
    r = firingSignalling(o);
    cache.set(key, r);
  }
  return r;
};
const envelope = (): FiringSignallingResult => run({ minutes: 1, hz: 5 });
const full = (): FiringSignallingResult => run({ minutes: 1, hz: 5, method: 'full' });
const last = (xs: readonly number[]): number => xs[xs.length - 1];

describe('firing-signalling: 1 min at 5 Hz, young CA1 cell', () => {
  it('envelope following: pCREB rises above rest, one spike per pulse, fewer periods integrated than there are', () => {
    const e = envelope();
    expect(e.method).toBe('envelope');
    expect(e.periods).toBe(300);
    expect(e.t_min[0]).toBe(0);
    expect(last(e.t_min)).toBe(1);
    const p = e.readouts.pCREB;
    // The rise over one minute of 5 Hz firing is ≈0.02 from a resting ≈0.026.
    expect(last(p) - p[0]).toBeGreaterThan(0.01);
    expect(e.spikesPerPeriod[0]).toBeNull();
    expect(e.spikesPerPeriod.slice(1)).toEqual(e.spikesPerPeriod.slice(1).map(() => 1));
    expect(e.periodsIntegrated).toBeLessThan(e.periods);
    expect(e.periodsProjected).toBeGreaterThan(0);
    expect(e.jumps).toBeGreaterThan(0);
    // Every period is accounted for: integrated (undone jumps add integrated periods) or jumped over.
    expect(e.periodsIntegrated + e.periodsProjected).toBeGreaterThanOrEqual(e.periods);
    expect(e).toMatchObject({ rtol: FIRING_TOLERANCES.envelope.rtol, atol: FIRING_TOLERANCES.envelope.atol, envelopeRtol: 1e-3 });
    expect(e.model.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('envelope and full integration agree on pCREB at the end within 1 % of its rise; the full run integrates every period', () => {
    const e = envelope();
    const f = full();
    expect(f.method).toBe('full');
    expect(f.periodsIntegrated).toBe(300);
    expect(f.periodsProjected).toBe(0);
    expect(e.periodsIntegrated).toBeLessThan(f.periodsIntegrated);
    expect(f.model.hash).toBe(e.model.hash);
    // Both start from the same settled state.
    expect(f.readouts.pCREB[0]).toBe(e.readouts.pCREB[0]);
    const rise = last(f.readouts.pCREB) - f.readouts.pCREB[0];
    expect(rise).toBeGreaterThan(0.01);
    expect(Math.abs(last(e.readouts.pCREB) - last(f.readouts.pCREB))).toBeLessThan(0.01 * rise);
    expect(f.spikesPerPeriod).toEqual([null, 1]);
    // The other slow read-outs at the end, within 1 % of the full run's value.
    for (const k of ['autonomyBulk', 'nuclearGamma', 'nuclearCaCaM'] as const) {
      expect(Math.abs(last(e.readouts[k]) / last(f.readouts[k]) - 1), k).toBeLessThan(0.01);
    }
  });

  it('nimodipine at 1 µM lowers the pCREB rise', () => {
    const e = envelope();
    const d = run({ minutes: 1, hz: 5, compound: 'nimodipine', concentration_nM: 1000 });
    expect(d.compound).toMatchObject({ id: 'nimodipine', concentration_nM: 1000 });
    // A free concentration is given: no PK assumption is listed.
    expect(d.assumptions.filter((a) => a.field.includes('.pk'))).toEqual([]);
    expect(e.assumptions).toEqual([]);
    expect(d.model.hash).not.toBe(e.model.hash);
    const riseNo = last(e.readouts.pCREB) - e.readouts.pCREB[0];
    const riseDrug = last(d.readouts.pCREB) - d.readouts.pCREB[0];
    expect(riseDrug).toBeLessThan(0.9 * riseNo);
    // The block removes Ca²⁺ entry, not the spikes driven by the current pulses.
    expect(d.spikesPerPeriod[d.spikesPerPeriod.length - 1]).toBe(1);
  });

  it('reports progress up to every period, and stops when asked (FiringSignallingInterrupted)', () => {
    const seen: number[] = [];
    const r = firingSignalling({ minutes: 0.1, hz: 10, onProgress: (done, total) => {
      expect(total).toBe(60);
      seen.push(done);
    } });
    expect(r.periods).toBe(60);
    expect(seen[seen.length - 1]).toBe(60);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThan(seen[k - 1]);
    for (const method of ['envelope', 'full'] as const) {
      let calls = 0;
      expect(() => firingSignalling({ minutes: 0.1, hz: 10, method, shouldContinue: () => ++calls < 3 })).toThrow(FiringSignallingInterrupted);
    }
  });
});

describe('firing-signalling options', () => {
  it('accepts frequencies up to 50 Hz (periods of at least 20 ms)', () => {
    expect(firingPeriod(5)).toBe(200);
    expect(firingPeriod(50)).toBe(20);
    expect(firingPeriod(2.5)).toBe(400);
    expect(firingPeriod(0)).toMatch(/\(0, 50\] Hz/);
    expect(firingPeriod(-1)).toMatch(/\(0, 50\] Hz/);
    expect(firingPeriod(100)).toMatch(/\(0, 50\] Hz/);
    expect(firingPeriod(3)).toBeCloseTo(1000 / 3, 12);
    expect(firingPeriod(Number.NaN)).toMatch(/got NaN/);
  });

  it('takes the whole periods that fit in the duration', () => {
    expect(firingPeriods(10, 200)).toBe(3000);
    expect(firingPeriods(0.5, 320)).toBe(93);
    expect(firingPeriods(0, 200)).toMatch(/\(0, 120\]/);
    expect(firingPeriods(-1, 200)).toMatch(/\(0, 120\]/);
    expect(firingPeriods(121, 200)).toMatch(/\(0, 120\]/);
    expect(firingPeriods(0.001, 200)).toMatch(/shorter than one period/);
  });

  it('rejects bad options before building anything, naming the field', () => {
    expect(() => firingSignalling({ hz: 0 })).toThrow(/^hz: /);
    expect(() => firingSignalling({ minutes: -1 })).toThrow(/^minutes: /);
    expect(() => firingSignalling({ preset: 'old' })).toThrow(/^preset: unknown preset 'old'/);
    expect(() => firingSignalling({ compound: 'nimodipine' })).toThrow(/^concentration_nM: give both/);
    expect(() => firingSignalling({ concentration_nM: 10 })).toThrow(/^compound: give both/);
    expect(() => firingSignalling({ compound: 'nimodipine', concentration_nM: -5 })).toThrow(/^concentration_nM: must be a number ≥ 0/);
    expect(() => firingSignalling({ compound: 'nope', concentration_nM: 5 })).toThrow(/unknown compound 'nope'/);
    expect(() => firingSignalling({ rtol: 0 })).toThrow(/^rtol: /);
  });
});
