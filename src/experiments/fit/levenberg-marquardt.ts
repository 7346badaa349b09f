/**
 * Levenberg–Marquardt least squares (Marquardt 1963, SIAM J Appl Math 11:431; the damping
 * scaled by diag(JᵀJ) as in Moré 1978, Lecture Notes in Mathematics 630:105), with
 * finite-difference Jacobians when none is given, and the asymptotic covariance
 * s²·(JᵀJ)⁻¹ at the solution for confidence intervals.
 */
import { luFactor, luSolve } from '../../solve/linalg/dense-lu.js';

/** Residuals r(p) written into `out` (length m). */
export type ResidualFn = (p: Float64Array, out: Float64Array) => void;

export interface LmOptions {
  /** Number of residuals. */
  readonly m: number;
  /** Analytic Jacobian ∂r_i/∂p_j, row-major m×n; default central differences. */
  readonly jacobian?: (p: Float64Array, J: Float64Array) => void;
  /** Maximum iterations (default 200). */
  readonly maxIterations?: number;
  /** Stop when the relative decrease of the cost is below this (default 1e-12). */
  readonly costTolerance?: number;
  /** Stop when the relative step is below this (default 1e-10). */
  readonly stepTolerance?: number;
  /** Lower and upper bounds per parameter (steps are clipped into the box). */
  readonly lower?: ArrayLike<number>;
  readonly upper?: ArrayLike<number>;
  /** Initial damping (default 1e-3). */
  readonly lambda0?: number;
}

export interface LmResult {
  readonly params: Float64Array;
  /** ½·Σ r². */
  readonly cost: number;
  readonly residuals: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Why the iteration stopped. */
  readonly message: string;
  /** Jacobian at the solution (m×n row-major). */
  readonly jacobian: Float64Array;
  /** Residual variance s² = Σr²/(m − n) (NaN when m ≤ n). */
  readonly variance: number;
  /** s²·(JᵀJ)⁻¹ (n×n), or undefined if JᵀJ is singular. */
  readonly covariance?: Float64Array;
  readonly dof: number;
}

function finiteDifferenceJacobian(f: ResidualFn, p: Float64Array, m: number, J: Float64Array, lower?: ArrayLike<number>, upper?: ArrayLike<number>): void {
  const n = p.length;
  const rp = new Float64Array(m);
  const rm = new Float64Array(m);
  const q = Float64Array.from(p);
  for (let j = 0; j < n; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(p[j]));
    let a = p[j] + h;
    let b = p[j] - h;
    if (upper && a > upper[j]) a = p[j];
    if (lower && b < lower[j]) b = p[j];
    q[j] = a;
    f(q, rp);
    q[j] = b;
    f(q, rm);
    q[j] = p[j];
    const d = a - b;
    for (let i = 0; i < m; i++) J[i * n + j] = (rp[i] - rm[i]) / d;
  }
}

const sumSq = (r: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
};

/**
 * Minimises ½‖r(p)‖² from `p0`.
 * @throws RangeError when the residuals at p0 are not finite or the sizes are inconsistent.
 */
export function levenbergMarquardt(f: ResidualFn, p0: ArrayLike<number>, o: LmOptions): LmResult {
  const n = p0.length;
  const m = o.m;
  if (!(n >= 1) || !(m >= 1)) throw new RangeError(`need at least one parameter and one residual (n = ${n}, m = ${m})`);
  const clip = (p: Float64Array): void => {
    for (let j = 0; j < n; j++) {
      if (o.lower && p[j] < o.lower[j]) p[j] = o.lower[j];
      if (o.upper && p[j] > o.upper[j]) p[j] = o.upper[j];
    }
  };
  const p = Float64Array.from(p0);
  clip(p);
  const r = new Float64Array(m);
  f(p, r);
  if (!r.every(Number.isFinite)) throw new RangeError('residuals are not finite at the starting point');
  let cost = 0.5 * sumSq(r);
  const J = new Float64Array(m * n);
  const JtJ = new Float64Array(n * n);
  const g = new Float64Array(n);
  const A = new Float64Array(n * n);
  const step = new Float64Array(n);
  const piv = new Int32Array(n);
  const trial = new Float64Array(n);
  const rTrial = new Float64Array(m);
  let lambda = o.lambda0 ?? 1e-3;
  const maxIt = o.maxIterations ?? 200;
  const ctol = o.costTolerance ?? 1e-12;
  const stol = o.stepTolerance ?? 1e-10;
  let it = 0;
  let converged = false;
  let message = 'maximum iterations reached';
  const jac = (): void => (o.jacobian ? o.jacobian(p, J) : finiteDifferenceJacobian(f, p, m, J, o.lower, o.upper));
  jac();
  for (; it < maxIt; it++) {
    // Normal equations: (JᵀJ + λ·diag(JᵀJ))·δ = −Jᵀr.
    JtJ.fill(0);
    g.fill(0);
    for (let i = 0; i < m; i++) {
      for (let a = 0; a < n; a++) {
        const Jia = J[i * n + a];
        g[a] += Jia * r[i];
        for (let b = 0; b < n; b++) JtJ[a * n + b] += Jia * J[i * n + b];
      }
    }
    if (Math.sqrt(sumSq(g)) === 0) {
      converged = true;
      message = 'zero gradient';
      break;
    }
    let accepted = false;
    for (let tries = 0; tries < 30; tries++) {
      A.set(JtJ);
      for (let a = 0; a < n; a++) A[a * n + a] += lambda * Math.max(JtJ[a * n + a], 1e-12);
      for (let a = 0; a < n; a++) step[a] = -g[a];
      if (luFactor(n, A, piv) !== 0) {
        lambda *= 10;
        continue;
      }
      luSolve(n, A, piv, step);
      for (let a = 0; a < n; a++) trial[a] = p[a] + step[a];
      clip(trial);
      f(trial, rTrial);
      const newCost = rTrial.every(Number.isFinite) ? 0.5 * sumSq(rTrial) : Infinity;
      if (newCost < cost) {
        let rel = 0;
        for (let a = 0; a < n; a++) rel = Math.max(rel, Math.abs(trial[a] - p[a]) / Math.max(1e-12, Math.abs(p[a]) + stol));
        const dec = (cost - newCost) / Math.max(cost, 1e-300);
        p.set(trial);
        r.set(rTrial);
        cost = newCost;
        lambda = Math.max(lambda / 10, 1e-12);
        accepted = true;
        if (dec < ctol || rel < stol) {
          converged = true;
          message = dec < ctol ? 'cost no longer decreases' : 'step below tolerance';
        }
        break;
      }
      lambda *= 10;
    }
    if (!accepted) {
      converged = true;
      message = 'no step reduces the cost (at a minimum to working precision)';
      it++;
      break;
    }
    jac();
    if (converged) {
      it++;
      break;
    }
  }
  // Covariance at the solution: s²·(JᵀJ)⁻¹.
  const dof = m - n;
  const variance = dof > 0 ? sumSq(r) / dof : NaN;
  JtJ.fill(0);
  for (let i = 0; i < m; i++) for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) JtJ[a * n + b] += J[i * n + a] * J[i * n + b];
  let covariance: Float64Array | undefined;
  const F = JtJ.slice();
  if (luFactor(n, F, piv) === 0) {
    covariance = new Float64Array(n * n);
    const col = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      col.fill(0);
      col[b] = 1;
      luSolve(n, F, piv, col);
      for (let a = 0; a < n; a++) covariance[a * n + b] = col[a] * variance;
    }
  }
  return { params: p, cost, residuals: r, iterations: it, converged, message, jacobian: J, variance, dof, ...(covariance ? { covariance } : {}) };
}
