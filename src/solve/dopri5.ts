/**
 * Explicit Dormand–Prince 5(4) Runge–Kutta method with FSAL, as in Hairer's DOPRI5.
 *
 * - Order 5 (local extrapolation), embedded order-4 error estimate; explicit, so only for
 *   non-stiff problems (stability region reaches about −3.3 on the real axis).
 * - Method: Dormand & Prince (1980), "A family of embedded Runge–Kutta formulae",
 *   J. Comput. Appl. Math. 6:19–26; implementation details (PI step control with β = 0.04,
 *   the initial-step heuristic, the order-4 continuous extension with Shampine's coefficients)
 *   follow Hairer, Nørsett & Wanner, "Solving ODEs I", 2nd ed., §II.4–II.6 and the code DOPRI5.
 * - Dense output: 4th-order continuous extension over the last step.
 */
import { hairerInitialStep } from './initial-step.js';
import { atCurrentState } from './dense-window.js';
import { allFinite } from './norms.js';
import { justAfter, justBefore } from './one-sided.js';
import type { StepperSettings } from './settings.js';
import { RetCode, type Integrator, type OdeProblem, type SolverStats } from './types.js';

const UROUND = Number.EPSILON;

// Butcher tableau (Dormand & Prince 1980, Table 2; HNW I, Table II.5.2).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
// Error coefficients: 5th-order minus 4th-order weights.
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// Dense output (Shampine 1986, as in DOPRI5's CONTD5).
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072;
const D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

// Step control (DOPRI5 defaults).
const SAFE = 0.9;
/** Bounds on h_new/h: [1/FACC2 … 1/FACC1] = [0.2 … 10]. */
const FACC1 = 1 / 0.2;
const FACC2 = 1 / 10;
/** PI (Lund-stabilised) controller exponent. */
const BETA = 0.04;
const EXPO1 = 0.2 - BETA * 0.75;
/** Consecutive non-finite stages tolerated (each shrinks h tenfold) before giving up. */
const MAX_NONFINITE = 20;

/** Dormand–Prince 5(4) integrator (see the file header). */
export class Dopri5 implements Integrator {
  readonly stats: SolverStats;
  message = '';

  private readonly n: number;
  private readonly problem: OdeProblem;
  private readonly rtol: number;
  private readonly atol: Float64Array;
  private readonly hmax: number;
  private readonly hmin: number;
  private readonly h0User: number;
  private readonly fixedStep: number;

  private readonly yCur: Float64Array;
  private readonly yNew: Float64Array;
  private readonly yStage: Float64Array;
  private readonly k1: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly k5: Float64Array;
  private readonly k6: Float64Array;
  private readonly k7: Float64Array;
  /** Continuous-extension coefficients r1..r5 of the last step, each of length n. */
  private readonly cont: Float64Array;

  private tn = 0;
  private tOld = 0;
  private hLast = 0;
  private h = 0;
  private facold = 1e-4;
  private lastRejected = false;
  /** The latest rejection met a NaN/Inf; a collapsing step then means f is undefined ahead. */
  private nonFiniteRecent = false;
  private started = false;

  constructor(problem: OdeProblem, y0: Float64Array, settings: StepperSettings) {
    const n = problem.n;
    this.n = n;
    this.problem = problem;
    this.stats = settings.stats;
    this.rtol = settings.rtol;
    this.atol = settings.atol;
    this.hmax = settings.hmax;
    this.hmin = settings.hmin;
    this.h0User = settings.h0;
    this.fixedStep = settings.fixedStep ?? 0;
    this.yCur = new Float64Array(n);
    this.yNew = new Float64Array(n);
    this.yStage = new Float64Array(n);
    this.k1 = new Float64Array(n);
    this.k2 = new Float64Array(n);
    this.k3 = new Float64Array(n);
    this.k4 = new Float64Array(n);
    this.k5 = new Float64Array(n);
    this.k6 = new Float64Array(n);
    this.k7 = new Float64Array(n);
    this.cont = new Float64Array(5 * n);
    this.reinit(settings.t0, y0);
  }

  get t(): number { return this.tn; }
  get tPrev(): number { return this.tOld; }
  get y(): Float64Array { return this.yCur; }

  reinit(t: number, y: Float64Array): void {
    for (let i = 0; i < this.n; i++) this.yCur[i] = y[i];
    this.tn = t;
    this.tOld = t;
    this.hLast = 0;
    this.h = 0;
    this.facold = 1e-4;
    this.lastRejected = false;
    this.started = false;
    this.nonFiniteRecent = false;
    // f just after t: the side of a discontinuity at t that the integration goes on with.
    this.problem.rhs(justAfter(t), this.yCur, this.k1);
    this.stats.nf++;
    this.message = '';
  }

  interpolate(t: number, out: Float64Array): void {
    const n = this.n;
    if (atCurrentState('DOPRI5', t, this.tOld, this.tn, this.hLast)) {
      for (let i = 0; i < n; i++) out[i] = this.yCur[i];
      return;
    }
    const s = (t - this.tOld) / this.hLast;
    const s1 = 1 - s;
    const c = this.cont;
    for (let i = 0; i < n; i++) {
      out[i] = c[i] + s * (c[n + i] + s1 * (c[2 * n + i] + s * (c[3 * n + i] + s1 * c[4 * n + i])));
    }
  }

  step(tStop: number): RetCode {
    const n = this.n;
    if (!(tStop > this.tn)) {
      this.message = `step: tStop = ${tStop} is not after t = ${this.tn}`;
      return RetCode.InvalidInput;
    }
    if (!this.started) {
      this.h = this.fixedStep > 0 ? this.fixedStep : this.h0User > 0 ? this.h0User : hairerInitialStep(
        this.problem, this.tn, this.yCur, this.k1, 4, this.rtol, this.atol, this.hmax, tStop, this.yStage, this.k2, this.stats);
      if (!(this.h > 0)) {
        this.message = `could not estimate an initial step at t = ${this.tn}: the right-hand side is not finite near y0`;
        return RetCode.NonFinite;
      }
      this.started = true;
    }
    const { problem, yCur, yNew, yStage: ys, k1, k2, k3, k4, k5, k6, k7, atol, rtol } = this;
    let nonFinite = 0;
    for (;;) {
      let h = Math.min(this.h, this.hmax);
      let landing = false;
      if (this.tn + h >= tStop || tStop - (this.tn + h) <= 4 * UROUND * Math.abs(tStop)) {
        h = tStop - this.tn;
        landing = true;
      }
      if (!landing && h <= 16 * UROUND * Math.abs(this.tn)) {
        if (this.nonFiniteRecent) {
          this.message = `the right-hand side is NaN/Inf just after t = ${this.tn}: the step shrank to ${h} trying to pass`;
          return RetCode.NonFinite;
        }
        this.message = `step size ${h} fell below the round-off limit at t = ${this.tn}`;
        return RetCode.DtLessThanMin;
      }
      const t = this.tn;
      for (let i = 0; i < n; i++) ys[i] = yCur[i] + h * A21 * k1[i];
      problem.rhs(t + C2 * h, ys, k2);
      for (let i = 0; i < n; i++) ys[i] = yCur[i] + h * (A31 * k1[i] + A32 * k2[i]);
      problem.rhs(t + C3 * h, ys, k3);
      for (let i = 0; i < n; i++) ys[i] = yCur[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
      problem.rhs(t + C4 * h, ys, k4);
      for (let i = 0; i < n; i++) ys[i] = yCur[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
      problem.rhs(t + C5 * h, ys, k5);
      for (let i = 0; i < n; i++) {
        ys[i] = yCur[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
      }
      const tNew = landing ? tStop : t + h;
      // A step that lands on tStop sees f just before it (a discontinuity there comes after the step).
      const tLast = landing ? justBefore(tStop, t) : tNew;
      problem.rhs(tLast, ys, k6);
      for (let i = 0; i < n; i++) {
        yNew[i] = yCur[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
      }
      problem.rhs(tLast, yNew, k7);
      this.stats.nf += 6;

      let err = 0;
      for (let i = 0; i < n; i++) {
        const e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
        const sk = atol[i] + rtol * Math.max(Math.abs(yCur[i]), Math.abs(yNew[i]));
        const r = e / sk;
        err += r * r;
      }
      err = Math.sqrt(err / n);

      if (!Number.isFinite(err) || !allFinite(n, k7)) {
        // A non-finite stage: the step probably left the region where f is defined; shrink it.
        this.stats.rejected++;
        if (this.fixedStep > 0 || ++nonFinite > MAX_NONFINITE) {
          this.message = `the right-hand side became NaN/Inf at t = ${t} (step ${h})`;
          return RetCode.NonFinite;
        }
        this.h = h * 0.1;
        this.lastRejected = true;
        this.nonFiniteRecent = true;
        continue;
      }

      const fac11 = Math.pow(err, EXPO1);
      if (err <= 1 || this.fixedStep > 0) {
        // Accepted: PI control h_new = h · err^−α · err_old^β, α = 0.2 − 0.75β.
        let fac = fac11 / Math.pow(this.facold, BETA);
        fac = Math.max(FACC2, Math.min(FACC1, fac / SAFE));
        let hNew = h / fac;
        this.facold = Math.max(err, 1e-4);
        if (this.lastRejected) hNew = Math.min(hNew, h);
        this.lastRejected = false;
        this.stats.steps++;
        this.buildDenseOutput(h);
        this.tOld = t;
        this.tn = tNew;
        this.hLast = h;
        for (let i = 0; i < n; i++) {
          yCur[i] = yNew[i];
          k1[i] = k7[i];
        }
        // A landing step may be a short one; keep the size the controller chose.
        this.h = this.fixedStep > 0 ? this.fixedStep : landing ? Math.max(hNew, this.h) : hNew;
        return RetCode.Success;
      }
      // Rejected: h_new = h / min(1/fac1, err^α / safe), no growth after a rejection.
      this.stats.rejected++;
      this.stats.nErrFail++;
      this.lastRejected = true;
      this.nonFiniteRecent = false;
      const hNew = h / Math.min(FACC1, fac11 / SAFE);
      if (hNew <= this.hmin || hNew <= 16 * UROUND * Math.abs(t)) {
        this.message = `step size ${hNew} fell below the minimum at t = ${t} (error test failing)`;
        return RetCode.DtLessThanMin;
      }
      this.h = hNew;
    }
  }

  /** Coefficients of the continuous extension over [t, t + h] from the stages of the accepted step. */
  private buildDenseOutput(h: number): void {
    const n = this.n;
    const { cont: c, yCur, yNew, k1, k3, k4, k5, k6, k7 } = this;
    for (let i = 0; i < n; i++) {
      const ydiff = yNew[i] - yCur[i];
      const bspl = h * k1[i] - ydiff;
      c[i] = yCur[i];
      c[n + i] = ydiff;
      c[2 * n + i] = bspl;
      c[3 * n + i] = ydiff - h * k7[i] - bspl;
      c[4 * n + i] = h * (D1 * k1[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * k7[i]);
    }
  }
}
