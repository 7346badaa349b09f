import { describe, expect, it } from 'vitest';
import { PeriodMap, type PeriodFailure, type PeriodResult } from './period-map.js';
import { resolveSettings } from './settings.js';
import { type MethodName, type OdeProblem, RetCode, newStats } from './types.js';

/**
 * A pulse-driven system with a nonlinear slow part: x follows a 2 ms pulse every 200 ms, g
 * relaxes over about two periods, and s is driven by x·g with a saturation, so that the step
 * sizes the error control chooses depend on the whole state.
 */
const T = 200;
const W = 2;
const problem: OdeProblem = {
  n: 3,
  rhs(t, y, dy) {
    const phase = t - T * Math.floor(t / T);
    const u = phase < W ? 1 : 0;
    dy[0] = (u - y[0]) / 1.5;
    dy[1] = (y[0] - y[1]) / 400;
    dy[2] = (0.05 * y[0] * (1 + 30 * y[1])) / (1 + 40 * y[2] * y[2]) - y[2] / 20_000;
  },
};

function periodMap(frozen: boolean, method: MethodName = 'bdf', maxSteps = 100_000, rtol = 1e-6): { map: PeriodMap; stats: ReturnType<typeof newStats> } {
  const stats = newStats();
  const settings = resolveSettings(problem, new Float64Array(3), { t0: 0, tEnd: T, rtol, atol: rtol * 1e-3 }, method, stats);
  if (typeof settings === 'string') throw new Error(settings);
  return { map: new PeriodMap(problem, settings, method, T, [0, W], maxSteps, stats, frozen), stats };
}

function ok(r: PeriodResult | PeriodFailure): PeriodResult {
  if ('retcode' in r) throw new Error(r.message);
  return r;
}

/** A state part-way into a pulse train. */
const z0 = Float64Array.from([0.01, 0.02, 0.3]);

describe('PeriodMap', () => {
  it('repeats a recorded step sequence: the same period from the same state agrees with the adaptive run', () => {
    const { map } = periodMap(true);
    const first = ok(map.run(0, T, z0, false));
    expect(first.changed).toBe(true);
    const again = ok(map.run(0, T, z0, false));
    expect(again.changed).toBe(false);
    expect(map.replayed).toBe(1);
    for (let i = 0; i < 3; i++) expect(Math.abs(again.z[i] - first.z[i])).toBeLessThanOrEqual(1e-6 * Math.abs(first.z[i]) + 1e-9);
    // The next periods start near x = 0, where the weights of the error test are stricter than
    // at z0: the sequence recorded from z0 fails there and one is recorded afresh, which the
    // periods after it repeat, at any absolute time, landing on each period end (the results
    // differ only by the round-off of other absolute times).
    const p1 = ok(map.run(T, 2 * T, first.z, false));
    const p2 = ok(map.run(2 * T, 3 * T, p1.z, false));
    expect(p2.changed).toBe(false);
    const later = ok(map.run(50 * T, 51 * T, p1.z, true));
    expect(later.changed).toBe(false);
    expect(later.t![0]).toBe(50 * T);
    expect(later.t![later.t!.length - 1]).toBe(51 * T);
    expect(later.t).toContain(50 * T + W);
    for (let i = 0; i < 3; i++) expect(Math.abs(later.z[i] - p2.z[i])).toBeLessThanOrEqual(1e-11 * Math.abs(p2.z[i]) + 1e-15);
  });

  it('makes the period map smooth in the state, where adaptive periods carry step-control noise', () => {
    // s after one period from z + j·δ (δ along x) for j = 0..8: the second differences of a
    // smooth map are of order δ²·F'' (about 1e-9 here); an adaptive run changes its steps with the
    // state and adds noise at the level of its tolerance (about 1e-6 at rtol 1e-4).
    const secondDifferences = (frozen: boolean): { worst: number; stepCounts: Set<number> } => {
      const { map, stats } = periodMap(frozen, 'bdf', 100_000, 1e-4);
      const F: number[] = [];
      const stepCounts = new Set<number>();
      for (let j = 0; j <= 8; j++) {
        const z = Float64Array.from(z0);
        z[0] += j * 1e-3;
        const before = stats.steps;
        F.push(ok(map.run(0, T, z, false)).z[2]);
        stepCounts.add(stats.steps - before);
      }
      let worst = 0;
      for (let j = 1; j < 8; j++) worst = Math.max(worst, Math.abs(F[j + 1] - 2 * F[j] + F[j - 1]));
      return { worst, stepCounts };
    };
    const frozen = secondDifferences(true);
    const adaptive = secondDifferences(false);
    // The adaptive runs do take different step sequences (else this test would show nothing).
    expect(adaptive.stepCounts.size).toBeGreaterThan(1);
    expect(frozen.worst).toBeLessThan(adaptive.worst / 100);
  });

  it('records afresh when a repeated step fails its error test, and says the map changed', () => {
    const { map } = periodMap(true);
    ok(map.run(0, T, z0, false));
    // A state far from the recorded one: the x pulse starts from 5 instead of 0.01.
    const far = ok(map.run(T, 2 * T, Float64Array.from([5, 0.02, 0.3]), false));
    expect(far.changed).toBe(true);
    expect(map.recorded).toBe(2);
    // Accurate: against a tight adaptive run of the same period.
    const { map: tight } = periodMap(false, 'bdf', 100_000, 1e-10);
    const ref = ok(tight.run(T, 2 * T, Float64Array.from([5, 0.02, 0.3]), false));
    for (let i = 0; i < 3; i++) expect(Math.abs(far.z[i] - ref.z[i])).toBeLessThan(1e-4 * Math.abs(ref.z[i]) + 1e-8);
  });

  it('integrates every period adaptively without frozen sequences or with another method', () => {
    for (const [frozen, method] of [[false, 'bdf'], [true, 'rosenbrock']] as const) {
      const { map } = periodMap(frozen, method);
      const a = ok(map.run(0, T, z0, true));
      const b = ok(map.run(T, 2 * T, a.z, false));
      expect(a.changed || b.changed).toBe(false);
      expect(map.recorded + map.replayed).toBe(0);
      expect(a.t![0]).toBe(0);
      expect(a.t![a.t!.length - 1]).toBe(T);
    }
  });

  it('passes the step limit on as a failure', () => {
    const { map } = periodMap(true, 'bdf', 5);
    const r = map.run(0, T, z0, false);
    expect('retcode' in r && r.retcode).toBe(RetCode.MaxIters);
    expect('retcode' in r && r.message).toMatch(/maxSteps = 5/);
  });
});
