/**
 * Validation of solve options into the resolved settings every integrator is built from.
 * Bad input is reported as a message (the driver turns it into `RetCode.InvalidInput`); no
 * option is ever silently replaced.
 */
import type { MethodName, OdeProblem, SolveOptions, SolverStats, SparsePattern } from './types.js';

/** Options after validation, with defaults applied and `atol` expanded to one entry per component. */
export interface StepperSettings {
  readonly t0: number;
  readonly rtol: number;
  readonly atol: Float64Array;
  /** Initial step; 0 means "estimate it". */
  readonly h0: number;
  readonly hmax: number;
  readonly hmin: number;
  /** Largest BDF order (1–5). */
  readonly maxOrder: number;
  /** Linear algebra for implicit methods, after resolving 'auto'. */
  readonly linearSolver: 'dense' | 'sparse';
  /** Counters the integrator increments. */
  readonly stats: SolverStats;
  /**
   * Test hook for the one-step methods: take every step with exactly this size and accept it
   * without an error test (0 = adaptive). Used to measure convergence orders.
   */
  readonly fixedStep?: number;
}

export const DEFAULT_RTOL = 1e-6;
export const DEFAULT_ATOL = 1e-10;
export const DEFAULT_MAX_STEPS = 500_000;
/**
 * 'auto' takes the sparse LU from this many states on, when the pattern is at most
 * {@link SPARSE_MAX_DENSITY} full: measured on the CA1 cell (48 states, 10 % full) a BDF step
 * costs about 40 % less with it, and on the 25-state Cav1.3 cell (16 % full) 15 % less.
 */
export const SPARSE_MIN_N = 20;
export const SPARSE_MAX_DENSITY = 0.25;

const METHODS: readonly MethodName[] = ['bdf', 'rosenbrock', 'dopri5'];

/** Checks a CSR pattern: sizes, ascending in-range columns per row, the diagonal present. */
export function checkPattern(p: SparsePattern, n: number): string | null {
  if (p.n !== n) return `jacPattern.n is ${p.n} but the problem has n = ${n}`;
  if (!(p.rowPtr instanceof Int32Array) || !(p.colIdx instanceof Int32Array)) {
    return 'jacPattern.rowPtr and jacPattern.colIdx must be Int32Arrays';
  }
  if (p.rowPtr.length !== n + 1) return `jacPattern.rowPtr must have n + 1 = ${n + 1} entries, has ${p.rowPtr.length}`;
  if (p.rowPtr[0] !== 0 || p.rowPtr[n] !== p.colIdx.length) {
    return 'jacPattern.rowPtr must start at 0 and end at colIdx.length';
  }
  for (let i = 0; i < n; i++) {
    const a = p.rowPtr[i];
    const b = p.rowPtr[i + 1];
    if (b < a) return `jacPattern.rowPtr decreases at row ${i}`;
    let hasDiag = false;
    for (let k = a; k < b; k++) {
      const j = p.colIdx[k];
      if (j < 0 || j >= n) return `jacPattern column ${j} in row ${i} is out of range`;
      if (k > a && j <= p.colIdx[k - 1]) return `jacPattern columns of row ${i} are not strictly ascending`;
      if (j === i) hasDiag = true;
    }
    if (!hasDiag) return `jacPattern row ${i} lacks its diagonal entry`;
  }
  return null;
}

const isPosInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;

/**
 * Validates `options` for `problem` and `y0`.
 * @returns the resolved settings, or a message naming the offending option.
 */
export function resolveSettings(
  problem: OdeProblem, y0: Float64Array, options: SolveOptions, method: MethodName, stats: SolverStats,
): StepperSettings | string {
  if (problem === null || typeof problem !== 'object') return 'problem must be an object';
  const n = problem.n;
  if (!isPosInt(n)) return `problem.n must be a positive integer, got ${String(n)}`;
  if (typeof problem.rhs !== 'function') return 'problem.rhs must be a function';
  if (!METHODS.includes(method)) return `unknown method '${String(method)}' (expected one of ${METHODS.join(', ')})`;
  if (!(y0 instanceof Float64Array)) return 'y0 must be a Float64Array';
  if (y0.length !== n) return `y0 has ${y0.length} entries but problem.n is ${n}`;
  for (let i = 0; i < n; i++) if (!Number.isFinite(y0[i])) return `y0[${i}] is not finite (${y0[i]})`;
  const { t0, tEnd } = options;
  if (typeof t0 !== 'number' || !Number.isFinite(t0)) return `t0 must be a finite number, got ${String(t0)}`;
  if (typeof tEnd !== 'number' || !Number.isFinite(tEnd)) return `tEnd must be a finite number, got ${String(tEnd)}`;
  if (tEnd < t0) return `tEnd (${tEnd}) is before t0 (${t0}); only forward integration is supported`;

  const rtol = options.rtol ?? DEFAULT_RTOL;
  if (typeof rtol !== 'number' || !Number.isFinite(rtol) || rtol < 0) return `rtol must be a finite number ≥ 0, got ${String(rtol)}`;
  const atolIn = options.atol ?? DEFAULT_ATOL;
  const atol = new Float64Array(n);
  if (typeof atolIn === 'number') {
    if (!Number.isFinite(atolIn) || atolIn < 0) return `atol must be a finite number ≥ 0, got ${atolIn}`;
    atol.fill(atolIn);
  } else if (atolIn instanceof Float64Array) {
    if (atolIn.length !== n) return `atol has ${atolIn.length} entries but problem.n is ${n}`;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(atolIn[i]) || atolIn[i] < 0) return `atol[${i}] must be finite and ≥ 0, got ${atolIn[i]}`;
    }
    atol.set(atolIn);
  } else {
    return 'atol must be a number or a Float64Array';
  }
  if (rtol === 0) {
    for (let i = 0; i < n; i++) if (atol[i] === 0) return `rtol and atol[${i}] are both 0: the error test would be impossible`;
  }

  const span = tEnd - t0;
  const h0 = options.h0 ?? 0;
  if (options.h0 !== undefined && !(Number.isFinite(h0) && h0 > 0)) return `h0 must be a finite number > 0, got ${String(options.h0)}`;
  const hmax = options.hmax ?? (span > 0 ? span : Infinity);
  if (!(hmax > 0)) return `hmax must be > 0, got ${String(options.hmax)}`;
  const hmin = options.hmin ?? 0;
  if (!(Number.isFinite(hmin) && hmin >= 0)) return `hmin must be a finite number ≥ 0, got ${String(options.hmin)}`;
  if (hmin > hmax) return `hmin (${hmin}) exceeds hmax (${hmax})`;
  if (options.maxSteps !== undefined && !isPosInt(options.maxSteps)) {
    return `maxSteps must be a positive integer, got ${String(options.maxSteps)}`;
  }
  const maxOrder = options.maxOrder ?? 5;
  if (!Number.isInteger(maxOrder) || maxOrder < 1 || maxOrder > 5) return `maxOrder must be an integer in 1..5, got ${String(maxOrder)}`;

  if (problem.jac !== undefined && typeof problem.jac !== 'function') return 'problem.jac must be a function when present';
  if (problem.jacSparse !== undefined && typeof problem.jacSparse !== 'function') return 'problem.jacSparse must be a function when present';
  if (problem.jacPattern !== undefined) {
    const msg = checkPattern(problem.jacPattern, n);
    if (msg !== null) return msg;
  }
  if (problem.jacSparse !== undefined && problem.jacPattern === undefined) return 'problem.jacSparse needs problem.jacPattern';
  const kind = options.linearSolver ?? 'auto';
  let linearSolver: 'dense' | 'sparse';
  if (kind === 'dense') linearSolver = 'dense';
  else if (kind === 'sparse') {
    if (problem.jacPattern === undefined) return "linearSolver 'sparse' needs problem.jacPattern";
    linearSolver = 'sparse';
  } else if (kind === 'auto') {
    const p = problem.jacPattern;
    linearSolver = p !== undefined && n >= SPARSE_MIN_N && p.colIdx.length <= SPARSE_MAX_DENSITY * n * n ? 'sparse' : 'dense';
  } else {
    return `linearSolver must be 'dense', 'sparse' or 'auto', got '${String(kind)}'`;
  }
  return { t0, rtol, atol, h0, hmax, hmin, maxOrder, linearSolver, stats };
}

/** Checks a list of times: finite and non-decreasing. */
export function checkTimes(name: string, ts: ArrayLike<number>, lo: number, hi: number): string | null {
  for (let k = 0; k < ts.length; k++) {
    const t = ts[k];
    if (typeof t !== 'number' || !Number.isFinite(t)) return `${name}[${k}] is not a finite number`;
    if (k > 0 && t < ts[k - 1]) return `${name} must be in ascending order (${name}[${k}] = ${t} < ${ts[k - 1]})`;
    if (t < lo || t > hi) return `${name}[${k}] = ${t} lies outside [${lo}, ${hi}]`;
  }
  return null;
}
