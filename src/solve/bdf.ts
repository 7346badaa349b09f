/**
 * Variable-order, variable-step BDF in fixed-leading-coefficient Nordsieck form, as in CVODE.
 *
 * - Order 1–5, A-stable at orders 1–2, A(α)-stable at 3–5 (α ≈ 86°, 73°, 51°); for stiff
 *   systems.
 * - Method: Jackson & Sacks-Davis (1980) fixed-leading-coefficient BDF in the Nordsieck
 *   history array (Byrne & Hindmarsh 1975, "A polyalgorithm for the numerical solution of
 *   ordinary differential equations", ACM TOMS 1:71–96), with the local error test, the order
 *   selection among q−1, q, q+1 and the step-ratio bounds of CVODE (Cohen & Hindmarsh 1996;
 *   Hindmarsh et al. 2005, "SUNDIALS", ACM TOMS 31:363–396; CVODE user guide, "Mathematical
 *   considerations").
 * - Corrector: modified Newton on M = I − γJ with γ = h/ℓ₁. J is kept across steps and M is
 *   refactored only when γ changed by more than 30 %, after 20 steps, or after a convergence
 *   failure; between refactorisations the Newton update is rescaled by 2/(1 + γ/γ̄) to
 *   compensate for the stale γ̄ (Hindmarsh et al. 2005, §2.1).
 * - Dense output: the Nordsieck polynomial of the last step (order q, exact at both ends).
 * - Discontinuities: a step that lands on its tStop evaluates f (and J) just before the stop, and
 *   a (re)start evaluates f just after its time (see `one-sided.ts`), so a jump of f at a tstop
 *   is never integrated over the step that ends there.
 *
 * All work arrays are allocated once in the constructor; a step allocates nothing. The Nordsieck
 * array and the per-component work vectors share one buffer, so that the loops over several of
 * them index one typed array: V8 repeats its checks on each array a loop indexes at every
 * iteration, which made those loops up to half again as slow.
 */
import { DenseIterationMatrix, type IterationMatrix } from './iteration-matrix.js';
import { allFinite, setErrorWeights, wrmsNorm } from './norms.js';
import { justAfter, justBefore } from './one-sided.js';
import type { StepperSettings } from './settings.js';
import { createSparseIterationMatrix } from './sparse-iteration-matrix.js';
import { atCurrentState } from './dense-window.js';
import { RetCode, type Integrator, type OdeProblem, type SolverStats } from './types.js';

const UROUND = Number.EPSILON;

/** Bits of {@link BdfTrace.flags}: the iteration matrix was refactored / J re-evaluated before the step. */
export const TRACE_SETUP = 1;
export const TRACE_JAC = 2;
/** The history was restarted from f after repeated error-test failures at order 1. */
export const TRACE_RESTART = 4;

/**
 * The accepted steps of an adaptive BDF run, enough to repeat them on another initial state
 * with every adaptive decision frozen ({@link Bdf.replayStep}): step size, order, whether the
 * iteration matrix was refactored and J re-evaluated since the previous accepted step, and the
 * number of Newton iterations of the accepted attempt. A run repeated this way is a fixed
 * composition of smooth operations, so its result is a smooth function of the initial state:
 * differences between runs from nearby states carry no error-control noise (the frozen
 * adaptive components of Bock's internal numerical differentiation, 1981).
 */
export interface BdfTrace {
  readonly h: number[];
  readonly q: number[];
  readonly flags: number[];
  readonly iters: number[];
  /**
   * With TRACE_JAC: step size and order of the attempt whose predicted state J was evaluated at
   * (a rejected attempt's, when the step was retried with the same J).
   */
  readonly hJ: number[];
  readonly qJ: number[];
}

export const newBdfTrace = (): BdfTrace => ({ h: [], q: [], flags: [], iters: [], hJ: [], qJ: [] });

// Step-ratio bounds and biases (CVODE defaults).
/** Largest step growth on the first step. */
const ETAMX1 = 10000;
/** Largest step growth on later steps. */
const ETAMX2 = 10;
/** Largest step ratio after two or more error-test failures in one step. */
const ETAMXF = 0.2;
/** Smallest step ratio after an error-test failure. */
const ETAMIN = 0.1;
/** Step ratio after a Newton convergence failure. */
const ETACF = 0.25;
/** A step-size increase below this ratio is not worth the cost of rescaling the history. */
const THRESH = 1.5;
const ADDON = 1e-6;
/** Safety factors on the error estimates at orders q−1, q, q+1. */
const BIAS1 = 6;
const BIAS2 = 6;
const BIAS3 = 10;
/** Limits on failures within one step. */
const MXNCF = 10;
const MXNEF = 7;
const MXNEF1 = 3;
const SMALL_NEF = 2;
const LONG_WAIT = 10;

// Newton iteration (CVODE defaults).
/** Safety factor of the Newton convergence test relative to the error test. */
const NLSCOEF = 0.1;
/** Decay of the convergence-rate estimate. */
const CRDOWN = 0.3;
/** Divergence: an update larger than RDIV times the previous one. */
const RDIV = 2;
const MAXCOR = 3;
/** Refactor M at least every MSBP steps. */
const MSBP = 20;
/** Re-evaluate J at least every MSBJ steps. */
const MSBJ = 50;
/** Refactor M when γ changed by more than this fraction. */
const DGMAX_LSETUP = 0.3;
/** After a failure with a stale J, blame J only when γ changed less than this. */
const DGMAX_JBAD = 0.2;

// Why the corrector is called (CVODE's nflag).
const FIRST_CALL = 0;
const PREV_CONV_FAIL = 1;
const PREV_ERR_FAIL = 2;
// Why the linear setup is called (CVODE's convfail).
const NO_FAILURES = 0;
const FAIL_BAD_J = 1;
const FAIL_OTHER = 2;
// Corrector outcome.
const NLS_OK = 0;
const NLS_FAIL = 1;
const NLS_TRY_AGAIN = 2;
// Kind of the last corrector failure, for the message and the return code.
const WHY_DIVERGED = 0;
const WHY_SINGULAR = 1;
const WHY_NONFINITE = 2;

/**
 * zn ← zn·A for the Nordsieck array of order q: for k = 1..q, for j = q..k, column j−1 += column
 * j. Done component by component with the q + 1 entries in locals (one load and one store each
 * instead of q(q+1)/2 read-modify-writes of whole columns; the predictor is on every attempt).
 */
function pascalPredict(zn: Float64Array, n: number, q: number): void {
  const n2 = 2 * n;
  const n3 = 3 * n;
  const n4 = 4 * n;
  const n5 = 5 * n;
  switch (q) {
    case 1:
      for (let i = 0; i < n; i++) zn[i] += zn[n + i];
      return;
    case 2:
      for (let i = 0; i < n; i++) {
        const z2 = zn[n2 + i];
        const z1 = zn[n + i] + z2;
        zn[i] += z1;
        zn[n + i] = z1 + z2;
      }
      return;
    case 3:
      for (let i = 0; i < n; i++) {
        const z3 = zn[n3 + i];
        let z2 = zn[n2 + i] + z3;
        let z1 = zn[n + i] + z2;
        zn[i] += z1;
        z2 += z3;
        z1 += z2;
        z2 += z3;
        zn[n + i] = z1;
        zn[n2 + i] = z2;
      }
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const z4 = zn[n4 + i];
        let z3 = zn[n3 + i] + z4;
        let z2 = zn[n2 + i] + z3;
        let z1 = zn[n + i] + z2;
        zn[i] += z1;
        z3 += z4;
        z2 += z3;
        z1 += z2;
        z3 += z4;
        z2 += z3;
        z3 += z4;
        zn[n + i] = z1;
        zn[n2 + i] = z2;
        zn[n3 + i] = z3;
      }
      return;
    case 5:
      for (let i = 0; i < n; i++) {
        const z5 = zn[n5 + i];
        let z4 = zn[n4 + i] + z5;
        let z3 = zn[n3 + i] + z4;
        let z2 = zn[n2 + i] + z3;
        let z1 = zn[n + i] + z2;
        zn[i] += z1;
        z4 += z5;
        z3 += z4;
        z2 += z3;
        z1 += z2;
        z4 += z5;
        z3 += z4;
        z2 += z3;
        z4 += z5;
        z3 += z4;
        z4 += z5;
        zn[n + i] = z1;
        zn[n2 + i] = z2;
        zn[n3 + i] = z3;
        zn[n4 + i] = z4;
      }
      return;
    default:
      throw new RangeError(`BDF order ${q} is outside 1..5`);
  }
}

/**
 * zn ← zn + ℓ·Δ: column j of the Nordsieck array gains ℓ_j·Δ for j = 0..q, with Δ read from zn
 * at offset oAcor. One pass over the components with ℓ in locals (q + 1 passes over Δ otherwise;
 * this is on every accepted step).
 */
function addCorrection(zn: Float64Array, n: number, q: number, l: Float64Array, oAcor: number): void {
  if (q < 1 || q > 5) throw new RangeError(`BDF order ${q} is outside 1..5`);
  const l0 = l[0];
  const l1 = l[1];
  const l2 = l[2];
  const l3 = l[3];
  const l4 = l[4];
  const l5 = l[5];
  const n2 = 2 * n;
  const n3 = 3 * n;
  const n4 = 4 * n;
  const n5 = 5 * n;
  // The order tests do not change within the loop, so they cost next to nothing per component.
  for (let i = 0; i < n; i++) {
    const a = zn[oAcor + i];
    zn[i] += l0 * a;
    zn[n + i] += l1 * a;
    if (q < 2) continue;
    zn[n2 + i] += l2 * a;
    if (q < 3) continue;
    zn[n3 + i] += l3 * a;
    if (q < 4) continue;
    zn[n4 + i] += l4 * a;
    if (q < 5) continue;
    zn[n5 + i] += l5 * a;
  }
}

/** Variable-order BDF integrator (see the file header). */
export class Bdf implements Integrator {
  readonly stats: SolverStats;
  message = '';

  private readonly n: number;
  private readonly problem: OdeProblem;
  private readonly rtol: number;
  private readonly atol: Float64Array;
  private readonly qmax: number;
  private readonly hmaxInv: number;
  private readonly hmin: number;
  private readonly h0User: number;
  private readonly lin: IterationMatrix;

  /**
   * Nordsieck array: column j (offset j·n) holds h^j y^(j) / j!; column qmax also stores Δ for an
   * order increase. Followed in the same buffer by the work vectors ewt, acor, tempv, ftemp and
   * ycur, at the offsets below; the fields of those names are views for whole-vector calls.
   */
  private readonly zn: Float64Array;
  private readonly yView: Float64Array;
  private readonly ewt: Float64Array;
  /** Accumulated Newton correction Δ = y_n − y_n(0). */
  private readonly acor: Float64Array;
  private readonly tempv: Float64Array;
  private readonly ftemp: Float64Array;
  /** Current Newton iterate. */
  private readonly ycur: Float64Array;
  private readonly oEwt: number;
  private readonly oAcor: number;
  private readonly oTempv: number;
  private readonly oFtemp: number;
  private readonly oYcur: number;
  /** Method coefficients ℓ_j of the corrector. */
  private readonly l = new Float64Array(7);
  /** Error-test constants: tq[1..3] for orders q−1, q+1 estimates, tq[2] order q, tq[4] Newton test, tq[5] for q+1. */
  private readonly tq = new Float64Array(6);
  /** Recent step sizes, tau[1] the latest. */
  private readonly tau = new Float64Array(8);

  private tn = 0;
  /** Time at which f and J are evaluated for the current attempt: tn, or just before tn when the step lands on its tStop. */
  private tEval = 0;
  /** Time at which f was evaluated at the last (re)start: just after it. */
  private tStartEval = 0;
  private tPrevStep = 0;
  private h = 0;
  private hscale = 0;
  private hprime = 0;
  private eta = 1;
  private etamax = ETAMX1;
  private q = 1;
  private qprime = 1;
  private qwait = 2;
  private L = 2;
  /** Steps since the last (re)initialisation. */
  private nst = 0;
  /** Step count at the last refactorisation of M. */
  private nstlp = 0;
  /** Step count at the last Jacobian evaluation. */
  private nstlj = 0;
  private gamma = 0;
  private gammap = 0;
  private gamrat = 1;
  private rl1 = 1;
  private crate = 1;
  private acnrm = 0;
  /** Local error test ratio of the last accepted step (a field, so no number is boxed in a call). */
  private dsm = 0;
  /** Step ratios for an order change to q − 1 and q + 1 (0: not possible), fields for the same reason. */
  private etaqm1 = 0;
  private etaqp1 = 0;
  private savedTq5 = 0;
  /** Whether J was evaluated during the current step attempt. */
  private jcur = false;
  private haveJ = false;
  private whyFail = WHY_DIVERGED;
  /** The latest failed attempt met a NaN/Inf; a collapsing step then means f is undefined ahead. */
  private nonFiniteRecent = false;
  /** Where accepted steps are recorded (null: not recorded). */
  trace: BdfTrace | null = null;
  /** TRACE_* bits of what the corrector did since the last accepted step. */
  private setupFlags = 0;
  /** Newton iterations of the latest successful corrector pass. */
  private lastIters = 0;
  /** Step size and order of the attempt of the latest Jacobian evaluation. */
  private jacH = 0;
  private jacQ = 0;

  constructor(problem: OdeProblem, y0: Float64Array, settings: StepperSettings) {
    const n = problem.n;
    this.n = n;
    this.problem = problem;
    this.stats = settings.stats;
    this.rtol = settings.rtol;
    this.atol = settings.atol;
    this.qmax = settings.maxOrder;
    this.hmaxInv = Number.isFinite(settings.hmax) ? 1 / settings.hmax : 0;
    this.hmin = settings.hmin;
    this.h0User = settings.h0;
    this.lin = settings.linearSolver === 'sparse'
      ? createSparseIterationMatrix(problem, settings.stats)
      : new DenseIterationMatrix(problem, settings.stats);
    const columns = this.qmax + 1;
    this.zn = new Float64Array((columns + 5) * n);
    this.yView = this.zn.subarray(0, n);
    this.oEwt = columns * n;
    this.oAcor = this.oEwt + n;
    this.oTempv = this.oAcor + n;
    this.oFtemp = this.oTempv + n;
    this.oYcur = this.oFtemp + n;
    this.ewt = this.zn.subarray(this.oEwt, this.oEwt + n);
    this.acor = this.zn.subarray(this.oAcor, this.oAcor + n);
    this.tempv = this.zn.subarray(this.oTempv, this.oTempv + n);
    this.ftemp = this.zn.subarray(this.oFtemp, this.oFtemp + n);
    this.ycur = this.zn.subarray(this.oYcur, this.oYcur + n);
    this.reinit(settings.t0, y0);
  }

  get t(): number { return this.tn; }
  get tPrev(): number { return this.tPrevStep; }
  get y(): Float64Array { return this.yView; }
  /** Order used on the last accepted step. */
  get order(): number { return this.q; }
  /** Size of the last accepted step. */
  get stepSize(): number { return this.h; }

  reinit(t: number, y: Float64Array): void {
    const n = this.n;
    this.tn = t;
    this.tPrevStep = t;
    this.zn.fill(0);
    for (let i = 0; i < n; i++) this.zn[i] = y[i];
    // Column 1 holds f(t0, y0) until the first step size is known, then h·f; f is taken just
    // after t, on the side of any discontinuity at t that the integration goes on with.
    this.tStartEval = justAfter(t);
    this.tEval = this.tStartEval;
    this.problem.rhs(this.tStartEval, this.yView, this.tempv);
    this.stats.nf++;
    this.zn.set(this.tempv, n);
    this.q = 1;
    this.qprime = 1;
    this.L = 2;
    this.qwait = 2;
    this.etamax = ETAMX1;
    this.nst = 0;
    this.nstlp = 0;
    this.nstlj = 0;
    this.tau.fill(0);
    this.tq.fill(0);
    this.savedTq5 = 0;
    this.crate = 1;
    this.gamrat = 1;
    this.h = 0;
    this.hscale = 0;
    this.hprime = 0;
    this.eta = 1;
    this.jcur = false;
    this.haveJ = false;
    this.nonFiniteRecent = false;
    this.setupFlags = 0;
    this.message = '';
  }

  interpolate(t: number, out: Float64Array): void {
    const n = this.n;
    const zn = this.zn;
    if (atCurrentState('BDF', t, this.tPrevStep, this.tn, this.nst === 0 ? 0 : this.h)) {
      for (let i = 0; i < n; i++) out[i] = zn[i];
      return;
    }
    const s = (t - this.tn) / this.h;
    const q = this.q;
    // Horner on Σ_j zn[j] s^j.
    for (let i = 0; i < n; i++) out[i] = zn[q * n + i];
    for (let j = q - 1; j >= 0; j--) {
      const off = j * n;
      for (let i = 0; i < n; i++) out[i] = out[i] * s + zn[off + i];
    }
  }

  step(tStop: number): RetCode {
    const n = this.n;
    if (!(tStop > this.tn)) {
      this.message = `step: tStop = ${tStop} is not after t = ${this.tn}`;
      return RetCode.InvalidInput;
    }
    const bad = setErrorWeights(n, this.rtol, this.atol, this.yView, this.ewt);
    if (bad >= 0) {
      this.message = `error weight of component ${bad} is not positive at t = ${this.tn} (y = ${this.yView[bad]}, atol = ${this.atol[bad]})`;
      return this.yView[bad] - this.yView[bad] !== 0 ? RetCode.NonFinite : RetCode.InvalidInput;
    }
    if (this.nst === 0) {
      const rc = this.initialStep(tStop);
      if (rc !== RetCode.Success) return rc;
    } else {
      let hp = this.hprime;
      // Never step past tStop (CVODE's tstop clamp); the prediction then lands on it exactly.
      if (this.tn + hp > tStop) hp = tStop - this.tn;
      if (hp !== this.h || this.qprime !== this.q) {
        this.eta = hp / this.h;
        this.adjustParams();
      }
    }

    const savedT = this.tn;
    let ncf = 0;
    let nef = 0;
    let nflag = FIRST_CALL;
    let dsm: number;
    for (;;) {
      if (this.h <= 16 * UROUND * Math.abs(this.tn) && this.tn + this.h < tStop) {
        if (this.nonFiniteRecent) {
          this.message = `the right-hand side is NaN/Inf just after t = ${this.tn}: the step shrank to ${this.h} trying to pass`;
          return RetCode.NonFinite;
        }
        this.message = `step size ${this.h} fell below the round-off limit at t = ${this.tn}`;
        return RetCode.DtLessThanMin;
      }
      this.predict(tStop);
      this.setCoefficients();
      const r = this.corrector(nflag);
      if (r !== NLS_OK) {
        // Convergence failure: restore the history and retry with a smaller step and a fresh J.
        this.restore(savedT);
        this.stats.nConvFail++;
        this.stats.rejected++;
        ncf++;
        this.etamax = 1;
        if (this.h <= this.hmin * (1 + UROUND) || ncf === MXNCF) return this.convergenceFailure(ncf);
        this.eta = Math.max(ETACF, this.hmin / this.h);
        nflag = PREV_CONV_FAIL;
        this.rescale();
        continue;
      }
      dsm = this.acnrm * this.tq[2];
      if (dsm <= 1) break;

      // Error-test failure (CVODE's cvDoErrorTest).
      this.nonFiniteRecent = false;
      this.stats.nErrFail++;
      this.stats.rejected++;
      nef++;
      nflag = PREV_ERR_FAIL;
      this.restore(savedT);
      if (this.h <= this.hmin * (1 + UROUND) || nef === MXNEF) {
        this.message = `error test failed ${nef} times at t = ${this.tn} with step ${this.h}`;
        return RetCode.ErrorTestFailure;
      }
      this.etamax = 1;
      if (nef <= MXNEF1) {
        let eta = 1 / (Math.pow(BIAS2 * dsm, 1 / this.L) + ADDON);
        eta = Math.max(ETAMIN, Math.max(eta, this.hmin / this.h));
        if (nef >= SMALL_NEF) eta = Math.min(eta, ETAMXF);
        this.eta = eta;
        this.rescale();
        continue;
      }
      // After MXNEF1 failures, force an order reduction, and at order 1 restart the history from f.
      if (this.q > 1) {
        this.eta = Math.max(ETAMIN, this.hmin / this.h);
        this.adjustOrder(-1);
        this.L = this.q;
        this.q--;
        this.qwait = this.L;
        this.rescale();
        continue;
      }
      this.eta = Math.max(ETAMIN, this.hmin / this.h);
      this.h *= this.eta;
      this.hscale = this.h;
      this.qwait = LONG_WAIT;
      this.problem.rhs(this.nst === 0 ? this.tStartEval : this.tn, this.yView, this.tempv);
      this.stats.nf++;
      const zn = this.zn;
      for (let i = 0; i < n; i++) zn[n + i] = this.h * this.tempv[i];
      this.setupFlags |= TRACE_RESTART;
    }

    this.tPrevStep = savedT;
    if (this.trace !== null) {
      this.trace.h.push(this.h);
      this.trace.q.push(this.q);
      this.trace.flags.push(this.setupFlags);
      this.trace.iters.push(this.lastIters);
      this.trace.hJ.push(this.jacH);
      this.trace.qJ.push(this.jacQ);
    }
    this.setupFlags = 0;
    this.completeStep();
    this.dsm = dsm;
    this.prepareNextStep();
    this.etamax = ETAMX2;
    return RetCode.Success;
  }

  /**
   * Repeats step `k` of `trace` from the current state, with every adaptive decision taken from
   * the trace: its step size (the last step of a segment, `last`, is stretched by round-off to
   * land on `tStop` exactly), order, refactorisations, Jacobian evaluations and number of
   * Newton iterations. Returns the local error test ratio of the step (≤ 1 passes, as in an
   * adaptive step), or −1 when the step cannot be repeated: a singular matrix, a non-finite
   * value, or Newton iterations that have not converged by the adaptive run's test.
   */
  replayStep(trace: BdfTrace, k: number, tStop: number, last: boolean): number {
    const n = this.n;
    const zn = this.zn;
    const q = trace.q[k];
    const flags = trace.flags[k];
    if (setErrorWeights(n, this.rtol, this.atol, this.yView, this.ewt) >= 0) return -1;
    if (this.nst === 0) {
      this.h = trace.h[k];
      this.hscale = this.h;
      for (let i = 0; i < n; i++) zn[n + i] *= this.h;
    }
    // J taken at another attempt's predicted state (one that was rejected): that state first.
    const jacElsewhere = (flags & TRACE_JAC) !== 0 && (trace.hJ[k] !== trace.h[k] || trace.qJ[k] !== q) && (flags & TRACE_RESTART) === 0;
    if (jacElsewhere) {
      this.setOrder(trace.qJ[k]);
      this.eta = trace.hJ[k] / this.hscale;
      this.rescale();
      const t0 = this.tn;
      this.predict(tStop);
      this.problem.rhs(this.tEval, this.yView, this.ftemp);
      this.stats.nf++;
      this.lin.updateJacobian(this.tEval, this.yView, this.ftemp, this.ewt, this.h);
      this.haveJ = true;
      this.restore(t0);
    }
    this.setOrder(q);
    let h = trace.h[k];
    if (last) h = tStop - this.tn;
    if ((flags & TRACE_RESTART) !== 0) {
      this.h = h;
      this.hscale = h;
      this.problem.rhs(this.nst === 0 ? this.tStartEval : this.tn, this.yView, this.tempv);
      this.stats.nf++;
      for (let i = 0; i < n; i++) zn[n + i] = h * this.tempv[i];
    } else if (h !== this.h) {
      this.eta = h / this.hscale;
      this.rescale();
    }
    const savedT = this.tn;
    this.predict(tStop);
    this.setCoefficients();
    // The corrector with its decisions frozen.
    this.problem.rhs(this.tEval, this.yView, this.ftemp);
    this.stats.nf++;
    if ((flags & TRACE_SETUP) !== 0) {
      if (((flags & TRACE_JAC) !== 0 && !jacElsewhere) || !this.haveJ) {
        this.lin.updateJacobian(this.tEval, this.yView, this.ftemp, this.ewt, this.h);
        this.haveJ = true;
      }
      this.gamrat = 1;
      this.crate = 1;
      this.gammap = this.gamma;
      if (!this.lin.factor(this.gamma)) return this.replayFailed(savedT);
    }
    const { acor, ycur, ftemp, ewt } = this;
    const scale = this.gamrat !== 1 ? 2 / (1 + this.gamrat) : 1;
    acor.fill(0);
    let del = 0;
    const iters = trace.iters[k];
    for (let m = 0; m < iters; m++) {
      if (m > 0) {
        this.problem.rhs(this.tEval, ycur, ftemp);
        this.stats.nf++;
      }
      const delp = del;
      del = this.newtonUpdate(scale);
      if (!Number.isFinite(del)) return this.replayFailed(savedT);
      if (m > 0) this.crate = Math.max(CRDOWN * this.crate, del / delp);
    }
    if ((del * Math.min(1, this.crate)) / this.tq[4] > 1) return this.replayFailed(savedT);
    this.acnrm = iters === 1 ? del : wrmsNorm(n, acor, ewt);
    const dsm = this.acnrm * this.tq[2];
    this.tPrevStep = savedT;
    this.completeStep();
    // Δ kept for an order increase on a later step.
    if (this.q < this.qmax) zn.set(acor, this.qmax * n);
    this.hprime = this.h;
    this.qprime = this.q;
    return dsm;
  }

  /** Changes the order of the history one step at a time (as an adaptive run does). */
  private setOrder(q: number): void {
    while (this.q > q) {
      this.adjustOrder(-1);
      this.L = this.q;
      this.q--;
    }
    while (this.q < q) {
      this.adjustOrder(1);
      this.q++;
      this.L = this.q + 1;
    }
  }

  private replayFailed(savedT: number): number {
    this.restore(savedT);
    return -1;
  }

  private convergenceFailure(ncf: number): RetCode {
    const where = `at t = ${this.tn} with step ${this.h}`;
    if (this.whyFail === WHY_NONFINITE) {
      this.message = `the right-hand side or the Newton iterate became NaN/Inf ${where} (${ncf} tries)`;
      return RetCode.NonFinite;
    }
    if (this.whyFail === WHY_SINGULAR) {
      this.message = `the iteration matrix I − γJ is singular ${where} (${ncf} tries)`;
      return RetCode.SingularMatrix;
    }
    this.message = `Newton iteration failed to converge ${where} (${ncf} tries)`;
    return RetCode.ConvergenceFailure;
  }

  /**
   * First step size: the user's h0, else CVODE's estimate (cvHin), which aims at a step whose
   * second-order Taylor error term is 1/2 in the weighted norm, capped by 0.1·|y|/|f| and
   * 0.1·(tStop − t).
   */
  private initialStep(tStop: number): RetCode {
    const n = this.n;
    let h = this.h0User;
    if (h === 0) {
      h = this.estimateH0(tStop);
      if (!(h > 0)) {
        this.message = `could not estimate an initial step at t = ${this.tn}: the right-hand side is not finite near y0`;
        return RetCode.NonFinite;
      }
    }
    if (h * this.hmaxInv > 1) h = 1 / this.hmaxInv;
    if (h < this.hmin) h = this.hmin;
    if (this.tn + h > tStop) h = tStop - this.tn;
    this.h = h;
    this.hscale = h;
    this.hprime = h;
    const zn = this.zn;
    for (let i = 0; i < n; i++) zn[n + i] *= h;
    return RetCode.Success;
  }

  private estimateH0(tout: number): number {
    const n = this.n;
    const zn = this.zn;
    const tdist = tout - this.tn;
    const tround = UROUND * Math.max(Math.abs(this.tn), Math.abs(tout));
    const hlb = 100 * tround;
    // Upper bound: no component may change by more than 10 % of |y| + atol in one step.
    let hubInv = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.abs(zn[n + i]) / (0.1 * Math.abs(zn[i]) + this.atol[i]);
      if (v > hubInv) hubInv = v;
    }
    if (!Number.isFinite(hubInv)) return NaN;
    let hub = 0.1 * tdist;
    if (hub * hubInv > 1) hub = 1 / hubInv;
    let hg = Math.sqrt(hlb * hub);
    // As CVODE, but never below the round-off limit of t, where this code gives up: with a
    // component at 0, a tiny atol and a large f (a restart on a pulse edge late in a long run)
    // sqrt(hlb·hub) can be that small, although the error test would accept far larger steps.
    if (hub < hlb) return Math.max(hg, 100 * UROUND * Math.abs(this.tn));

    let hnew = hg;
    let hs = hg;
    let hnewOk = false;
    for (let count1 = 1; count1 <= 4; count1++) {
      let yddnrm = NaN;
      let hgOk = false;
      for (let count2 = 1; count2 <= 4; count2++) {
        yddnrm = this.yddNorm(hg);
        if (Number.isFinite(yddnrm)) {
          hgOk = true;
          break;
        }
        hg *= 0.2;
      }
      if (!hgOk) {
        if (count1 <= 2) return NaN;
        hnew = hs;
        break;
      }
      hs = hg;
      if (hnewOk || hub < hlb) {
        hnew = hg;
        break;
      }
      hnew = yddnrm * hub * hub > 2 ? Math.sqrt(2 / yddnrm) : Math.sqrt(hg * hub);
      if (count1 === 4) break;
      const hrat = hnew / hg;
      if (hrat > 0.5 && hrat < 2) hnewOk = true;
      if (count1 > 1 && hrat > 2) {
        hnew = hg;
        hnewOk = true;
      }
      hg = hnew;
    }
    let h0 = 0.5 * hnew;
    if (h0 < hlb) h0 = hlb;
    if (h0 > hub) h0 = hub;
    return h0;
  }

  /** ‖y''‖ estimated by a difference of f over a trial step hg. */
  private yddNorm(hg: number): number {
    const n = this.n;
    const zn = this.zn;
    const y = this.ycur;
    const f = this.tempv;
    for (let i = 0; i < n; i++) y[i] = zn[i] + hg * zn[n + i];
    this.problem.rhs(this.tn + hg, y, f);
    this.stats.nf++;
    for (let i = 0; i < n; i++) f[i] = (f[i] - zn[n + i]) / hg;
    return wrmsNorm(n, f, this.ewt);
  }

  /** Applies a pending order change and the step ratio eta (CVODE's cvAdjustParams). */
  private adjustParams(): void {
    if (this.qprime !== this.q) {
      this.adjustOrder(this.qprime - this.q);
      this.q = this.qprime;
      this.L = this.q + 1;
      this.qwait = this.L;
    }
    this.rescale();
  }

  /** Changes the Nordsieck history for an order change by ±1 at fixed h (variable-step BDF, Jackson & Sacks-Davis). */
  private adjustOrder(deltaq: number): void {
    if (this.q === 2 && deltaq !== 1) return;
    if (deltaq === 1) this.increaseOrder();
    else this.decreaseOrder();
  }

  private increaseOrder(): void {
    const n = this.n;
    const { l, tau, zn } = this;
    const q = this.q;
    l.fill(0);
    l[2] = 1;
    let alpha1 = 1;
    let prod = 1;
    let xiold = 1;
    let alpha0 = -1;
    let hsum = this.hscale;
    for (let j = 1; j < q; j++) {
      hsum += tau[j + 1];
      const xi = hsum / this.hscale;
      prod *= xi;
      alpha0 -= 1 / (j + 1);
      alpha1 += 1 / xi;
      for (let i = j + 2; i >= 2; i--) l[i] = l[i] * xiold + l[i - 1];
      xiold = xi;
    }
    const a1 = (-alpha0 - alpha1) / prod;
    // The new column L = q + 1 is built from Δ of the last step, saved in column qmax.
    const offL = (q + 1) * n;
    const offA = this.qmax * n;
    for (let i = 0; i < n; i++) zn[offL + i] = a1 * zn[offA + i];
    for (let j = 2; j <= q; j++) {
      const lj = l[j];
      const off = j * n;
      for (let i = 0; i < n; i++) zn[off + i] += lj * zn[offL + i];
    }
  }

  private decreaseOrder(): void {
    const n = this.n;
    const { l, tau, zn } = this;
    const q = this.q;
    l.fill(0);
    l[2] = 1;
    let hsum = 0;
    for (let j = 1; j <= q - 2; j++) {
      hsum += tau[j];
      const xi = hsum / this.hscale;
      for (let i = j + 2; i >= 2; i--) l[i] = l[i] * xi + l[i - 1];
    }
    const offQ = q * n;
    for (let j = 2; j < q; j++) {
      const lj = l[j];
      const off = j * n;
      for (let i = 0; i < n; i++) zn[off + i] -= lj * zn[offQ + i];
    }
  }

  /** Scales column j of the history by eta^j for the new step h·eta. */
  private rescale(): void {
    const n = this.n;
    const zn = this.zn;
    let factor = this.eta;
    for (let j = 1; j <= this.q; j++) {
      const off = j * n;
      for (let i = 0; i < n; i++) zn[off + i] *= factor;
      factor *= this.eta;
    }
    this.h = this.hscale * this.eta;
    this.hscale = this.h;
  }

  /** Predictor: zn ← zn·A (Pascal triangle), i.e. the Taylor series of the history at t + h. */
  private predict(tStop: number): void {
    const n = this.n;
    const zn = this.zn;
    const q = this.q;
    const tNew = this.tn + this.h;
    // Land exactly on tStop when the step was clamped to it (the sum may differ by one ulp); f is
    // then evaluated just before the stop, where a discontinuity has not happened yet.
    const tOld = this.tn;
    if (tNew >= tStop || tStop - tNew <= 4 * UROUND * Math.abs(tStop)) {
      this.tn = tStop;
      this.tEval = justBefore(tStop, tOld);
    } else {
      this.tn = tNew;
      this.tEval = tNew;
    }
    pascalPredict(zn, n, q);
  }

  /** Undoes the prediction after a failed attempt. */
  private restore(savedT: number): void {
    const n = this.n;
    const zn = this.zn;
    const q = this.q;
    this.tn = savedT;
    for (let k = 1; k <= q; k++) {
      for (let j = q; j >= k; j--) {
        const a = (j - 1) * n;
        const b = j * n;
        for (let i = 0; i < n; i++) zn[a + i] -= zn[b + i];
      }
    }
  }

  /**
   * Corrector coefficients ℓ and error constants tq for the current order and step history
   * (CVODE's cvSetBDF and cvSetTqBDF).
   */
  private setCoefficients(): void {
    const { l, tau, tq } = this;
    const q = this.q;
    const h = this.h;
    l[0] = 1;
    l[1] = 1;
    for (let i = 2; i <= q; i++) l[i] = 0;
    let xiInv = 1;
    let xistarInv = 1;
    let alpha0 = -1;
    let alpha0Hat = -1;
    let hsum = h;
    if (q > 1) {
      for (let j = 2; j < q; j++) {
        hsum += tau[j - 1];
        xiInv = h / hsum;
        alpha0 -= 1 / j;
        for (let i = j; i >= 1; i--) l[i] += l[i - 1] * xiInv;
      }
      alpha0 -= 1 / q;
      xistarInv = -l[1] - alpha0;
      hsum += tau[q - 1];
      xiInv = h / hsum;
      alpha0Hat = -l[1] - xiInv;
      for (let i = q; i >= 1; i--) l[i] += l[i - 1] * xistarInv;
    }
    const a1 = 1 - alpha0Hat + alpha0;
    const a2 = 1 + q * a1;
    tq[2] = Math.abs(a1 / (alpha0 * a2));
    tq[5] = Math.abs((a2 * xistarInv) / (l[q] * xiInv));
    if (this.qwait === 1) {
      if (q > 1) {
        const c = xistarInv / l[q];
        const a3 = alpha0 + 1 / q;
        const a4 = alpha0Hat + xiInv;
        const cpInv = (1 - a4 + a3) / a3;
        tq[1] = Math.abs(c * cpInv);
      } else {
        tq[1] = 1;
      }
      hsum += tau[q];
      xiInv = h / hsum;
      const a5 = alpha0 - 1 / (q + 1);
      const a6 = alpha0Hat - xiInv;
      const cppInv = (1 - a6 + a5) / a2;
      tq[3] = Math.abs(cppInv / (xiInv * (q + 2) * a5));
    }
    tq[4] = NLSCOEF / tq[2];
    this.rl1 = 1 / l[1];
    this.gamma = h * this.rl1;
    if (this.nst === 0) this.gammap = this.gamma;
    this.gamrat = this.nst > 0 ? this.gamma / this.gammap : 1;
  }

  /** Modified Newton corrector with Jacobian/LU reuse (CVODE's cvNls with its linear setup policy). */
  private corrector(nflag: number): number {
    let convfail = nflag === FIRST_CALL || nflag === PREV_ERR_FAIL ? NO_FAILURES : FAIL_OTHER;
    let callSetup = nflag === PREV_CONV_FAIL || nflag === PREV_ERR_FAIL || this.nst === 0
      || this.nst >= this.nstlp + MSBP || Math.abs(this.gamrat - 1) > DGMAX_LSETUP;
    this.jcur = false;
    for (;;) {
      this.problem.rhs(this.tEval, this.yView, this.ftemp);
      this.stats.nf++;
      if (callSetup) {
        const dgamma = Math.abs(this.gamma / this.gammap - 1);
        const jbad = !this.haveJ || this.nst === 0 || this.nst > this.nstlj + MSBJ
          || (convfail === FAIL_BAD_J && dgamma < DGMAX_JBAD) || convfail === FAIL_OTHER;
        if (jbad) {
          this.lin.updateJacobian(this.tEval, this.yView, this.ftemp, this.ewt, this.h);
          this.haveJ = true;
          this.nstlj = this.nst;
          this.jcur = true;
          this.setupFlags |= TRACE_JAC;
          this.jacH = this.h;
          this.jacQ = this.q;
        }
        this.setupFlags |= TRACE_SETUP;
        this.gamrat = 1;
        this.crate = 1;
        this.gammap = this.gamma;
        this.nstlp = this.nst;
        if (!this.lin.factor(this.gamma)) {
          this.whyFail = WHY_SINGULAR;
          return NLS_FAIL;
        }
      }
      this.acor.fill(0);
      const r = this.newtonIteration();
      if (r !== NLS_TRY_AGAIN) return r;
      callSetup = true;
      convfail = FAIL_BAD_J;
    }
  }

  private newtonIteration(): number {
    const n = this.n;
    const { acor, ftemp, ycur, ewt } = this;
    // Stale γ̄ in M: scaling the update by 2/(1 + γ/γ̄) makes it exact for linear problems with large ‖γJ‖.
    const scale = this.gamrat !== 1 ? 2 / (1 + this.gamrat) : 1;
    let delp = 0;
    let m = 0;
    for (;;) {
      // On a non-finite update Δ is spoilt, but the corrector starts Δ afresh on every attempt.
      const del = this.newtonUpdate(scale);
      if (!Number.isFinite(del)) {
        this.whyFail = WHY_NONFINITE;
        this.nonFiniteRecent = true;
        return !this.jcur ? NLS_TRY_AGAIN : NLS_FAIL;
      }
      if (m > 0) this.crate = Math.max(CRDOWN * this.crate, del / delp);
      const dcon = (del * Math.min(1, this.crate)) / this.tq[4];
      if (dcon <= 1) {
        this.acnrm = m === 0 ? del : wrmsNorm(n, acor, ewt);
        this.jcur = false;
        this.lastIters = m + 1;
        return NLS_OK;
      }
      m++;
      if (m === MAXCOR || (m >= 2 && del > RDIV * delp)) {
        this.whyFail = WHY_DIVERGED;
        this.nonFiniteRecent = false;
        return !this.jcur ? NLS_TRY_AGAIN : NLS_FAIL;
      }
      delp = del;
      this.problem.rhs(this.tEval, ycur, ftemp);
      this.stats.nf++;
      if (!allFinite(n, ftemp)) {
        this.whyFail = WHY_NONFINITE;
        this.nonFiniteRecent = true;
        return !this.jcur ? NLS_TRY_AGAIN : NLS_FAIL;
      }
    }
  }

  /**
   * One Newton update: solves M·δ = γ·f(ycur) − (ℓ₁⁻¹·h·y′ + Δ) with the factored M, scales δ
   * (×1 is exact), and in one pass takes its weighted RMS norm (returned), adds it to Δ and forms
   * the new iterate ycur = y_pred + Δ.
   */
  private newtonUpdate(scale: number): number {
    const n = this.n;
    const zn = this.zn;
    const { oEwt: E, oAcor: A, oTempv: T, oFtemp: F, oYcur: Y } = this;
    const rl1 = this.rl1;
    const gamma = this.gamma;
    this.stats.nNewton++;
    for (let i = 0; i < n; i++) zn[T + i] = gamma * zn[F + i] - (rl1 * zn[n + i] + zn[A + i]);
    this.lin.solve(this.tempv);
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = zn[T + i] * scale;
      const w = d * zn[E + i];
      ss += w * w;
      const a = zn[A + i] + d;
      zn[A + i] = a;
      zn[Y + i] = zn[i] + a;
    }
    return Math.sqrt(ss / n);
  }

  /** Accepts the step: history update zn ← zn + ℓ·Δ, step-size memory, and the Δ saved for an order increase. */
  private completeStep(): void {
    const n = this.n;
    const { zn, l, tau, acor } = this;
    const q = this.q;
    this.nst++;
    this.stats.steps++;
    for (let i = q; i >= 2; i--) tau[i] = tau[i - 1];
    if (q === 1 && this.nst > 1) tau[2] = tau[1];
    tau[1] = this.h;
    addCorrection(zn, n, q, l, this.oAcor);
    this.qwait--;
    if (this.qwait === 1 && q !== this.qmax) {
      zn.set(acor, this.qmax * n);
      this.savedTq5 = this.tq[5];
    }
  }

  /** Chooses the next step ratio and order (CVODE's cvPrepareNextStep, cvChooseEta, cvSetEta). */
  private prepareNextStep(): void {
    const dsm = this.dsm;
    if (this.etamax === 1) {
      // A failure happened in this step: keep h and q for now.
      this.qwait = Math.max(this.qwait, 2);
      this.qprime = this.q;
      this.hprime = this.h;
      this.eta = 1;
      return;
    }
    const etaq = 1 / (Math.pow(BIAS2 * dsm, 1 / this.L) + ADDON);
    if (this.qwait !== 0) {
      this.eta = etaq;
      this.qprime = this.q;
      this.setEta();
      return;
    }
    this.qwait = 2;
    this.setEtaQm1();
    this.setEtaQp1();
    const { etaqm1, etaqp1 } = this;
    const etam = Math.max(etaqm1, etaq, etaqp1);
    if (etam < THRESH) {
      this.eta = 1;
      this.qprime = this.q;
    } else if (etam === etaq) {
      this.eta = etaq;
      this.qprime = this.q;
    } else if (etam === etaqm1) {
      this.eta = etaqm1;
      this.qprime = this.q - 1;
    } else {
      this.eta = etaqp1;
      this.qprime = this.q + 1;
      // Δ of this step builds the new history column when the order goes up.
      this.zn.set(this.acor, this.qmax * this.n);
    }
    this.setEta();
  }

  private setEta(): void {
    if (this.eta < THRESH) {
      this.eta = 1;
      this.hprime = this.h;
      this.qprime = this.q;
    } else {
      this.eta = Math.min(this.eta, this.etamax);
      this.eta /= Math.max(1, this.h * this.hmaxInv * this.eta);
      this.hprime = this.h * this.eta;
    }
  }

  /** Step ratio for order q − 1, into `etaqm1`. */
  private setEtaQm1(): void {
    this.etaqm1 = 0;
    if (this.q <= 1) return;
    const n = this.n;
    const { zn, oEwt } = this;
    const off = this.q * n;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const x = zn[off + i] * zn[oEwt + i];
      s += x * x;
    }
    const ddn = Math.sqrt(s / n) * this.tq[1];
    this.etaqm1 = 1 / (Math.pow(BIAS1 * ddn, 1 / this.q) + ADDON);
  }

  /** Step ratio for order q + 1, into `etaqp1`. */
  private setEtaQp1(): void {
    this.etaqp1 = 0;
    if (this.q === this.qmax || this.savedTq5 === 0) return;
    const n = this.n;
    const { zn, oAcor, oEwt } = this;
    const cquot = (this.tq[5] / this.savedTq5) * Math.pow(this.h / this.tau[2], this.L);
    const off = this.qmax * n;
    // Weighted RMS norm of Δ − cquot·Δ_saved, as wrmsNorm computes it.
    let s = 0;
    for (let i = 0; i < n; i++) {
      const x = (zn[oAcor + i] - cquot * zn[off + i]) * zn[oEwt + i];
      s += x * x;
    }
    const dup = Math.sqrt(s / n) * this.tq[3];
    this.etaqp1 = 1 / (Math.pow(BIAS3 * dup, 1 / (this.L + 1)) + ADDON);
  }
}
