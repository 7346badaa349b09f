/**
 * The sparse linear-solver path of the implicit methods on a stiff reaction–diffusion system
 * with a few hundred states (the 1D Brusselator of Hairer & Wanner, "Solving ODEs II", §IV.1),
 * against the dense path.
 */
import { describe, expect, it } from 'vitest';
import { resolveSettings } from './settings.js';
import { columnGroups } from './sparse-iteration-matrix.js';
import { solve } from './solve.js';
import { newStats, RetCode, type MethodName, type OdeProblem, type SparsePattern } from './types.js';

/** Brusselator with N grid points, states interleaved as (u_i, v_i). */
function brusselator(N: number, withJacobian: 'sparse' | 'dense' | 'none'): { problem: OdeProblem; y0: Float64Array } {
  const n = 2 * N;
  const alpha = 1 / 50;
  const c = alpha * (N + 1) * (N + 1);
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  for (let i = 0; i < N; i++) {
    const u = 2 * i;
    for (const j of [u - 2, u, u + 1, u + 2]) if (j >= 0 && j < n) cols.push(j);
    rowPtr[u + 1] = cols.length;
    for (const j of [u - 1, u, u + 1, u + 3]) if (j >= 0 && j < n) cols.push(j);
    rowPtr[u + 2] = cols.length;
  }
  const jacPattern: SparsePattern = { n, rowPtr, colIdx: Int32Array.from(cols) };
  const rhs = (_t: number, y: Float64Array, dy: Float64Array): void => {
    for (let i = 0; i < N; i++) {
      const u = y[2 * i];
      const v = y[2 * i + 1];
      const uL = i > 0 ? y[2 * i - 2] : 1;
      const uR = i < N - 1 ? y[2 * i + 2] : 1;
      const vL = i > 0 ? y[2 * i - 1] : 3;
      const vR = i < N - 1 ? y[2 * i + 3] : 3;
      dy[2 * i] = 1 + u * u * v - 4 * u + c * (uL - 2 * u + uR);
      dy[2 * i + 1] = 3 * u - u * u * v + c * (vL - 2 * v + vR);
    }
  };
  const jacSparse = (_t: number, y: Float64Array, vals: Float64Array): void => {
    let k = 0;
    for (let i = 0; i < N; i++) {
      const u = y[2 * i];
      const v = y[2 * i + 1];
      // Row of u_i: u_{i-1}, u_i, v_i, u_{i+1}.
      if (i > 0) vals[k++] = c;
      vals[k++] = 2 * u * v - 4 - 2 * c;
      vals[k++] = u * u;
      if (i < N - 1) vals[k++] = c;
      // Row of v_i: v_{i-1}, u_i, v_i, v_{i+1}.
      if (i > 0) vals[k++] = c;
      vals[k++] = 3 - 2 * u * v;
      vals[k++] = -u * u - 2 * c;
      if (i < N - 1) vals[k++] = c;
    }
  };
  const y0 = new Float64Array(n);
  for (let i = 0; i < N; i++) {
    y0[2 * i] = 1 + Math.sin((2 * Math.PI * (i + 1)) / (N + 1));
    y0[2 * i + 1] = 3;
  }
  const problem: OdeProblem = { n, rhs, jacPattern };
  if (withJacobian === 'sparse') problem.jacSparse = jacSparse;
  if (withJacobian === 'dense') {
    problem.jac = (t, y, J) => {
      J.fill(0);
      const v = new Float64Array(cols.length);
      jacSparse(t, y, v);
      for (let r = 0; r < n; r++) for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) J[r * n + cols[k]] = v[k];
    };
  }
  return { problem, y0 };
}

const N = 150;

describe('sparse Newton matrices (Brusselator, 300 states)', () => {
  const ref = (() => {
    const { problem, y0 } = brusselator(N, 'dense');
    return solve(problem, y0, { t0: 0, tEnd: 10, rtol: 1e-8, atol: 1e-10, linearSolver: 'dense', saveAt: [10] });
  })();

  it.each([
    ['bdf', 'sparse'], ['bdf', 'none'], ['rosenbrock', 'sparse'],
  ] as [MethodName, 'sparse' | 'none'][])('%s with the sparse LU (Jacobian: %s) agrees with the dense solve', (method, jacKind) => {
    expect(ref.retcode).toBe(RetCode.Success);
    const { problem, y0 } = brusselator(N, jacKind);
    const sol = solve(problem, y0, { t0: 0, tEnd: 10, rtol: 1e-8, atol: 1e-10, method, linearSolver: 'sparse', saveAt: [10] });
    expect(sol.retcode).toBe(RetCode.Success);
    let err = 0;
    for (let i = 0; i < 2 * N; i++) err = Math.max(err, Math.abs(sol.yEnd[i] - ref.yEnd[i]) / (1 + Math.abs(ref.yEnd[i])));
    expect(err).toBeLessThan(1e-5);
  });

  it("'auto' picks the sparse path for a large sparse pattern and takes the same steps as dense", () => {
    const { problem, y0 } = brusselator(N, 'sparse');
    const auto = solve(problem, y0, { t0: 0, tEnd: 10, rtol: 1e-8, atol: 1e-10, saveAt: [10] });
    expect(auto.retcode).toBe(RetCode.Success);
    // Same algorithm, different linear algebra: the step sequence matches up to rounding.
    expect(Math.abs(auto.stats.steps - ref.stats.steps)).toBeLessThanOrEqual(Math.ceil(0.05 * ref.stats.steps));
  });

  it("'auto' takes the sparse LU for a cell-sized sparse pattern and dense for a small or full one", () => {
    /** A tridiagonal pattern of n states with `extra` full rows on top. */
    const pattern = (n: number, extra = 0): SparsePattern => {
      const rowPtr = new Int32Array(n + 1);
      const cols: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) if (i < extra || Math.abs(i - j) <= 1) cols.push(j);
        rowPtr[i + 1] = cols.length;
      }
      return { n, rowPtr, colIdx: Int32Array.from(cols) };
    };
    const kind = (p: SparsePattern): string => {
      const problem: OdeProblem = { n: p.n, rhs: () => {}, jacPattern: p };
      const st = resolveSettings(problem, new Float64Array(p.n), { t0: 0, tEnd: 1 }, 'bdf', newStats());
      return typeof st === 'string' ? st : st.linearSolver;
    };
    expect(kind(pattern(48))).toBe('sparse');
    expect(kind(pattern(25))).toBe('sparse');
    expect(kind(pattern(10))).toBe('dense');
    expect(kind(pattern(48, 20))).toBe('dense');
  });

  it('difference Jacobians with column grouping cost a few f evaluations, not n', () => {
    const { problem } = brusselator(N, 'none');
    const { count } = columnGroups(problem.jacPattern!);
    // A pentadiagonal-like pattern needs 5 groups with the greedy method.
    expect(count).toBeLessThanOrEqual(6);
    const y0 = brusselator(N, 'none').y0;
    const sol = solve(problem, y0, { t0: 0, tEnd: 10, rtol: 1e-6, atol: 1e-8, linearSolver: 'sparse', saveAt: [10] });
    expect(sol.retcode).toBe(RetCode.Success);
    const newtonAndStart = sol.stats.nf - count * sol.stats.nJ;
    expect(newtonAndStart).toBeLessThan(2 * (sol.stats.steps + sol.stats.rejected) + 10);
    expect(newtonAndStart).toBeGreaterThan(0);
  });
});
