/** Driver behaviour: outputs, tstops, state events (root finding) and termination. */
import { describe, expect, it } from 'vitest';
import { solve } from './solve.js';
import { RetCode, type MethodName, type OdeProblem, type RootFunctions } from './types.js';

const METHODS: MethodName[] = ['bdf', 'rosenbrock', 'dopri5'];

const decay: OdeProblem = {
  n: 1,
  rhs(_t, y, dy) { dy[0] = -y[0]; },
  jac(_t, _y, J) { J[0] = -1; },
};

/** Free fall: height h, velocity v, g = 9.81. */
const G = 9.81;
const fall: OdeProblem = {
  n: 2,
  rhs(_t, y, dy) { dy[0] = y[1]; dy[1] = -G; },
  jac(_t, _y, J) { J[0] = 0; J[1] = 1; J[2] = 0; J[3] = 0; },
};

/** y = (sin t, cos t) as y1' = y2, y2' = −y1. */
const oscillator: OdeProblem = {
  n: 2,
  rhs(_t, y, dy) { dy[0] = y[1]; dy[1] = -y[0]; },
  jac(_t, _y, J) { J[0] = 0; J[1] = 1; J[2] = -1; J[3] = 0; },
};

describe.each(METHODS)('%s', (method) => {
  it('returns rows at saveAt times, accurate by dense output', () => {
    const saveAt = [0, 0.1, 0.55, 1, 2.5, 4];
    const sol = solve(decay, Float64Array.from([1]), { t0: 0, tEnd: 4, rtol: 1e-8, atol: 1e-12, method, saveAt });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(Array.from(sol.t)).toEqual(saveAt);
    saveAt.forEach((t, k) => expect(Math.abs(sol.y[k] - Math.exp(-t))).toBeLessThan(1e-6));
  });

  it('stores every step by default, starting at t0 and ending exactly at tEnd', () => {
    const sol = solve(decay, Float64Array.from([1]), { t0: 0, tEnd: 4, method });
    expect(sol.t[0]).toBe(0);
    expect(sol.t[sol.t.length - 1]).toBe(4);
    expect(sol.t.length).toBe(sol.stats.steps + 1);
    for (let k = 1; k < sol.t.length; k++) expect(sol.t[k]).toBeGreaterThan(sol.t[k - 1]);
  });

  it('steps exactly onto tstops, calls onTstop there and applies its change (a dose)', () => {
    const seen: number[] = [];
    const sol = solve(decay, Float64Array.from([1]), {
      t0: 0, tEnd: 2, rtol: 1e-9, atol: 1e-12, method, tstops: [1, 0.3],
      onTstop: (t, y) => {
        seen.push(t);
        if (t === 1) {
          y[0] += 1;
          return 'modified';
        }
        return 'continue';
      },
    });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(seen).toEqual([0.3, 1]);
    // Both stop times are among the stored step ends, exactly.
    expect(Array.from(sol.t)).toContain(0.3);
    expect(Array.from(sol.t)).toContain(1);
    const exact = (Math.exp(-1) + 1) * Math.exp(-1);
    expect(Math.abs(sol.yEnd[0] - exact)).toBeLessThan(1e-7);
  });

  it('locates a bouncing ball’s impacts to 1e-10 and restarts after each', () => {
    const impacts: number[] = [];
    const roots: RootFunctions = {
      n: 1,
      g(_t, y, out) { out[0] = y[0]; },
      onRoot(t, y, dir) {
        expect(dir[0]).toBe(-1);
        impacts.push(t);
        y[0] = 0;
        y[1] = -0.9 * y[1];
        return 'modified';
      },
    };
    const sol = solve(fall, Float64Array.from([10, 0]), { t0: 0, tEnd: 8, rtol: 1e-10, atol: 1e-12, method, roots });
    expect(sol.retcode).toBe(RetCode.Success);
    // Exact impact times: t1 = √(2h/g), then flights of 2·v_k/g with v_k = 0.9^k·g·t1.
    const t1 = Math.sqrt((2 * 10) / G);
    const expected = [t1];
    let v = G * t1;
    while (expected.length < 3) {
      v *= 0.9;
      expected.push(expected[expected.length - 1] + (2 * v) / G);
    }
    expect(impacts.length).toBeGreaterThanOrEqual(3);
    for (let k = 0; k < 3; k++) expect(Math.abs(impacts[k] - expected[k])).toBeLessThan(1e-9 * (k + 1));
    expect(Math.abs(impacts[0] - t1)).toBeLessThan(1e-10);
  });

  it('reports the crossing direction of each root function', () => {
    const found: [number, number, number][] = [];
    const roots: RootFunctions = {
      n: 2,
      // g0 = sin t crosses downward at π and upward at 2π; g1 = cos t − 0.5 never at the same time.
      g(_t, y, out) { out[0] = y[0]; out[1] = y[1] - 0.5; },
      onRoot(t, _y, dir) { found.push([t, dir[0], dir[1]]); return 'continue'; },
    };
    const sol = solve(oscillator, Float64Array.from([0, 1]), { t0: 0, tEnd: 7, rtol: 1e-10, atol: 1e-12, method, roots });
    expect(sol.retcode).toBe(RetCode.Success);
    const expected: [number, number, number][] = [
      [Math.PI / 3, 0, -1], [Math.PI, -1, 0], [(5 * Math.PI) / 3, 0, 1], [2 * Math.PI, 1, 0],
    ];
    expect(found.length).toBe(expected.length);
    found.forEach(([t, d0, d1], k) => {
      expect(Math.abs(t - expected[k][0])).toBeLessThan(1e-8);
      expect([d0, d1]).toEqual([expected[k][1], expected[k][2]]);
    });
  });

  it("stops with Terminated at a root when the event returns 'stop'", () => {
    const roots: RootFunctions = {
      n: 1,
      g(_t, y, out) { out[0] = y[0] - 0.25; },
      onRoot: () => 'stop',
    };
    const sol = solve(decay, Float64Array.from([1]), { t0: 0, tEnd: 10, rtol: 1e-10, atol: 1e-12, method, roots, saveAt: [0, 1, 5, 10] });
    expect(sol.retcode).toBe(RetCode.Terminated);
    expect(Math.abs(sol.tReached - Math.log(4))).toBeLessThan(1e-8);
    expect(Math.abs(sol.yEnd[0] - 0.25)).toBeLessThan(1e-8);
    // Only the outputs before the stop are present.
    expect(Array.from(sol.t)).toEqual([0, 1]);
    expect(sol.message).toMatch(/stop/);
  });
});

describe('tstop at t0 and at tEnd', () => {
  it('applies a change at t0 before the first step and at tEnd to the final state', () => {
    const sol = solve(decay, Float64Array.from([1]), {
      t0: 0, tEnd: 1, rtol: 1e-9, atol: 1e-12, tstops: [0, 1], saveAt: [0, 1],
      onTstop: (_t, y) => { y[0] += 1; return 'modified'; },
    });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(sol.y[0]).toBe(2);
    expect(Math.abs(sol.y[1] - (2 * Math.exp(-1) + 1))).toBeLessThan(1e-7);
    expect(Math.abs(sol.yEnd[0] - (2 * Math.exp(-1) + 1))).toBeLessThan(1e-7);
  });
});

describe('an event and a tstop at the same time', () => {
  it('handles both: the root first, then the tstop, and integration goes on', () => {
    // y' = 1 from 0: the root y = 1 falls exactly on the tstop t = 1.
    const ramp: OdeProblem = { n: 1, rhs(_t, _y, dy) { dy[0] = 1; }, jac(_t, _y, J) { J[0] = 0; } };
    const log: string[] = [];
    const sol = solve(ramp, Float64Array.from([0]), {
      t0: 0, tEnd: 2, rtol: 1e-10, atol: 1e-12, tstops: [1],
      onTstop: (t, y) => { log.push(`stop ${t}`); y[0] += 10; return 'modified'; },
      roots: {
        n: 1,
        g(_t, y, o) { o[0] = y[0] - 1; },
        onRoot(t, y) { log.push(`root ${t.toFixed(9)}`); y[0] += 100; return 'modified'; },
      },
    });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(log).toEqual(['root 1.000000000', 'stop 1']);
    expect(sol.yEnd[0]).toBeCloseTo(112, 8);
  });
});
