/**
 * The contract between problems and solvers: `solve(problem, method, options) → Solution`.
 * Problems are plain right-hand sides over flat `Float64Array`s, so the same solvers serve
 * generated model code and hand-written test problems.
 */

/** dy/dt = f(t, y). Every array is owned by the caller; functions must not allocate. */
export interface OdeProblem {
  /** Number of state variables. */
  readonly n: number;
  /** Writes f(t, y) into `dy`. */
  rhs(t: number, y: Float64Array, dy: Float64Array): void;
  /** Dense Jacobian ∂f/∂y, row-major (`J[i*n + j] = ∂f_i/∂y_j`). Optional: finite differences otherwise. */
  jac?(t: number, y: Float64Array, J: Float64Array): void;
  /**
   * Sparse Jacobian in compressed sparse row form. `rowPtr` has n+1 entries; `colIdx` lists
   * the columns of each row in ascending order, diagonal included even when structurally zero.
   */
  readonly jacPattern?: SparsePattern;
  /** Values of the sparse Jacobian in the order of `jacPattern.colIdx`. */
  jacSparse?(t: number, y: Float64Array, values: Float64Array): void;
}

export interface SparsePattern {
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
}

/**
 * Why a solve stopped. Every code other than `Success` and `Terminated` means the solution does
 * not reach `tEnd`; `Solution.tReached` says how far it got.
 */
export enum RetCode {
  /** Reached tEnd. */
  Success = 'Success',
  /** An event callback asked to stop (e.g. an SBML terminal event); this is not an error. */
  Terminated = 'Terminated',
  /** `maxSteps` accepted+rejected steps were taken before tEnd. */
  MaxIters = 'MaxIters',
  /** The step size fell below the round-off limit of t (|h| < 16·eps·|t|, or below `hmin`). */
  DtLessThanMin = 'DtLessThanMin',
  /** Newton iteration failed to converge repeatedly even with a fresh Jacobian and smaller steps. */
  ConvergenceFailure = 'ConvergenceFailure',
  /** The error test failed repeatedly at the minimum step (CVODE's CV_ERR_FAILURE). */
  ErrorTestFailure = 'ErrorTestFailure',
  /** A NaN or Inf appeared in the state or the right-hand side. */
  NonFinite = 'NonFinite',
  /** The iteration matrix was singular and could not be made regular by reducing h. */
  SingularMatrix = 'SingularMatrix',
  /** Bad options or problem (e.g. negative tolerance, tEnd before t0). */
  InvalidInput = 'InvalidInput',
}

export const isSuccessful = (r: RetCode): boolean => r === RetCode.Success || r === RetCode.Terminated;

/** Work counters, as CVODE reports them. */
export interface SolverStats {
  /** Accepted steps. */
  steps: number;
  /** Rejected steps (error test or convergence failures). */
  rejected: number;
  /** Right-hand side evaluations (including those for finite-difference Jacobians). */
  nf: number;
  /** Jacobian evaluations. */
  nJ: number;
  /** LU factorisations. */
  nLU: number;
  /** Linear solves (back substitutions). */
  nSolve: number;
  /** Newton iterations (implicit methods). */
  nNewton: number;
  /** Newton convergence failures. */
  nConvFail: number;
  /** Error test failures. */
  nErrFail: number;
  /** Root-function evaluations (event location). */
  ng: number;
}

/** Adds the counters of `b` to `a` (work of several solves). */
export const addStats = (a: SolverStats, b: SolverStats): void => {
  for (const k of Object.keys(a) as (keyof SolverStats)[]) a[k] += b[k];
};

export const newStats = (): SolverStats => ({
  steps: 0, rejected: 0, nf: 0, nJ: 0, nLU: 0, nSolve: 0, nNewton: 0, nConvFail: 0, nErrFail: 0, ng: 0,
});

/** Methods available through {@link SolveOptions.method}. */
export type MethodName = 'bdf' | 'rosenbrock' | 'dopri5';

/** How the linear algebra is done for implicit methods. */
export type LinearSolverKind = 'dense' | 'sparse' | 'auto';

export interface SolveOptions {
  t0: number;
  tEnd: number;
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Absolute tolerance, scalar or one per component (default 1e-10). */
  atol?: number | Float64Array;
  /** Output times (ascending, inside [t0, tEnd]); the solution is interpolated there. Default: every accepted step. */
  saveAt?: ArrayLike<number>;
  /** Also store every accepted step (default: true when saveAt is absent). */
  saveEverystep?: boolean;
  /** Initial step (default: estimated). */
  h0?: number;
  /** Largest step magnitude (default: |tEnd − t0|). */
  hmax?: number;
  /** Smallest step magnitude before giving up (default 0: only round-off limits). */
  hmin?: number;
  /** Maximum number of steps (accepted + rejected) (default 500 000). */
  maxSteps?: number;
  /** Maximum BDF order, 1–5 (default 5). */
  maxOrder?: number;
  /** Linear solver for implicit methods (default 'auto': sparse when n ≥ 20 and the pattern is at most 25 % full). */
  linearSolver?: LinearSolverKind;
  /**
   * Times the integrator must step to exactly (discontinuities, stimulus edges, doses).
   * The solver never steps across them and restarts there (`onTstop` may change y).
   */
  tstops?: ArrayLike<number>;
  /** Called at each tstop after stepping to it exactly; may modify y in place; return 'stop' to terminate. */
  onTstop?: (t: number, y: Float64Array) => EventAction;
  /** Continuous root functions for state events. */
  roots?: RootFunctions;
  /** Called for every check between steps: return false to abort (e.g. SIGINT). */
  shouldContinue?: () => boolean;
}

export type EventAction = 'continue' | 'stop' | 'modified';

export interface RootFunctions {
  /** Number of root functions. */
  readonly n: number;
  /** Writes g_k(t, y) for k = 0..n-1 into `out`. */
  g(t: number, y: Float64Array, out: Float64Array): void;
  /**
   * Called at a located root (t within a tolerance of the crossing), with `dir[k]` = +1 if g_k
   * went from negative to non-negative, −1 if from positive to non-positive, 0 if g_k did not
   * cross. May modify `y` in place (then return 'modified' so the solver restarts).
   */
  onRoot(t: number, y: Float64Array, dir: Int8Array): EventAction;
}

/** A time series of the state. */
export interface Solution {
  /** Number of state components. */
  readonly n: number;
  /** Output times. */
  readonly t: Float64Array;
  /** States, row-major: y[k*n + i] is component i at time t[k]. */
  readonly y: Float64Array;
  readonly retcode: RetCode;
  /** Last time reached (equals tEnd on success; the root time when an event stopped the solve). */
  readonly tReached: number;
  /** The state at `tReached` (always set, whatever `saveAt` holds; length n). */
  readonly yEnd: Float64Array;
  /** Human-readable reason when retcode is not Success. */
  readonly message: string;
  readonly stats: SolverStats;
  readonly method: MethodName;
}

/**
 * One-step interface that every method implements; the driver in `solve.ts` adds output,
 * tstops and root finding on top of it (as CVODE's CV_ONE_STEP mode with a tstop).
 */
export interface Integrator {
  /** Current time (end of last accepted step). */
  readonly t: number;
  /** Start of the last accepted step. */
  readonly tPrev: number;
  /** Current state (read-only for callers; valid until the next step/reinit). */
  readonly y: Float64Array;
  readonly stats: SolverStats;
  /**
   * Take one accepted step without passing `tStop` (it may land exactly on it).
   * Returns Success, or a failing RetCode.
   */
  step(tStop: number): RetCode;
  /** Dense output: the interpolated state at time `t` in [tPrev, t] into `out`. */
  interpolate(t: number, out: Float64Array): void;
  /** Restart at (t, y) after a discontinuity: order and history reset, step re-estimated. */
  reinit(t: number, y: Float64Array): void;
  /** Failure detail for the last failing step. */
  readonly message: string;
}
