/**
 * The shared IVP test set solved to its reference values, and the work bounded: step counts at
 * rtol 1e-6 stay near what CVODE needs for the same problems (ROBER ≈ 900, POLLU ≈ 270,
 * VDPOL ≈ 1600 steps with dense LU and analytic Jacobian).
 */
import { describe, expect, it } from 'vitest';
import { solve } from './solve.js';
import { loadIvp, scd, type IvpName } from './test-problems.js';
import { RetCode, type MethodName } from './types.js';

interface Expectation { name: IvpName; method: MethodName; rtol: number; atol: number; minScd: number }

// Digits reached are limited by the problems themselves: ROBER's y2 ≈ 8e-14 is far below atol,
// E5's y2 and y3 carry the drift of a neutral invariant (see its reference.json), AREN and PLEI
// amplify errors along the orbit.
const EXPECTED: Expectation[] = [
  { name: 'rober', method: 'bdf', rtol: 1e-8, atol: 1e-14, minScd: 5 },
  { name: 'e5', method: 'bdf', rtol: 1e-8, atol: 1e-30, minScd: 4 },
  { name: 'pollu', method: 'bdf', rtol: 1e-8, atol: 1e-12, minScd: 6 },
  { name: 'vdpol', method: 'bdf', rtol: 1e-8, atol: 1e-12, minScd: 6 },
  { name: 'aren', method: 'bdf', rtol: 1e-10, atol: 1e-14, minScd: 5 },
  { name: 'plei', method: 'bdf', rtol: 1e-10, atol: 1e-14, minScd: 5 },
  { name: 'rober', method: 'rosenbrock', rtol: 1e-8, atol: 1e-14, minScd: 5 },
  { name: 'pollu', method: 'rosenbrock', rtol: 1e-8, atol: 1e-12, minScd: 7 },
  { name: 'vdpol', method: 'rosenbrock', rtol: 1e-8, atol: 1e-12, minScd: 7 },
  { name: 'aren', method: 'dopri5', rtol: 1e-10, atol: 1e-14, minScd: 6 },
  { name: 'plei', method: 'dopri5', rtol: 1e-10, atol: 1e-14, minScd: 7 },
];

describe('IVP test set: accuracy against the references', () => {
  it.each(EXPECTED)('$name with $method at rtol $rtol reaches ≥ $minScd significant digits', ({ name, method, rtol, atol, minScd }) => {
    const c = loadIvp(name);
    const sol = solve(c.problem, c.y0, { t0: c.t0, tEnd: c.tEnd, rtol, atol, method, saveAt: [c.tEnd] });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(sol.tReached).toBe(c.tEnd);
    expect(sol.t[sol.t.length - 1]).toBe(c.tEnd);
    expect(scd(sol.yEnd, c.reference, c.compare)).toBeGreaterThanOrEqual(minScd);
  });
});

describe('IVP test set: work at rtol 1e-6, atol 1e-10 (BDF)', () => {
  // Upper bounds about 15 % above CVODE 6.4's counts for the same settings.
  const bounds: [IvpName, number, number][] = [
    ['rober', 1050, 60],
    ['pollu', 320, 10],
    ['vdpol', 1850, 40],
  ];
  it.each(bounds)('%s: at most %i steps and %i Jacobians', (name, maxSteps, maxJ) => {
    const c = loadIvp(name);
    const sol = solve(c.problem, c.y0, { t0: c.t0, tEnd: c.tEnd, rtol: 1e-6, atol: 1e-10, saveAt: [c.tEnd] });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(sol.stats.steps).toBeLessThanOrEqual(maxSteps);
    expect(sol.stats.nJ).toBeLessThanOrEqual(maxJ);
    // Newton iterations per step stay low: the Jacobian/LU reuse works.
    expect(sol.stats.nNewton / sol.stats.steps).toBeLessThan(1.8);
    // M is refactored far less often than once per step.
    expect(sol.stats.nLU).toBeLessThan(0.35 * sol.stats.steps);
  });

  it('E5 with atol 1e-10 (above the solution scale) fails loudly instead of returning garbage', () => {
    const c = loadIvp('e5');
    const sol = solve(c.problem, c.y0, { t0: c.t0, tEnd: c.tEnd, rtol: 1e-6, atol: 1e-10, saveAt: [c.tEnd] });
    // The solution components are far below atol, so the computed state is noise that blows up.
    if (sol.retcode === RetCode.Success) {
      expect(scd(sol.yEnd, c.reference, c.compare)).toBeGreaterThan(0);
    } else {
      expect(sol.tReached).toBeLessThan(c.tEnd);
      expect(sol.message).not.toBe('');
    }
  });
});
