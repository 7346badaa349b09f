/**
 * The driver: `solve(problem, y0, options) → Solution`. It runs one integrator step by step
 * (as CVODE's one-step mode with a stop time), fills the requested outputs from the dense
 * output, steps exactly onto `tstops` and restarts there, and locates state events with
 * {@link RootFinder}. Whatever happens, the returned `retcode`, `tReached` and `message` say
 * how far the solution got and why it stopped.
 */
import { Bdf } from './bdf.js';
import { Dopri5 } from './dopri5.js';
import { allFinite, copyIfFinite } from './norms.js';
import { OutputBuffer } from './output-buffer.js';
import { Rosenbrock } from './rosenbrock.js';
import { RootFinder } from './roots.js';
import { checkTimes, DEFAULT_MAX_STEPS, resolveSettings, type StepperSettings } from './settings.js';
import {
  newStats, RetCode,
  type EventAction, type Integrator, type MethodName, type OdeProblem, type SolveOptions, type Solution, type SolverStats,
} from './types.js';

/** Options of {@link solve}: the shared {@link SolveOptions} plus the method (default 'bdf'). */
export type SolveRequest = SolveOptions & { method?: MethodName };

/** Builds the integrator for a method from validated settings. */
export function createIntegrator(method: MethodName, problem: OdeProblem, y0: Float64Array, settings: StepperSettings): Integrator {
  switch (method) {
    case 'bdf': return new Bdf(problem, y0, settings);
    case 'rosenbrock': return new Rosenbrock(problem, y0, settings);
    case 'dopri5': return new Dopri5(problem, y0, settings);
  }
}

function failure(n: number, method: MethodName, t0: number, message: string, stats: SolverStats): Solution {
  return {
    n, t: new Float64Array(0), y: new Float64Array(0), retcode: RetCode.InvalidInput, tReached: t0,
    yEnd: new Float64Array(0), message, stats, method,
  };
}

function checkAction(a: unknown, who: string): EventAction {
  if (a === 'continue' || a === 'stop' || a === 'modified') return a;
  throw new Error(`${who} must return 'continue', 'stop' or 'modified', got ${String(a)}`);
}

/**
 * Integrates dy/dt = f(t, y) from `options.t0` to `options.tEnd`.
 *
 * Outputs: the rows at `saveAt` times (interpolated), and every accepted step when
 * `saveEverystep` (default when `saveAt` is absent). At an event time the stored row holds the
 * state after the event's change; with `saveEverystep` the state just before it is stored too.
 * A tstop equal to t0 is handled before the first step (e.g. a dose at time zero).
 */
export function solve(problem: OdeProblem, y0: Float64Array, options: SolveRequest): Solution {
  const stats = newStats();
  const method: MethodName = options.method ?? 'bdf';
  const nProblem = problem !== null && typeof problem === 'object' && Number.isInteger(problem.n) ? problem.n : 0;
  const t0In = typeof options.t0 === 'number' ? options.t0 : NaN;
  const settings = resolveSettings(problem, y0, options, method, stats);
  if (typeof settings === 'string') return failure(nProblem, method, t0In, settings, stats);
  const n = problem.n;
  const { t0 } = settings;
  const tEnd = options.tEnd;

  const saveAt = options.saveAt;
  if (saveAt !== undefined) {
    const msg = checkTimes('saveAt', saveAt, t0, tEnd);
    if (msg !== null) return failure(n, method, t0, msg, stats);
  }
  const saveEvery = options.saveEverystep ?? saveAt === undefined;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  let tstops: number[] = [];
  if (options.tstops !== undefined) {
    const ts = options.tstops;
    for (let k = 0; k < ts.length; k++) {
      if (typeof ts[k] !== 'number' || !Number.isFinite(ts[k])) return failure(n, method, t0, `tstops[${k}] is not a finite number`, stats);
      // Stops outside [t0, tEnd] are never reached; that is not an error (e.g. a longer dosing schedule).
      if (ts[k] >= t0 && ts[k] <= tEnd) tstops.push(ts[k]);
    }
    tstops.sort((a, b) => a - b);
    tstops = tstops.filter((t, k) => k === 0 || t !== tstops[k - 1]);
  }
  if (options.onTstop !== undefined && typeof options.onTstop !== 'function') return failure(n, method, t0, 'onTstop must be a function', stats);
  const roots = options.roots;
  if (roots !== undefined) {
    if (!Number.isInteger(roots.n) || roots.n < 0) return failure(n, method, t0, `roots.n must be an integer ≥ 0, got ${String(roots.n)}`, stats);
    if (typeof roots.g !== 'function' || typeof roots.onRoot !== 'function') return failure(n, method, t0, 'roots.g and roots.onRoot must be functions', stats);
  }

  const y = new Float64Array(n);
  y.set(y0);
  const out = new OutputBuffer(n, saveAt !== undefined ? saveAt.length + 2 : 256);
  const nSave = saveAt !== undefined ? saveAt.length : 0;
  let iSave = 0;
  let iStop = 0;
  let retcode = RetCode.Success;
  let message = '';
  let tCur = t0;

  /** The state at tCur, kept current as the solve advances (read by finish). */
  let yEnd = new Float64Array(n);
  yEnd.set(y);
  /**
   * The state after the latest step, checked while it is copied (one pass for both); it becomes
   * yEnd by swapping the two arrays.
   */
  let yStep = new Float64Array(n);
  const finish = (): Solution => {
    const { t, y: rows } = out.finish();
    return { n, t, y: rows, retcode, tReached: tCur, yEnd, message, stats, method };
  };

  // A stop at t0 (e.g. a dose at time zero) acts before the first step.
  if (iStop < tstops.length && tstops[iStop] === t0) {
    iStop++;
    if (options.onTstop !== undefined) {
      const act = checkAction(options.onTstop(t0, y), 'onTstop');
      if (act === 'stop') {
        retcode = RetCode.Terminated;
        message = `onTstop asked to stop at t = ${t0}`;
      }
      if (!allFinite(n, y)) {
        retcode = RetCode.NonFinite;
        message = `onTstop set a non-finite state at t = ${t0}`;
      }
    }
  }
  yEnd.set(y);
  if (saveEvery) out.push(t0, y);
  while (iSave < nSave && saveAt![iSave] === t0) {
    out.push(t0, y);
    iSave++;
  }
  if (retcode !== RetCode.Success || tEnd === t0) return finish();

  const integ = createIntegrator(method, problem, y, settings);
  const finder = roots !== undefined && roots.n > 0 ? new RootFinder(roots, n, stats) : null;
  finder?.restart(t0, y);

  const yOut = new Float64Array(n);
  /** Emits saveAt rows up to tLimit (inclusive or not) from the integrator's dense output. */
  const emit = (tLimit: number, inclusive: boolean): void => {
    while (iSave < nSave) {
      const ts = saveAt![iSave];
      if (ts > tLimit || (!inclusive && ts === tLimit)) break;
      integ.interpolate(ts, yOut);
      out.push(ts, yOut);
      iSave++;
    }
  };

  outer: while (tCur < tEnd) {
    if (options.shouldContinue !== undefined && !options.shouldContinue()) {
      retcode = RetCode.Terminated;
      message = `stopped by shouldContinue at t = ${tCur}`;
      break;
    }
    if (stats.steps + stats.rejected >= maxSteps) {
      retcode = RetCode.MaxIters;
      message = `reached maxSteps = ${maxSteps} at t = ${tCur}`;
      break;
    }
    const tStop = iStop < tstops.length ? tstops[iStop] : tEnd;
    const rc = integ.step(tStop);
    if (rc !== RetCode.Success) {
      retcode = rc;
      message = integ.message;
      break;
    }
    if (!copyIfFinite(n, integ.y, yStep)) {
      retcode = RetCode.NonFinite;
      message = `the state became NaN/Inf at t = ${integ.t}`;
      break;
    }

    // State events in (tCur, tNew], earliest first; a change of state restarts the method.
    let restarted = false;
    if (finder !== null) {
      while (finder.find(integ)) {
        const tr = finder.tRoot;
        const yr = finder.yRoot;
        emit(tr, false);
        if (saveEvery) out.push(tr, yr);
        const act = checkAction(roots!.onRoot(tr, yr, finder.dir), 'onRoot');
        tCur = tr;
        yEnd.set(yr);
        if (act === 'stop') {
          retcode = RetCode.Terminated;
          message = `an event asked to stop at t = ${tr}`;
          emit(tr, true);
          break outer;
        }
        if (act === 'modified') {
          if (!allFinite(n, yr)) {
            retcode = RetCode.NonFinite;
            message = `an event set a non-finite state at t = ${tr}`;
            break outer;
          }
          integ.reinit(tr, yr);
          if (saveEvery) out.push(tr, yr);
          finder.restart(tr, yr);
          restarted = true;
          break;
        }
      }
    }

    const tHere = integ.t;
    const atStop = tHere === tStop && iStop < tstops.length;
    if (restarted) {
      // The step was cut at the event; a tstop at the same time is handled below.
      if (!atStop) {
        emit(tHere, true);
        if (tHere >= tEnd) break;
        continue;
      }
    } else {
      emit(tHere, !atStop);
      if (saveEvery) out.push(tHere, integ.y);
      tCur = tHere;
      const previous = yEnd;
      yEnd = yStep;
      yStep = previous;
    }
    if (atStop) {
      iStop++;
      y.set(integ.y);
      let act: EventAction = 'continue';
      if (options.onTstop !== undefined) act = checkAction(options.onTstop(tHere, y), 'onTstop');
      if (act === 'modified' && !allFinite(n, y)) {
        retcode = RetCode.NonFinite;
        message = `onTstop set a non-finite state at t = ${tHere}`;
        break;
      }
      if (act === 'modified' && saveEvery) out.push(tHere, y);
      yEnd.set(y);
      if (act === 'stop') {
        retcode = RetCode.Terminated;
        message = `onTstop asked to stop at t = ${tHere}`;
        emit(tHere, true);
        break;
      }
      // A tstop marks a discontinuity: restart the method there (at tEnd only to expose a changed state).
      if (tHere < tEnd || act === 'modified') integ.reinit(tHere, y);
      if (tHere < tEnd) finder?.restart(tHere, y);
      emit(tHere, true);
    }
  }
  return finish();
}
