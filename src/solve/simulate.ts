/**
 * Simulation of a compiled model: initial values, parameters, output sampling, and events
 * with SBML semantics (trigger on a false → true transition, `initialValue`, delays,
 * `persistent`, `useValuesFromTriggerTime`, priorities, cascades), on top of `solve()`.
 *
 * The integration runs in segments between discontinuities: a segment ends at a located root
 * where some event trigger changes, or at the execution time of a delayed event, and the
 * integrator restarts from the post-event state (a fresh start is what a discontinuity needs).
 * Roots that come only from piecewise conditions of the right-hand side restart the integrator
 * without ending the segment. Triggers are read just after a located root (the right limit), so
 * a strict relation such as `time > 5` fires at 5 even when the root lands exactly on it.
 *
 * Models that use SBML `delay(x, τ)` (see `CompiledModel.delays`) are integrated by the method
 * of steps: segments no longer than the shortest delay, a recorded history of every delayed x,
 * and each delayed term set from that history before any evaluation. A model without states is
 * integrated as one dummy state so that time-driven events still fire.
 */
import type { CompiledModel } from '../compile/compiled.js';
import { solve } from './solve.js';
import { type MethodName, type OdeProblem, RetCode, type SolverStats, addStats, isSuccessful, newStats } from './types.js';

export interface SimulateOptions {
  t0?: number;
  tEnd: number;
  /** Output times; default: `nOut` evenly spaced points (including t0 and tEnd). */
  saveAt?: ArrayLike<number>;
  /** Number of evenly spaced output intervals when saveAt is absent (default 100). */
  nOut?: number;
  rtol?: number;
  /**
   * Absolute tolerance (default 1e-10): a scalar is scaled per state by the model's
   * `atolScale` (see {@link stateTolerances}); an array gives every state's value as it is.
   */
  atol?: number | Float64Array;
  method?: MethodName;
  /** Parameter values (default: the model's p0). Not modified. */
  p?: Float64Array;
  /** Initial state override (default: computed by the model's init at t0). */
  y0?: Float64Array;
  /** Extra times to step to exactly (protocol edges). */
  tstops?: ArrayLike<number>;
  /** Largest step (default unbounded). */
  hmax?: number;
  maxSteps?: number;
  /** Also record assigned quantities and observables at the output times (default true). */
  recordDerived?: boolean;
  /**
   * Record the parameter vector at every output time (default: only when some event assigns a
   * parameter). Set it when computed start values (initial assignments) must be read back.
   */
  recordParameters?: boolean;
  /** Called after each output point (progress), and able to abort by returning false. */
  shouldContinue?: () => boolean;
  /**
   * When several events execute at the same time with equal priority, SBML leaves the order
   * open; ltcc uses declaration order unless a seed is given, then a seeded shuffle.
   */
  seed?: number;
}

export interface SimulationResult {
  readonly t: Float64Array;
  /** States, row-major (t.length × n). */
  readonly y: Float64Array;
  /** Assigned quantities, row-major (t.length × nAssigned), if recorded. */
  readonly assigned?: Float64Array;
  /** Observables, row-major (t.length × nObservables), if recorded. */
  readonly observables?: Float64Array;
  /** Parameter values at each output time (events may change parameters), row-major, if any event targets a parameter or `recordParameters` is set. */
  readonly parameters?: Float64Array;
  readonly retcode: RetCode;
  readonly tReached: number;
  readonly message: string;
  readonly stats: SolverStats;
  /** Events executed: name and time. */
  readonly firedEvents: readonly { readonly name: string; readonly t: number }[];
  readonly model: CompiledModel;
}

interface Pending {
  event: number;
  time: number;
  /** Assignment values computed at trigger time (if useValuesFromTriggerTime). */
  values?: Float64Array;
  seq: number;
}

/**
 * The absolute tolerance of each state: a scalar `atol` times the state's declared
 * `atolScale` (a membrane potential in mV and a fraction then get tolerances fit for their
 * magnitudes); an array is taken as it is. A model without declared scales keeps the scalar.
 */
export function stateTolerances(cm: CompiledModel, atol: number | Float64Array): number | Float64Array {
  if (typeof atol !== 'number' || cm.atolScale.every((s) => s === 1)) return atol;
  return Float64Array.from(cm.atolScale, (s) => atol * s);
}

/** History points per segment of a model with delays (besides the integrator's own steps). */
const HISTORY_POINTS = 32;

/**
 * Recorded values of the delayed quantities: times ascending, a repeated time marks a jump
 * (an event); interpolation is cubic (Lagrange on up to four neighbours) and never crosses a jump.
 */
class DelayHistory {
  private readonly ts: number[] = [];
  private readonly vs: number[][];
  constructor(private readonly m: number) {
    this.vs = Array.from({ length: m }, () => []);
  }
  get size(): number {
    return this.ts.length;
  }
  get lastT(): number {
    return this.ts[this.ts.length - 1];
  }
  lastValue(k: number): number {
    return this.vs[k][this.vs[k].length - 1];
  }
  push(t: number, x: Float64Array): void {
    const last = this.ts.length - 1;
    if (last >= 0) {
      if (t < this.ts[last]) return;
      if (t === this.ts[last]) {
        let same = true;
        for (let k = 0; k < this.m; k++) if (!Object.is(this.vs[k][last], x[k])) same = false;
        if (same) return;
      }
    }
    this.ts.push(t);
    for (let k = 0; k < this.m; k++) this.vs[k].push(x[k]);
  }
  /** Value of term k at time tq (before the first record: the first value). */
  at(k: number, tq: number): number {
    const ts = this.ts;
    const v = this.vs[k];
    if (tq <= ts[0]) {
      // At or before the start: the value after anything that happened at the start itself.
      let i = 0;
      while (i + 1 < ts.length && ts[i + 1] === ts[0] && tq === ts[0]) i++;
      return v[i];
    }
    let lo = 0;
    let hi = ts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ts[mid] <= tq) lo = mid;
      else hi = mid - 1;
    }
    const i = lo;
    if (i === ts.length - 1 || ts[i] === tq) return v[i];
    let a = i;
    let b = i + 1;
    if (a - 1 >= 0 && ts[a - 1] < ts[a]) a--;
    if (b + 1 < ts.length && ts[b + 1] > ts[b]) b++;
    let sum = 0;
    for (let j = a; j <= b; j++) {
      let w = 1;
      for (let l = a; l <= b; l++) if (l !== j) w *= (tq - ts[l]) / (ts[j] - ts[l]);
      sum += w * v[j];
    }
    return sum;
  }
}

/** A small seeded generator (mulberry32) for tie-breaking between equal-priority events. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulate(cm: CompiledModel, opts: SimulateOptions): SimulationResult {
  const t0 = opts.t0 ?? 0;
  const tEnd = opts.tEnd;
  const n = cm.n;
  const nEv = cm.events.length;
  const p = new Float64Array(opts.p ?? cm.p0);
  // A model without states (only parameters, assigned quantities and events) is integrated as
  // one dummy state with zero rate, so time still advances through the solver and its root finder.
  const nS = Math.max(n, 1);
  const y = new Float64Array(nS);
  const base: OdeProblem = n > 0 ? cm.problem(p) : {
    n: 1,
    rhs: (_t: number, _y: Float64Array, dy: Float64Array): void => { dy[0] = 0; },
    jac: (_t: number, _y: Float64Array, J: Float64Array): void => { J[0] = 0; },
  };
  // SBML delay(x, τ): the driver keeps the history of every delayed x and sets the hidden
  // parameter of each term to x(t − τ) before anything is evaluated (method of steps: a segment
  // is never longer than the shortest delay, so t − τ always lies in the recorded past).
  const dl = cm.delays && cm.delays.n > 0 ? cm.delays : undefined;
  const history = dl ? new DelayHistory(dl.n) : undefined;
  const tauBuf = new Float64Array(dl?.n ?? 0);
  const xBuf = new Float64Array(dl?.n ?? 0);
  const xPast = new Float64Array(dl?.n ?? 0);
  const pStart = dl ? Float64Array.from(p) : undefined;
  const pPast = new Float64Array(dl ? p.length : 0);
  const yPast = new Float64Array(dl ? nS : 0);
  const sync = (t: number, ys: Float64Array): void => {
    if (!dl || !history) return;
    // Two passes: a delay time may itself depend on another delayed term.
    for (let pass = 0; pass < 2; pass++) syncPass(t, ys);
  };
  const syncPass = (t: number, ys: Float64Array): void => {
    if (!dl || !history) return;
    dl.taus(t, ys, p, tauBuf);
    let haveCurrent = false;
    for (let k = 0; k < dl.n; k++) {
      const tq = t - tauBuf[k];
      let v: number;
      if (Number.isNaN(tq)) v = NaN;
      else if (tq < t0 && pStart) {
        // Before the start every quantity is what its initial value gives at that time (an
        // initial value that is a function of time keeps changing; constants stay, SBML Test
        // Suite 00937/00938), with the parameters the simulation started from.
        pPast.set(pStart);
        if (opts.y0) yPast.set(opts.y0);
        cm.init(tq, pPast, yPast);
        if (opts.y0) yPast.set(opts.y0);
        dl.values(tq, yPast, pPast, xPast);
        v = xPast[k];
      } else if (history.size === 0 || tq >= history.lastT) {
        if (!haveCurrent) {
          dl.values(t, ys, p, xBuf);
          haveCurrent = true;
        }
        v = history.size === 0 || tq >= t || t === history.lastT ? xBuf[k]
          : history.lastValue(k) + ((tq - history.lastT) / (t - history.lastT)) * (xBuf[k] - history.lastValue(k));
      } else v = history.at(k, tq);
      p[dl.params[k]] = v;
    }
  };
  const recordHistory = (t: number, ys: Float64Array): void => {
    if (!dl || !history) return;
    sync(t, ys);
    dl.values(t, ys, p, xBuf);
    history.push(t, xBuf);
  };
  const problem: OdeProblem = !dl ? base : {
    n: base.n,
    rhs: (t, yy, dy) => { sync(t, yy); base.rhs(t, yy, dy); },
    ...(base.jac ? { jac: (t: number, yy: Float64Array, J: Float64Array) => { sync(t, yy); base.jac!(t, yy, J); } } : {}),
    ...(base.jacPattern ? { jacPattern: base.jacPattern } : {}),
    ...(base.jacSparse ? { jacSparse: (t: number, yy: Float64Array, v: Float64Array) => { sync(t, yy); base.jacSparse!(t, yy, v); } } : {}),
  };
  cm.init(t0, p, y);
  if (opts.y0) y.set(opts.y0);
  recordHistory(t0, y);
  let saveAt: number[];
  if (opts.saveAt) saveAt = Array.from(opts.saveAt);
  else {
    const nOut = opts.nOut ?? 100;
    saveAt = Array.from({ length: nOut + 1 }, (_, i) => (i === nOut ? tEnd : t0 + ((tEnd - t0) * i) / nOut));
  }
  for (let i = 1; i < saveAt.length; i++) {
    if (!(saveAt[i] >= saveAt[i - 1])) throw new RangeError(`output times must be ascending (saveAt[${i}] = ${saveAt[i]} < ${saveAt[i - 1]})`);
  }
  if (!(tEnd >= t0)) throw new RangeError(`tEnd (${tEnd}) is before t0 (${t0})`);
  const record = opts.recordDerived ?? true;
  const paramTargets = (opts.recordParameters ?? false) || cm.events.some((e) => e.targets.some((r) => r.kind === 'parameter'));
  const outT: number[] = [];
  const outY: number[] = [];
  const outA: number[] = [];
  const outO: number[] = [];
  const outP: number[] = [];
  const aBuf = new Float64Array(cm.nAssigned);
  const oBuf = new Float64Array(cm.nObservables);
  const emit = (t: number, ys: Float64Array): void => {
    sync(t, ys);
    outT.push(t);
    for (let i = 0; i < n; i++) outY.push(ys[i]);
    if (record) {
      cm.assigned(t, ys, p, aBuf);
      for (let i = 0; i < aBuf.length; i++) outA.push(aBuf[i]);
      cm.observables(t, ys, p, oBuf);
      for (let i = 0; i < oBuf.length; i++) outO.push(oBuf[i]);
    }
    if (paramTargets) for (let i = 0; i < p.length; i++) outP.push(p[i]);
  };

  const stats = newStats();
  const fired: { name: string; t: number }[] = [];
  const trig = new Float64Array(nEv);
  const prevTrig = new Float64Array(nEv);
  const delays = new Float64Array(nEv);
  const prios = new Float64Array(nEv);
  const pending: Pending[] = [];
  let seq = 0;
  const random = opts.seed !== undefined ? rng(opts.seed) : undefined;
  const maxValues = Math.max(0, ...cm.events.map((e) => e.targets.length));
  const valBuf = new Float64Array(maxValues);

  // Trigger state before t0 follows initialValue.
  for (let k = 0; k < nEv; k++) prevTrig[k] = cm.events[k].initialValue ? 1 : 0;

  /*
   * Trigger values just after time t. The root finder stops on or just past a crossing; when it
   * lands exactly on it, a strict relation such as `time > 5` is still false there although it
   * is true for every later time, and the root would be lost (a root function that is zero at
   * the start of an interval is inactive). So triggers are read at t + ε along the flow
   * (y + ε·f): the right limit, which is what "becomes true at t" means. A trigger that is true
   * only at the instant t itself (an equality) still counts as a transition to true.
   * At t0 the exact values are used: nothing precedes the start.
   */
  const fBuf = new Float64Array(nS);
  const yNudge = new Float64Array(nS);
  const trigExact = new Float64Array(nEv);
  const triggersAfter = (t: number, ys: Float64Array, out: Float64Array, allowMomentary: boolean): void => {
    sync(t, ys);
    cm.eventTriggers(t, ys, p, trigExact);
    if (t === t0) {
      out.set(trigExact);
      return;
    }
    const eps = 1e-10 * Math.max(1, Math.abs(t));
    cm.rhs(t, ys, p, fBuf);
    for (let i = 0; i < n; i++) yNudge[i] = ys[i] + eps * fBuf[i];
    sync(t + eps, yNudge);
    cm.eventTriggers(t + eps, yNudge, p, out);
    sync(t, ys);
    for (let k = 0; k < nEv; k++) {
      if (!(out[k] === 0 || out[k] === 1)) out[k] = trigExact[k];
      if (allowMomentary && trigExact[k] === 1 && out[k] === 0 && prevTrig[k] === 0) out[k] = 1;
    }
  };

  let terminated = false;
  /** Applies event k's assignments (values given, or computed now). */
  const execute = (k: number, t: number, values?: Float64Array): void => {
    const ev = cm.events[k];
    const vals = values ?? valBuf;
    sync(t, y);
    if (!values) cm.eventValues(k, t, y, p, valBuf);
    ev.targets.forEach((r, i) => {
      if (r.kind === 'state') y[r.index] = vals[i];
      else if (r.kind === 'parameter') p[r.index] = vals[i];
    });
    fired.push({ name: ev.name, t });
    if (ev.terminal) terminated = true;
  };

  /**
   * Handles every event transition at time t: newly true triggers schedule or queue their
   * events; non-persistent pending events whose trigger went false are cancelled; ready events
   * execute by priority, re-checking triggers after each (cascades).
   */
  const processEvents = (t: number): void => {
    for (let guard = 0; guard < 10_000; guard++) {
      triggersAfter(t, y, trig, guard === 0);
      for (let k = 0; k < nEv; k++) {
        if (trig[k] && !prevTrig[k]) {
          cm.eventDelays(t, y, p, delays);
          const ev = cm.events[k];
          let values: Float64Array | undefined;
          if (ev.useValuesFromTriggerTime) {
            values = new Float64Array(ev.targets.length);
            cm.eventValues(k, t, y, p, values);
          }
          const d = ev.hasDelay ? delays[k] : 0;
          if (!(d >= 0)) throw new RangeError(`event '${ev.name}' has a negative or undefined delay (${d}) at t = ${t}`);
          pending.push({ event: k, time: t + d, values, seq: seq++ });
        } else if (!trig[k] && prevTrig[k] && !cm.events[k].persistent) {
          for (let i = pending.length - 1; i >= 0; i--) if (pending[i].event === k) pending.splice(i, 1);
        }
        prevTrig[k] = trig[k];
      }
      // Ready: pending events due now.
      const ready = pending.filter((e) => e.time <= t);
      if (ready.length === 0) return;
      cm.eventPriorities(t, y, p, prios);
      let best = ready[0];
      const ties: Pending[] = [];
      for (const e of ready) {
        const pe = prios[e.event];
        const pb = prios[best.event];
        if (pe > pb || (pe === pb && e.seq < best.seq && !random)) best = e;
      }
      for (const e of ready) if (prios[e.event] === prios[best.event]) ties.push(e);
      if (random && ties.length > 1) best = ties[Math.floor(random() * ties.length)];
      pending.splice(pending.indexOf(best), 1);
      execute(best.event, t, best.values);
      if (terminated) return;
    }
    throw new RangeError(`more than 10000 events executed at t = ${t}: the events trigger each other without end`);
  };

  let tc = t0;
  let outIdx = 0;
  // Outputs at t0 come after events that fire at t0.
  processEvents(tc);
  if (fired.length > 0) recordHistory(tc, y);
  const extraStops = opts.tstops ? Array.from(opts.tstops).filter((s) => s > t0 && s < tEnd).sort((a, b) => a - b) : [];
  let retcode = RetCode.Success;
  let message = '';
  let stopRootFiredAt: number;
  let segments = 0;
  const atol = n === 0 ? 1 : stateTolerances(cm, opts.atol ?? 1e-10);

  while (!terminated) {
    while (outIdx < saveAt.length && saveAt[outIdx] <= tc && (saveAt[outIdx] < tc || tc === tEnd || pending.every((e) => e.time > tc))) {
      if (saveAt[outIdx] >= t0) emit(saveAt[outIdx], y);
      outIdx++;
    }
    if (tc >= tEnd) break;
    if (opts.shouldContinue && !opts.shouldContinue()) {
      retcode = RetCode.Terminated;
      message = `interrupted at t = ${tc}`;
      break;
    }
    const nextDelayed = pending.reduce((m, e) => Math.min(m, e.time), Infinity);
    let segEnd = Math.min(tEnd, nextDelayed);
    let segSave: number[] = [];
    for (let i = outIdx; i < saveAt.length && saveAt[i] <= segEnd; i++) segSave.push(saveAt[i]);
    if (dl) {
      // Method of steps: no longer than the shortest positive delay, with history points.
      dl.taus(tc, y, p, tauBuf);
      let minTau = Infinity;
      for (let k = 0; k < dl.n; k++) if (tauBuf[k] > 0 && tauBuf[k] < minTau) minTau = tauBuf[k];
      if (tc + minTau < segEnd) {
        segEnd = tc + minTau;
        segSave = segSave.filter((ts) => ts <= segEnd);
      }
      const extra = Array.from({ length: HISTORY_POINTS }, (_, j) => tc + ((segEnd - tc) * (j + 1)) / HISTORY_POINTS);
      extra[HISTORY_POINTS - 1] = segEnd;
      segSave = [...segSave, ...extra].sort((a, b) => a - b);
    }
    stopRootFiredAt = NaN;
    const gBuf = new Float64Array(nEv);
    const sol = solve(problem, y, {
      t0: tc, tEnd: segEnd, rtol: opts.rtol ?? 1e-6, atol, method: opts.method ?? 'bdf',
      saveAt: segSave.length ? segSave : undefined, saveEverystep: dl !== undefined,
      tstops: extraStops.filter((s) => s > tc && s < segEnd),
      // Without states nothing limits the step, and root functions of time (triggers on
      // oscillating assigned quantities) are only checked at step ends: cap the step.
      ...(opts.hmax !== undefined ? { hmax: opts.hmax } : n === 0 ? { hmax: (tEnd - t0) / 1000 } : {}),
      ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
      ...(opts.shouldContinue ? { shouldContinue: opts.shouldContinue } : {}),
      roots: cm.nRoots === 0 ? undefined : {
        n: cm.nRoots,
        g: (t, yy, out) => { sync(t, yy); cm.roots(t, yy, p, out); },
        onRoot: (t, yy) => {
          if (nEv === 0) return 'modified';
          triggersAfter(t, yy, gBuf, true);
          for (let k = 0; k < nEv; k++) {
            if (gBuf[k] !== prevTrig[k]) {
              stopRootFiredAt = t;
              return 'stop';
            }
          }
          return 'modified';
        },
      },
    });
    segments++;
    addStats(stats, sol.stats);
    // Outputs strictly before the stop time belong to this segment.
    const tStopped = sol.tReached;
    if (dl) {
      for (let r = 0; r < sol.t.length && sol.t[r] <= tStopped; r++) recordHistory(sol.t[r], sol.y.subarray(r * nS, (r + 1) * nS));
      recordHistory(tStopped, sol.yEnd);
    }
    let k = 0;
    for (; k < sol.t.length; k++) {
      const tk = sol.t[k];
      if (tk > tStopped) break;
      if (tk === tStopped && !Number.isNaN(stopRootFiredAt)) break;
      if (tk === tStopped && tk === nextDelayed) break;
      if (outIdx < saveAt.length && saveAt[outIdx] === tk) {
        emit(tk, sol.y.subarray(k * nS, (k + 1) * nS));
        outIdx++;
      }
    }
    if (!isSuccessful(sol.retcode)) {
      retcode = sol.retcode;
      message = sol.message;
      tc = tStopped;
      break;
    }
    y.set(sol.yEnd);
    tc = tStopped;
    const nFired = fired.length;
    processEvents(tc);
    if (fired.length > nFired) recordHistory(tc, y);
    if (terminated) {
      retcode = RetCode.Terminated;
      message = `terminal event at t = ${tc}`;
    }
    if (segments > 1_000_000) {
      retcode = RetCode.MaxIters;
      message = 'more than 1e6 event segments';
      break;
    }
  }
  return {
    t: Float64Array.from(outT), y: Float64Array.from(outY),
    ...(record ? { assigned: Float64Array.from(outA), observables: Float64Array.from(outO) } : {}),
    ...(paramTargets ? { parameters: Float64Array.from(outP) } : {}),
    retcode, tReached: tc, message: retcode === RetCode.Success ? '' : message, stats, firedEvents: fired, model: cm,
  };
}
