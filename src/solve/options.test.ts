/** Step-size and order options: hmax, h0, maxOrder, hmin. */
import { describe, expect, it } from 'vitest';
import { Bdf } from './bdf.js';
import { resolveSettings } from './settings.js';
import { solve } from './solve.js';
import { newStats, RetCode, type MethodName, type OdeProblem } from './types.js';

const oscillator: OdeProblem = {
  n: 2,
  rhs(_t, y, dy) { dy[0] = y[1]; dy[1] = -y[0]; },
  jac(_t, _y, J) { J[0] = 0; J[1] = 1; J[2] = -1; J[3] = 0; },
};

describe.each(['bdf', 'rosenbrock', 'dopri5'] as MethodName[])('%s', (method) => {
  it('never takes a step larger than hmax', () => {
    const sol = solve(oscillator, Float64Array.from([0, 1]), { t0: 0, tEnd: 20, rtol: 1e-3, atol: 1e-6, method, hmax: 0.05 });
    expect(sol.retcode).toBe(RetCode.Success);
    for (let k = 1; k < sol.t.length; k++) expect(sol.t[k] - sol.t[k - 1]).toBeLessThanOrEqual(0.05 * (1 + 1e-12));
    expect(sol.stats.steps).toBeGreaterThanOrEqual(400);
  });

  it('starts with the given h0', () => {
    const sol = solve(oscillator, Float64Array.from([0, 1]), { t0: 0, tEnd: 1, method, h0: 1e-5 });
    expect(sol.t[1]).toBeCloseTo(1e-5, 15);
  });
});

describe('BDF order', () => {
  it('rises to 5 on a smooth problem and respects maxOrder', () => {
    for (const maxOrder of [1, 2, 5]) {
      const y0 = Float64Array.from([0, 1]);
      const s = resolveSettings(oscillator, y0, { t0: 0, tEnd: 20, rtol: 1e-6, atol: 1e-9, maxOrder }, 'bdf', newStats());
      if (typeof s === 'string') throw new Error(s);
      const b = new Bdf(oscillator, y0, s);
      let highest = 0;
      while (b.t < 20) {
        expect(b.step(20)).toBe(RetCode.Success);
        highest = Math.max(highest, b.order);
      }
      expect(highest).toBe(maxOrder);
      expect(Math.abs(b.y[0] - Math.sin(20))).toBeLessThan(maxOrder === 1 ? 1e-1 : 1e-3);
    }
  });

  it('hmin stops a solve that needs smaller steps with a failing retcode', () => {
    const blowUp: OdeProblem = { n: 1, rhs(_t, y, dy) { dy[0] = y[0] * y[0]; }, jac(_t, y, J) { J[0] = 2 * y[0]; } };
    const sol = solve(blowUp, Float64Array.from([1]), { t0: 0, tEnd: 2, hmin: 1e-3 });
    expect([RetCode.ErrorTestFailure, RetCode.ConvergenceFailure]).toContain(sol.retcode);
    expect(sol.tReached).toBeLessThan(1);
  });
});
