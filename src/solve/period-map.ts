/**
 * One period of a periodically forced system, integrated as a map z_k → z_{k+1}: the building
 * block of envelope following (`envelope.ts`).
 *
 * With BDF the period is integrated adaptively once, its accepted steps recorded
 * ({@link BdfTrace}), and later periods repeat those steps with every adaptive decision frozen
 * (`frozen: true`). An adaptive integration of each period separately has its own step
 * sequence, so z_{k+1} − z_k carries a discretisation error that changes from period to
 * period at the level of the tolerance: noise that the envelope's slope estimates would have to
 * treat as signal. A frozen sequence makes the map one smooth function of the state, as a
 * fixed-step method would (the "internal numerical differentiation" of Bock 1981, "Numerical
 * treatment of inverse problems in chemical reaction kinetics", Springer Ser Chem Phys 18:102).
 * Each repeated step still computes its local error estimate; when a step fails the adaptive
 * error test (or its Newton iteration has not converged by the adaptive test), the period is
 * integrated adaptively again from its start and its steps become the new sequence, so the
 * accuracy of every period is controlled as in an adaptive run. `changed` then tells the
 * caller that the map has changed.
 *
 * One integrator serves all periods (reinitialised at each period start and at each
 * discontinuity inside it), so its work arrays and sparse LU analysis are set up once.
 */
import { Bdf, type BdfTrace, newBdfTrace } from './bdf.js';
import { OutputBuffer } from './output-buffer.js';
import { solve } from './solve.js';
import type { StepperSettings } from './settings.js';
import { type MethodName, type OdeProblem, RetCode, type SolverStats, addStats, isSuccessful } from './types.js';

export interface PeriodResult {
  readonly z: Float64Array;
  /** Every accepted step (times, row-major states), when asked for: views valid until the next period. */
  readonly t: Float64Array | null;
  readonly y: Float64Array | null;
  /** The step sequence was recorded afresh in this period (the map is not the one before). */
  readonly changed: boolean;
}

export interface PeriodFailure {
  readonly retcode: RetCode;
  readonly message: string;
}

export class PeriodMap {
  /** The integrator kept across periods (frozen sequences only; made on the first period). */
  private integ: Bdf | null = null;
  private readonly frozen: boolean;
  private trace: BdfTrace | null = null;
  /** Number of recorded steps in each segment of the period (between discontinuities). */
  private segSteps: number[] = [];
  /** Every accepted step of the current period, when asked for (one buffer for all periods). */
  private readonly steps: OutputBuffer;
  /** Periods repeated on a frozen sequence, and those recorded afresh. */
  replayed = 0;
  recorded = 0;

  /**
   * `offsets`: the discontinuities inside each period (in [0, period)); `frozen`: repeat
   * recorded BDF step sequences (only with method 'bdf').
   */
  constructor(
    private readonly problem: OdeProblem,
    private readonly settings: StepperSettings,
    private readonly method: MethodName,
    private readonly period: number,
    private readonly offsets: readonly number[],
    private readonly maxSteps: number,
    private readonly stats: SolverStats,
    frozen: boolean,
  ) {
    this.frozen = frozen && method === 'bdf';
    this.steps = new OutputBuffer(problem.n, 1024);
  }

  /** Ends of the segments of the period starting at a (the last is b). */
  private segmentEnds(a: number, b: number): number[] {
    const ends = [...new Set(this.offsets.filter((d) => d > 0))].sort((x, y) => x - y).map((d) => a + d).filter((t) => t < b);
    ends.push(b);
    return ends;
  }

  /** The period [a, b] from state z. */
  run(a: number, b: number, z: Float64Array, keepSteps: boolean): PeriodResult | PeriodFailure {
    if (!this.frozen) return this.runSolve(a, b, z, keepSteps);
    this.integ ??= new Bdf(this.problem, z, { ...this.settings, t0: a, stats: this.stats });
    if (this.trace !== null) {
      const r = this.replay(a, b, z, keepSteps);
      if (r !== null) {
        this.replayed++;
        return r;
      }
    }
    return this.record(a, b, z, keepSteps);
  }

  /** Without a frozen sequence: the ordinary driver, a fresh adaptive run. */
  private runSolve(a: number, b: number, z: Float64Array, keepSteps: boolean): PeriodResult | PeriodFailure {
    const s = solve(this.problem, z, {
      t0: a, tEnd: b, rtol: this.settings.rtol, atol: this.settings.atol, method: this.method,
      tstops: this.offsets.map((d) => a + d), maxSteps: this.maxSteps, ...(keepSteps ? { saveEverystep: true } : { saveAt: [b] }),
    });
    addStats(this.stats, s.stats);
    if (!isSuccessful(s.retcode)) return { retcode: s.retcode, message: s.message };
    return { z: Float64Array.from(s.yEnd), t: keepSteps ? s.t : null, y: keepSteps ? s.y : null, changed: false };
  }

  private record(a: number, b: number, z: Float64Array, keepSteps: boolean): PeriodResult | PeriodFailure {
    const integ = this.integ!;
    const trace = newBdfTrace();
    const segSteps: number[] = [];
    const steps = keepSteps ? this.steps : null;
    steps?.clear();
    integ.reinit(a, z);
    integ.trace = trace;
    steps?.push(a, z);
    let count = 0;
    const ends = this.segmentEnds(a, b);
    for (const [j, end] of ends.entries()) {
      const before = trace.h.length;
      while (integ.t < end) {
        if (++count > this.maxSteps) {
          integ.trace = null;
          return { retcode: RetCode.MaxIters, message: `reached maxSteps = ${this.maxSteps} at t = ${integ.t}` };
        }
        const rc = integ.step(end);
        if (rc !== RetCode.Success) {
          integ.trace = null;
          return { retcode: rc, message: integ.message };
        }
        steps?.push(integ.t, integ.y);
      }
      segSteps.push(trace.h.length - before);
      if (j < ends.length - 1) integ.reinit(end, Float64Array.from(integ.y));
    }
    integ.trace = null;
    this.trace = trace;
    this.segSteps = segSteps;
    this.recorded++;
    return { z: Float64Array.from(integ.y), ...(steps ? steps.views() : { t: null, y: null }), changed: true };
  }

  /** The recorded sequence repeated from z; null when a step fails its error test (or cannot be taken). */
  private replay(a: number, b: number, z: Float64Array, keepSteps: boolean): PeriodResult | null {
    const integ = this.integ!;
    const trace = this.trace!;
    const steps = keepSteps ? this.steps : null;
    steps?.clear();
    integ.reinit(a, z);
    steps?.push(a, z);
    const ends = this.segmentEnds(a, b);
    if (ends.length !== this.segSteps.length) return null;
    let k = 0;
    for (const [j, end] of ends.entries()) {
      const m = this.segSteps[j];
      for (let i = 0; i < m; i++, k++) {
        const dsm = integ.replayStep(trace, k, end, i === m - 1);
        if (!(dsm >= 0 && dsm <= 1)) return null;
        steps?.push(integ.t, integ.y);
      }
      if (integ.t !== end) return null;
      if (j < ends.length - 1) integ.reinit(end, Float64Array.from(integ.y));
    }
    return { z: Float64Array.from(integ.y), ...(steps ? steps.views() : { t: null, y: null }), changed: false };
  }
}
