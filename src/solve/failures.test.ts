/** Failures are loud: a failing retcode, the time reached and a message; bad input is rejected. */
import { describe, expect, it } from 'vitest';
import { solve } from './solve.js';
import { RetCode, type MethodName, type OdeProblem } from './types.js';

const METHODS: MethodName[] = ['bdf', 'rosenbrock', 'dopri5'];
const decay: OdeProblem = { n: 1, rhs(_t, y, dy) { dy[0] = -y[0]; } };

describe.each(METHODS)('%s', (method) => {
  it("y' = y² from y(0) = 1 blows up at t = 1: the solve stops before it and says why", () => {
    const blowUp: OdeProblem = { n: 1, rhs(_t, y, dy) { dy[0] = y[0] * y[0]; }, jac(_t, y, J) { J[0] = 2 * y[0]; } };
    const sol = solve(blowUp, Float64Array.from([1]), { t0: 0, tEnd: 2, method });
    expect(sol.retcode).not.toBe(RetCode.Success);
    expect(sol.retcode).not.toBe(RetCode.Terminated);
    expect(sol.tReached).toBeLessThan(1.000001);
    expect(sol.tReached).toBeGreaterThan(0.99);
    expect(sol.message.length).toBeGreaterThan(10);
    // The stored trajectory never claims to pass the singularity.
    expect(sol.t[sol.t.length - 1]).toBeLessThanOrEqual(sol.tReached);
  });

  it('a right-hand side returning NaN gives NonFinite', () => {
    const bad: OdeProblem = { n: 2, rhs(_t, _y, dy) { dy[0] = NaN; dy[1] = 0; } };
    const sol = solve(bad, Float64Array.from([1, 1]), { t0: 0, tEnd: 1, method });
    expect(sol.retcode).toBe(RetCode.NonFinite);
    expect(sol.tReached).toBe(0);
    expect(sol.message).toMatch(/NaN|Inf|finite/);
  });

  it('a right-hand side that turns NaN at t > 0.5 stops there with NonFinite', () => {
    const bad: OdeProblem = { n: 1, rhs(t, y, dy) { dy[0] = t > 0.5 ? Math.sqrt(-1) : -y[0]; } };
    const sol = solve(bad, Float64Array.from([1]), { t0: 0, tEnd: 1, method });
    expect(sol.retcode).toBe(RetCode.NonFinite);
    expect(sol.tReached).toBeLessThanOrEqual(0.5);
    expect(sol.tReached).toBeGreaterThan(0.4);
  });

  it('maxSteps ends the solve with MaxIters at the time reached', () => {
    const sol = solve(decay, Float64Array.from([1]), { t0: 0, tEnd: 100, rtol: 1e-10, method, maxSteps: 5 });
    expect(sol.retcode).toBe(RetCode.MaxIters);
    expect(sol.tReached).toBeGreaterThan(0);
    expect(sol.tReached).toBeLessThan(100);
    expect(sol.stats.steps + sol.stats.rejected).toBe(5);
  });
});

describe('invalid input is rejected with InvalidInput and a message naming the field', () => {
  const y0 = Float64Array.from([1]);
  const cases: [string, () => ReturnType<typeof solve>, RegExp][] = [
    ['tEnd before t0', () => solve(decay, y0, { t0: 1, tEnd: 0 }), /tEnd/],
    ['negative rtol', () => solve(decay, y0, { t0: 0, tEnd: 1, rtol: -1 }), /rtol/],
    ['NaN atol', () => solve(decay, y0, { t0: 0, tEnd: 1, atol: NaN }), /atol/],
    ['atol of the wrong length', () => solve(decay, y0, { t0: 0, tEnd: 1, atol: new Float64Array(2) }), /atol/],
    ['y0 of the wrong length', () => solve(decay, new Float64Array(2), { t0: 0, tEnd: 1 }), /y0/],
    ['non-finite y0', () => solve(decay, Float64Array.from([Infinity]), { t0: 0, tEnd: 1 }), /y0/],
    ['saveAt out of order', () => solve(decay, y0, { t0: 0, tEnd: 1, saveAt: [0.5, 0.2] }), /saveAt/],
    ['saveAt outside the span', () => solve(decay, y0, { t0: 0, tEnd: 1, saveAt: [2] }), /saveAt/],
    ['maxOrder 6', () => solve(decay, y0, { t0: 0, tEnd: 1, maxOrder: 6 }), /maxOrder/],
    ['unknown method', () => solve(decay, y0, { t0: 0, tEnd: 1, method: 'euler' as MethodName }), /method/],
    ['sparse solver without a pattern', () => solve(decay, y0, { t0: 0, tEnd: 1, linearSolver: 'sparse' }), /jacPattern/],
    ['zero tolerances', () => solve(decay, y0, { t0: 0, tEnd: 1, rtol: 0, atol: 0 }), /rtol and atol/],
    ['NaN tstop', () => solve(decay, y0, { t0: 0, tEnd: 1, tstops: [NaN] }), /tstops/],
  ];
  it.each(cases)('%s', (_name, run, pattern) => {
    const sol = run();
    expect(sol.retcode).toBe(RetCode.InvalidInput);
    expect(sol.message).toMatch(pattern);
    expect(sol.t.length).toBe(0);
  });

  it('a zero-length span returns the initial point', () => {
    const sol = solve(decay, y0, { t0: 2, tEnd: 2 });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(Array.from(sol.t)).toEqual([2]);
    expect(Array.from(sol.yEnd)).toEqual([1]);
  });

  it('an event callback returning an unknown action is a clear error', () => {
    expect(() => solve(decay, y0, { t0: 0, tEnd: 1, tstops: [0.5], onTstop: () => 'maybe' as 'stop' })).toThrow(/onTstop/);
  });
});
