/**
 * Discontinuities of the right-hand side at tstops and at roots: a pulse that switches on at a
 * stimulus edge (given as a tstop), and a piecewise condition whose root falls on a tstop.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../compile/compile.js';
import { num, parseExpr } from '../math/index.js';
import type { Model } from '../model/ir.js';
import { simulate } from './simulate.js';
import { solve } from './solve.js';
import { RetCode, type MethodName, type OdeProblem } from './types.js';

const METHODS: MethodName[] = ['bdf', 'rosenbrock', 'dopri5'];
const base: Model = { name: 't', states: [], parameters: [], assigned: [], events: [], observables: [] };

/**
 * y' = A·[t ≥ 1000] − y from y = 0: the pulse switches on exactly at the tstop 1000, so
 * y = A·(1 − e^−(t−1000)) after it. With y = 0 and a tight atol before the edge, a step that
 * ends on 1000 and sees the pulse there fails its error test until the step size underflows.
 */
const A = 1000;
const pulseAt = (on: (t: number) => boolean, log?: number[]): OdeProblem => ({
  n: 1,
  rhs(t, y, dy) {
    log?.push(t);
    dy[0] = (on(t) ? A : 0) - y[0];
  },
  jac(_t, _y, J) { J[0] = -1; },
});
const exact = (t: number): number => (t <= 1000 ? 0 : A * (1 - Math.exp(-(t - 1000))));

describe.each(METHODS)('%s: a pulse that switches on at a tstop', (method) => {
  it('steps onto the edge and restarts there instead of failing with DtLessThanMin', () => {
    const sol = solve(pulseAt((t) => t >= 1000), Float64Array.from([0]), {
      t0: 0, tEnd: 1005, tstops: [1000], method, rtol: 1e-6, atol: 1e-12, saveAt: [999, 1001, 1005],
    });
    expect(sol.retcode, sol.message).toBe(RetCode.Success);
    expect(sol.y[0]).toBe(0);
    for (const k of [1, 2]) expect(Math.abs(sol.y[k] - exact(sol.t[k]))).toBeLessThan(1e-4 * A);
    // Integrating the jump over the step that ends on the edge costs hundreds of rejections.
    expect(sol.stats.rejected).toBeLessThan(10);
  });

  it('never evaluates f at or beyond the tstop before stopping there, and takes the new side after it', () => {
    const log: number[] = [];
    const atStop: number[] = [];
    // A strict condition: the pulse is off at t = 1000 itself and on just after.
    const sol = solve(pulseAt((t) => t > 1000, log), Float64Array.from([0]), {
      t0: 0, tEnd: 1002, tstops: [1000], method, rtol: 1e-8, atol: 1e-12, saveAt: [1001, 1002],
      onTstop: () => { atStop.push(log.length); return 'continue'; },
    });
    expect(sol.retcode, sol.message).toBe(RetCode.Success);
    expect(atStop).toHaveLength(1);
    const before = log.slice(0, atStop[0]);
    const after = log.slice(atStop[0]);
    expect(Math.max(...before)).toBeLessThan(1000);
    expect(Math.min(...after)).toBeGreaterThan(1000);
    // The restart sees the pulse (f just after 1000), so y follows it from the edge on.
    expect(Math.abs(sol.y[0] - exact(1001))).toBeLessThan(1e-5 * A);
  });

  it('passes a 2 ms pulse whose both edges are tstops, late in a long run', () => {
    const t1 = 600_000;
    const sol = solve(pulseAt((t) => t >= t1 && t < t1 + 2), Float64Array.from([0]), {
      t0: 0, tEnd: t1 + 10, tstops: [t1, t1 + 2], method, rtol: 1e-6, atol: 1e-12, saveAt: [t1 + 2, t1 + 10],
    });
    expect(sol.retcode, sol.message).toBe(RetCode.Success);
    const y2 = A * (1 - Math.exp(-2));
    expect(Math.abs(sol.y[0] - y2)).toBeLessThan(1e-4 * A);
    expect(Math.abs(sol.y[1] - y2 * Math.exp(-8))).toBeLessThan(1e-4 * A);
  });
});

describe.each(METHODS)('%s: a discontinuity root exactly on a tstop', (method) => {
  it('restarts at the root, handles the tstop at the same time and goes on (solve)', () => {
    const stops: number[] = [];
    const roots: number[] = [];
    const ramp: OdeProblem = { n: 1, rhs(t, y, dy) { dy[0] = (t >= 1000 ? 1 : 0) - 0.01 * y[0]; }, jac(_t, _y, J) { J[0] = -0.01; } };
    const sol = solve(ramp, Float64Array.from([0]), {
      t0: 0, tEnd: 2000, tstops: [1000, 1500], method, rtol: 1e-8, atol: 1e-10,
      onTstop: (t) => { stops.push(t); return 'continue'; },
      roots: { n: 1, g(t, _y, out) { out[0] = t - 1000; }, onRoot: (t) => { roots.push(t); return 'modified'; } },
    });
    expect(sol.retcode, sol.message).toBe(RetCode.Success);
    expect(roots).toEqual([1000]);
    expect(stops).toEqual([1000, 1500]);
    expect(sol.yEnd[0]).toBeCloseTo(100 * (1 - Math.exp(-10)), 4);
  });

  it('simulates a compiled piecewise rate with the edge also given as a tstop', () => {
    const m: Model = { ...base, states: [{ name: 'x', initial: num(0), rate: parseExpr('piecewise(1, time >= 1000, 0) - 0.01*x') }] };
    const r = simulate(compile(m), { tEnd: 2000, saveAt: [1000, 2000], tstops: [1000], method, rtol: 1e-8, atol: 1e-10 });
    expect(r.retcode, r.message).toBe(RetCode.Success);
    expect(r.y[0]).toBeCloseTo(0, 8);
    expect(r.y[1]).toBeCloseTo(100 * (1 - Math.exp(-10)), 4);
  });
});
