/**
 * Measured convergence orders: fixed-step runs of the one-step methods (error slope against h)
 * and tolerance proportionality of the adaptive methods, on problems with closed-form
 * solutions.
 */
import { describe, expect, it } from 'vitest';
import { Dopri5 } from './dopri5.js';
import { Rosenbrock } from './rosenbrock.js';
import { RODAS4, RODAS4P } from './rosenbrock-tableaus.js';
import { resolveSettings, type StepperSettings } from './settings.js';
import { solve } from './solve.js';
import { logSlope } from './test-utils.js';
import { newStats, RetCode, type Integrator, type MethodName, type OdeProblem } from './types.js';

/** x' = x(1 − r²) − y, y' = y(1 − r²) + x: r(t) = (1 + (1/r0² − 1)e^(−2t))^(−1/2), θ(t) = θ0 + t. */
const limitCycle: OdeProblem = {
  n: 2,
  rhs(_t, y, dy) {
    const r2 = y[0] * y[0] + y[1] * y[1];
    dy[0] = y[0] * (1 - r2) - y[1];
    dy[1] = y[1] * (1 - r2) + y[0];
  },
  jac(_t, y, J) {
    const x = y[0], z = y[1];
    const r2 = x * x + z * z;
    J[0] = 1 - r2 - 2 * x * x; J[1] = -2 * x * z - 1;
    J[2] = -2 * x * z + 1; J[3] = 1 - r2 - 2 * z * z;
  },
};
function limitCycleExact(t: number, r0: number): [number, number] {
  const r = 1 / Math.sqrt(1 + (1 / (r0 * r0) - 1) * Math.exp(-2 * t));
  return [r * Math.cos(t), r * Math.sin(t)];
}

/** Non-autonomous scalar y' = −2t·y², y(0) = 1: y = 1/(1 + t²) (exercises ∂f/∂t in Rosenbrock). */
const nonAutonomous: OdeProblem = {
  n: 1,
  rhs(t, y, dy) { dy[0] = -2 * t * y[0] * y[0]; },
  jac(t, y, J) { J[0] = -4 * t * y[0]; },
};

function settingsFor(problem: OdeProblem, y0: Float64Array, method: MethodName, fixedStep: number): StepperSettings {
  const s = resolveSettings(problem, y0, { t0: 0, tEnd: 1, rtol: 1e-6, atol: 1e-10 }, method, newStats());
  if (typeof s === 'string') throw new Error(s);
  return { ...s, fixedStep };
}

/** Integrates to t = 1 with fixed steps 1/m and returns the max-norm error. */
function fixedStepError(
  make: (p: OdeProblem, y0: Float64Array, s: StepperSettings) => Integrator,
  problem: OdeProblem, y0: Float64Array, exact: Float64Array, m: number, method: MethodName,
): number {
  const integ = make(problem, y0, settingsFor(problem, y0, method, 1 / m));
  let k = 0;
  while (integ.t < 1) {
    expect(integ.step(1)).toBe(RetCode.Success);
    k++;
  }
  expect(k).toBeGreaterThanOrEqual(m);
  expect(k).toBeLessThanOrEqual(m + 1);
  let e = 0;
  for (let i = 0; i < problem.n; i++) e = Math.max(e, Math.abs(integ.y[i] - exact[i]));
  return e;
}

const cases = [
  { name: 'limit cycle (2D, nonlinear)', problem: limitCycle, y0: Float64Array.from([0.5, 0]), exact: Float64Array.from(limitCycleExact(1, 0.5)) },
  { name: "y' = −2t·y² (non-autonomous)", problem: nonAutonomous, y0: Float64Array.from([1]), exact: Float64Array.from([0.5]) },
];

describe('fixed-step convergence order', () => {
  const ms = [8, 16, 32, 64];
  for (const c of cases) {
    it(`Dormand–Prince 5(4) has order 5 on ${c.name}`, () => {
      const errs = ms.map((m) => fixedStepError((p, y, s) => new Dopri5(p, y, s), c.problem, c.y0, c.exact, m, 'dopri5'));
      const slope = logSlope(ms.map((m) => 1 / m), errs);
      expect(slope).toBeGreaterThan(4.6);
      expect(slope).toBeLessThan(5.6);
    });
    for (const tab of [RODAS4, RODAS4P]) {
      it(`${tab.name} has order 4 on ${c.name}`, () => {
        const errs = ms.map((m) => fixedStepError((p, y, s) => new Rosenbrock(p, y, s, tab), c.problem, c.y0, c.exact, m, 'rosenbrock'));
        const slope = logSlope(ms.map((m) => 1 / m), errs);
        expect(slope).toBeGreaterThan(3.6);
        expect(slope).toBeLessThan(4.8);
      });
    }
  }
});

describe('dense output order', () => {
  /** Max error of the interpolant at interior points of each fixed step of size 1/m. */
  function denseError(make: (p: OdeProblem, y0: Float64Array, s: StepperSettings) => Integrator, method: MethodName, m: number): number {
    const y0 = Float64Array.from([0.5, 0]);
    const integ = make(limitCycle, y0, settingsFor(limitCycle, y0, method, 1 / m));
    const out = new Float64Array(2);
    let e = 0;
    // The global error also enters; it is of higher order, so the local interpolation error dominates.
    while (integ.t < 1) {
      integ.step(1);
      for (const th of [0.25, 0.5, 0.8]) {
        const t = integ.tPrev + th * (integ.t - integ.tPrev);
        integ.interpolate(t, out);
        const ex = limitCycleExact(t, 0.5);
        e = Math.max(e, Math.abs(out[0] - ex[0]), Math.abs(out[1] - ex[1]));
      }
    }
    return e;
  }
  const ms = [8, 16, 32, 64];
  it('DOPRI5 continuous extension is 4th order (error ∝ h^5 locally, h^4 or better globally)', () => {
    const errs = ms.map((m) => denseError((p, y, s) => new Dopri5(p, y, s), 'dopri5', m));
    expect(logSlope(ms.map((m) => 1 / m), errs)).toBeGreaterThan(3.8);
  });
  for (const tab of [RODAS4, RODAS4P]) {
    it(`${tab.name} continuous extension is 3rd order`, () => {
      const errs = ms.map((m) => denseError((p, y, s) => new Rosenbrock(p, y, s, tab), 'rosenbrock', m));
      expect(logSlope(ms.map((m) => 1 / m), errs)).toBeGreaterThan(2.8);
    });
  }
});

describe('adaptive methods: error follows the tolerance', () => {
  const tols = [1e-4, 1e-5, 1e-6, 1e-7, 1e-8];
  for (const method of ['bdf', 'rosenbrock', 'dopri5'] as const) {
    it(`${method}: global error decreases with rtol at a slope near 1`, () => {
      const y0 = Float64Array.from([0.5, 0]);
      const errs = tols.map((rtol) => {
        const sol = solve(limitCycle, y0, { t0: 0, tEnd: 3, rtol, atol: rtol * 1e-2, method, saveAt: [3] });
        expect(sol.retcode).toBe(RetCode.Success);
        const ex = limitCycleExact(3, 0.5);
        return Math.max(Math.abs(sol.yEnd[0] - ex[0]), Math.abs(sol.yEnd[1] - ex[1]));
      });
      const slope = logSlope(tols, errs);
      // Tolerance proportionality: error ∝ tol^s with s close to 1 (0.7–1.3 is typical of good codes).
      expect(slope).toBeGreaterThan(0.6);
      expect(slope).toBeLessThan(1.4);
      // And the error is of the order of the tolerance, not orders of magnitude above it.
      for (let k = 0; k < tols.length; k++) expect(errs[k]).toBeLessThan(300 * tols[k]);
    });
  }

  it("bdf on y' = λy (λ = −1000, stiff) stays stable with large steps and meets the tolerance", () => {
    const lam = -1000;
    const p: OdeProblem = { n: 1, rhs(_t, y, dy) { dy[0] = lam * (y[0] - Math.cos(_t)) - Math.sin(_t); }, jac(_t, _y, J) { J[0] = lam; } };
    // Exact solution y = cos t for y(0) = 1.
    const sol = solve(p, Float64Array.from([1]), { t0: 0, tEnd: 10, rtol: 1e-6, atol: 1e-10, saveAt: [10] });
    expect(sol.retcode).toBe(RetCode.Success);
    expect(Math.abs(sol.yEnd[0] - Math.cos(10))).toBeLessThan(1e-4);
    // An explicit method would need about 10·1000/3.3 ≈ 3000 steps; BDF needs far fewer.
    expect(sol.stats.steps).toBeLessThan(800);
  });
});
