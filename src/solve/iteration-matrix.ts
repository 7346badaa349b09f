/**
 * The Newton iteration matrix M = I − c·J shared by the implicit methods (BDF: c = γ = h/ℓ₁;
 * Rosenbrock: c = γ·h). It owns the saved Jacobian, so a method can refactor M for a new c
 * without re-evaluating J (the reuse strategy of CVODE, Hindmarsh et al. 2005, §2.1).
 */
import { luFactor, luSolve } from './linalg/dense-lu.js';
import type { OdeProblem, SolverStats } from './types.js';
import { wrmsNorm } from './norms.js';

export interface IterationMatrix {
  /**
   * Evaluates and stores J = ∂f/∂y at (t, y): analytic when the problem provides it, else by
   * forward differences. `fy` must hold f(t, y); `ewt` and `h` size the increments.
   * `y` may be perturbed during the call but is restored bit for bit.
   */
  updateJacobian(t: number, y: Float64Array, fy: Float64Array, ewt: Float64Array, h: number): void;
  /** Forms M = I − c·J from the stored J and factorises it; false when M is singular. */
  factor(c: number): boolean;
  /** Solves M·x = b in place. */
  solve(b: Float64Array): void;
}

const SQRT_UROUND = Math.sqrt(Number.EPSILON);

/**
 * Column increment for a forward-difference Jacobian, as CVODE's dense difference quotient
 * (cvLsDenseDQJac): δ_j = max(√u·|y_j|, minInc / w_j), where minInc guards against increments
 * that are lost in the error weights when y_j ≈ 0.
 */
export function fdMinIncrement(n: number, fy: Float64Array, ewt: Float64Array, h: number): number {
  const fnorm = wrmsNorm(n, fy, ewt);
  return fnorm !== 0 ? 1000 * Math.abs(h) * Number.EPSILON * n * fnorm : 1;
}

/** Dense M with LU and partial pivoting; for small and medium n. */
export class DenseIterationMatrix implements IterationMatrix {
  private readonly n: number;
  private readonly jac: Float64Array;
  private readonly m: Float64Array;
  private readonly piv: Int32Array;
  private readonly fwork: Float64Array;
  private sparseValues: Float64Array | null = null;

  constructor(private readonly problem: OdeProblem, private readonly stats: SolverStats) {
    const n = problem.n;
    this.n = n;
    this.jac = new Float64Array(n * n);
    this.m = new Float64Array(n * n);
    this.piv = new Int32Array(n);
    this.fwork = new Float64Array(n);
  }

  updateJacobian(t: number, y: Float64Array, fy: Float64Array, ewt: Float64Array, h: number): void {
    const { n, jac, problem, stats } = this;
    stats.nJ++;
    if (problem.jac !== undefined) {
      problem.jac(t, y, jac);
      return;
    }
    if (problem.jacSparse !== undefined && problem.jacPattern !== undefined) {
      // Only a sparse Jacobian is given: scatter it (the work array is made on first use).
      const p = problem.jacPattern;
      if (this.sparseValues === null) this.sparseValues = new Float64Array(p.colIdx.length);
      const v = this.sparseValues;
      problem.jacSparse(t, y, v);
      jac.fill(0);
      for (let i = 0; i < n; i++) for (let k = p.rowPtr[i]; k < p.rowPtr[i + 1]; k++) jac[i * n + p.colIdx[k]] = v[k];
      return;
    }
    const minInc = fdMinIncrement(n, fy, ewt, h);
    const f1 = this.fwork;
    for (let j = 0; j < n; j++) {
      const yj = y[j];
      const inc0 = Math.max(SQRT_UROUND * Math.abs(yj), minInc / ewt[j]);
      y[j] = yj + inc0;
      // The increment actually represented in floating point.
      const inc = y[j] - yj;
      problem.rhs(t, y, f1);
      stats.nf++;
      y[j] = yj;
      const r = 1 / inc;
      for (let i = 0; i < n; i++) jac[i * n + j] = (f1[i] - fy[i]) * r;
    }
  }

  factor(c: number): boolean {
    const { n, jac, m } = this;
    const nn = n * n;
    for (let k = 0; k < nn; k++) m[k] = -c * jac[k];
    for (let i = 0; i < n; i++) m[i * n + i] += 1;
    this.stats.nLU++;
    return luFactor(n, m, this.piv) === 0;
  }

  solve(b: Float64Array): void {
    this.stats.nSolve++;
    luSolve(this.n, this.m, this.piv, b);
  }
}
