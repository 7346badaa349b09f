import { describe, expect, it } from 'vitest';
import { classifyEffect } from '../dose-response.js';
import { fitHill, hillResponse } from './hill.js';
import { levenbergMarquardt } from './levenberg-marquardt.js';
import { studentTCdf, studentTQuantile } from './student-t.js';

/** A small seeded generator (xorshift32) and Box–Muller normals, so the tests are reproducible. */
function normals(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const u = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

const CONC = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000];

describe("Student's t", () => {
  it('reproduces tabulated two-sided 95 % quantiles', () => {
    // Standard tables (e.g. Abramowitz & Stegun Table 26.10).
    const table: [number, number][] = [[1, 12.706], [2, 4.303], [5, 2.571], [10, 2.228], [30, 2.042], [120, 1.980]];
    for (const [df, q] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(q, 3);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 14);
    expect(studentTCdf(-2.228, 10)).toBeCloseTo(0.025, 4);
  });
});

describe('Levenberg–Marquardt', () => {
  it('finds the minimum of the Rosenbrock function written as residuals', () => {
    const r = levenbergMarquardt((p, out) => {
      out[0] = 10 * (p[1] - p[0] * p[0]);
      out[1] = 1 - p[0];
    }, [-1.2, 1], { m: 2 });
    expect(r.params[0]).toBeCloseTo(1, 8);
    expect(r.params[1]).toBeCloseTo(1, 8);
    expect(r.converged).toBe(true);
  });

  it('respects bounds', () => {
    const r = levenbergMarquardt((p, out) => (out[0] = p[0] - 5), [0], { m: 1, upper: [2] });
    expect(r.params[0]).toBe(2);
  });
});

describe('Hill fit', () => {
  it('recovers IC50 and slope exactly from noise-free data', () => {
    const pts = CONC.map((c) => ({ concentration_nM: c, response: hillResponse(c, 42, 1.3) }));
    const f = fitHill(pts);
    expect(f.ic50_nM).toBeCloseTo(42, 6);
    expect(f.hill).toBeCloseTo(1.3, 8);
    expect(f.ic50_ci_nM[1] / f.ic50_ci_nM[0]).toBeLessThan(1 + 1e-6);
  });

  it('recovers known parameters from noisy data, with intervals that cover them about 95 % of the time', () => {
    const truth = { ic50: 250, hill: 0.8, bottom: 0.1, top: 1 };
    let covered = 0;
    let coveredHill = 0;
    const N = 300;
    for (let k = 0; k < N; k++) {
      const z = normals(1000 + k);
      const pts = CONC.map((c) => ({ concentration_nM: c, response: hillResponse(c, truth.ic50, truth.hill, truth.bottom, truth.top) + 0.03 * z() }));
      const f = fitHill(pts, { fitBottom: true, fitTop: true });
      if (f.ic50_ci_nM[0] <= truth.ic50 && truth.ic50 <= f.ic50_ci_nM[1]) covered++;
      if (f.hill_ci[0] <= truth.hill && truth.hill <= f.hill_ci[1]) coveredHill++;
    }
    // Asymptotic intervals on 10 points: coverage near the nominal 95 %.
    expect(covered / N).toBeGreaterThan(0.88);
    expect(covered / N).toBeLessThan(0.99);
    expect(coveredHill / N).toBeGreaterThan(0.86);
  });

  it('fits an activator (bottom above top)', () => {
    const pts = CONC.map((c) => ({ concentration_nM: c, response: hillResponse(c, 8, 1, 3, 1) }));
    const f = fitHill(pts, { fitBottom: true });
    expect(f.ic50_nM).toBeCloseTo(8, 5);
    expect(f.bottom).toBeCloseTo(3, 6);
  });

  it('refuses too few or bad points', () => {
    expect(() => fitHill([{ concentration_nM: 1, response: 0.5 }, { concentration_nM: 2, response: 0.4 }])).toThrow(/at least 3 points/);
    expect(() => fitHill([{ concentration_nM: -1, response: 0.5 }, { concentration_nM: 2, response: 0.4 }, { concentration_nM: 3, response: 0.3 }])).toThrow(/points\[0\]\.concentration_nM/);
  });
});

describe('effect classification', () => {
  it('tells inhibition, stimulation, mixed and none apart at 5 %', () => {
    expect(classifyEffect([1, 0.9, 0.5])).toBe('inhibition');
    expect(classifyEffect([1, 1.2, 2])).toBe('stimulation');
    expect(classifyEffect([1.2, 0.5])).toBe('mixed');
    expect(classifyEffect([1, 0.97, 1.03])).toBe('none');
  });
});
