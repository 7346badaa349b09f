/**
 * Envelope following for periodically forced systems: `solveEnvelope(problem, y0, options)`.
 *
 * A stiff model driven by a periodic stimulus (a cell firing at 5 Hz for ten minutes) spends
 * almost all its steps on the fast, repeating part of each period, while the quantities of
 * interest (CaMKII autonomy, pCREB, slow currents) drift slowly from one period to the next.
 * Sampled at the same phase of every period, the state z_k = y(t0 + kT) changes smoothly with
 * k, and a slow drift can be extrapolated over many periods once a couple of periods have been
 * integrated in full: the projective integration of Gear & Kevrekidis (2003, SIAM J Sci Comput
 * 24:1091, "Projective methods for stiff differential equations"), applied to the period map as
 * in Petzold's envelope following (1981, SIAM J Numer Anal 18:455).
 *
 * Each macro step integrates a few periods in full with the ordinary solver — `healing` periods
 * (default 3) that let the fast components relax after a projection, then one that gives the
 * slope s = z_{k+1} − z_k — and then jumps M periods: z_{k+M} = z_k + M·s + M(M+1)/2·c, with c the
 * change of the slope per period measured across the last jump (first order, c = 0, until three
 * slopes are known). Components that relax within a period have a multiplier per period ≈ 0, so
 * the jump is stable for them; slow components follow the extrapolation.
 *
 * Components that relax over a few periods (a multiplier μ per period between 0 and 0.9, such
 * as a Ca²⁺ pool recovering between spikes) are the hard part: what a jump misplaces in them
 * has not decayed after the healing periods, biases the next slope, and makes successive jumps
 * overshoot in turn. Where the last three differences of a macro step decay geometrically,
 * d_j = s∞ + β·μ^j, the transient is removed before the next jump (Aitken's Δ² process on the
 * differences, component by component): the slope becomes s∞ and the jump starts from where the
 * component will be once the transient has died out. For that the differences must be free of
 * noise from the step-size control, which is why the periods repeat one frozen step sequence
 * (`frozenSteps`, see `period-map.ts`); slopes from different sequences are not combined. The
 * default of three healing periods leaves the first difference after a jump, which still carries
 * the fast components' response to it, out of those three.
 *
 * Error control: the error of a jump is estimated from the neglected terms (‖c‖·M(M+1)/2 for the
 * first-order jump, ‖c′‖·((M + L)³ − L³)/6 for the second-order one, in the largest component
 * weighted by the envelope tolerances, default 10⁻³ relative) and M is the largest jump with
 * an estimate ≤ ½. After every jump the slope measured next is compared with the one the model predicted; if
 * the jump's error, M/2·‖s_new − s_predicted‖, exceeds 2 the jump is undone and retried with a
 * quarter of the periods. No jump is taken while the periods still differ qualitatively
 * (`periodSignature`, e.g. the number of spikes), when a component would change sign, or within
 * `finalPeriods` periods of the end or of a `landOn` time.
 *
 * What it returns: the state at the start of every period, integrated or projected (flagged),
 * and the inner solver's statistics summed. Quantities inside projected periods are not
 * computed, and right after a jump the components still relaxing carry part of its error: read
 * such quantities at `landOn` times or at the end. Accuracy against a full integration is
 * measured by `ltcc bench cell`, not assumed.
 */
import { PeriodMap } from './period-map.js';
import { DEFAULT_MAX_STEPS, resolveSettings } from './settings.js';
import { type MethodName, type OdeProblem, RetCode, type SolverStats, newStats } from './types.js';

export interface EnvelopeOptions {
  /** Start of the first period (ms, or the model's time unit); the forcing has phase 0 here. */
  t0: number;
  /** End of the last period: t0 + K·period for an integer K ≥ 1. */
  tEnd: number;
  /** Period of the forcing (> 0). */
  period: number;
  /** Offsets in [0, period) of the discontinuities inside each period (stimulus edges), stepped to exactly. */
  stopOffsets?: readonly number[];
  /** Inner solver: relative tolerance (default 1e-6). */
  rtol?: number;
  /** Inner solver: absolute tolerance, scalar or per component (default 1e-10). */
  atol?: number | Float64Array;
  /** Inner solver method (default 'bdf'). */
  method?: MethodName;
  /** Inner solver: step limit per period (default 500 000). */
  maxSteps?: number;
  /** Relative tolerance of the projections (default 1e-3). */
  envelopeRtol?: number;
  /** Absolute tolerance of the projections, scalar or per component (default: the inner `atol`). */
  envelopeAtol?: number | Float64Array;
  /** Largest jump, in periods (default 100). */
  maxJump?: number;
  /** Periods integrated in full after a jump before the slope is measured on the next one (default 3). */
  healing?: number;
  /**
   * Periods integrated in full at the end and before each `landOn` time (default 10): no jump
   * lands closer to them, so that components that relax over a few periods have shed the last
   * jump's error there.
   */
  finalPeriods?: number;
  /**
   * Times (period starts t0 + k·period, inside the run) that must be integrated in full, as the
   * end is: no jump lands within `finalPeriods` periods before them, so the result has an
   * integrated row at each that the last jump's error has left (e.g. every minute of a table).
   */
  landOn?: readonly number[];
  /** Periods integrated in full before the first jump (default 4, at least 3). */
  warmup?: number;
  /**
   * A number that characterises an integrated period (e.g. its spike count), computed from every
   * accepted step of the last two periods of each macro step; a jump is taken only when they agree.
   */
  periodSignature?: (t: Float64Array, y: Float64Array, n: number) => number;
  /**
   * Repeat the step sequence recorded in one period in the following ones, with its adaptive
   * decisions frozen, until a step fails its error test (BDF only; default true). The period map
   * is then a smooth function of the state, and the slopes measured from it carry no noise from
   * the step-size control (see `period-map.ts`); false integrates every period adaptively.
   */
  frozenSteps?: boolean;
  /** Called after every period or jump; return false to stop (the result says how far it got). */
  shouldContinue?: () => boolean;
}

export interface EnvelopeSolution {
  readonly n: number;
  /** Period starts t0 + k·period that were reached, integrated or projected. */
  readonly t: Float64Array;
  /** States at those times, row-major (y[k·n + i]). */
  readonly y: Float64Array;
  /** 1 where the state at t[k] comes from a projection, 0 where it was integrated. */
  readonly projected: Uint8Array;
  readonly retcode: RetCode;
  readonly tReached: number;
  readonly yEnd: Float64Array;
  readonly message: string;
  /** Inner solver statistics, summed over every integrated period (the whole cost). */
  readonly stats: SolverStats;
  /** Periods integrated in full (the cost), including those discarded when a jump was undone. */
  readonly periodsIntegrated: number;
  /** Periods integrated in full after jumps that were then undone (their results discarded). */
  readonly periodsDiscarded: number;
  /** Periods covered by accepted jumps. */
  readonly periodsProjected: number;
  /** Accepted jumps. */
  readonly jumps: number;
  /** Jumps undone because the slope measured after them disagreed with their model. */
  readonly rejectedJumps: number;
  /** Periods integrated adaptively with their step sequence recorded (with `frozenSteps`; the others repeated one). */
  readonly sequencesRecorded: number;
}

const SAFETY = 0.5;
const REJECT = 2;

/**
 * Largest multiplier per period of a transient that is removed before a jump. The removal
 * multiplies the measured change of the differences by μ/(1 − μ) and μ²/(1 − μ)², 9 and 81 at
 * 0.9: slower transients are left to the error control.
 */
const MU_REMOVE = 0.9;
/** Transients smaller than this (weighted by the envelope tolerance) are not worth removing. */
const MIN_TRANSIENT = 1e-3;

interface SlopeFit {
  /** Slope at `at` (the newest measured). */
  readonly s: Float64Array;
  readonly at: number;
  /** Change of the slope per period (null: first-order projection). */
  readonly c: Float64Array | null;
  /** Largest jump (periods) whose estimated error is within tolerance. */
  readonly mMax: number;
}

interface Jump {
  readonly z: Float64Array;
  /** The state the jump started from (z with a transient removed). */
  readonly base: Float64Array;
  readonly k: number;
  /** Recorded rows before the jump. */
  readonly count: number;
  readonly m: number;
  readonly fit: SlopeFit;
  readonly slopes: Slope[];
}

/** A measured slope: the change per period z_{j+1} − z_j at position j + ½ (transients removed). */
interface Slope {
  readonly s: Float64Array;
  readonly at: number;
  /** Which period map (step sequence) measured it: slopes of different maps are not compared. */
  readonly map: number;
}

/**
 * Largest weighted component in the envelope tolerances (a max norm, not an RMS one: with tens of
 * components an RMS norm lets one component's error reach several times its tolerance, and the
 * error of each jump adds up over the run).
 */
function envNorm(n: number, v: Float64Array, ref: Float64Array, rtol: number, atol: Float64Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(v[i]) / (rtol * Math.abs(ref[i]) + atol[i]);
    // A NaN counts as an infinite error: no jump is planned on it, a jump checked with it is undone.
    if (Number.isNaN(x)) return Infinity;
    if (x > m) m = x;
  }
  return m;
}

/**
 * The slope model for the next jump from the newest slopes (2 or 3). With two, the jump is
 * first order (z + M·s) and its error M(M+1)/2·‖c‖, c the slope change per period. With three,
 * the slope is extrapolated linearly (z + M·s + M(M+1)/2·c) and the error is that of the neglected
 * change of c, ‖c′‖·((M + L)³ − L³)/6 with L the distance back to where c was measured, or the
 * first-order error if that is smaller.
 */
function slopeFit(n: number, slopes: readonly Slope[], ref: Float64Array, erel: number, atol: Float64Array): SlopeFit {
  const m = slopes.length;
  const b = slopes[m - 1];
  const a = slopes[m - 2];
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = (b.s[i] - a.s[i]) / (b.at - a.at);
  const largest = (err: (M: number) => number): number => {
    let M = 1;
    while (M < 100_000 && err(M + 1) <= SAFETY) M = M < 16 ? M + 1 : Math.floor(M * 1.25);
    return M;
  };
  const cn = envNorm(n, c, ref, erel, atol);
  if (m < 3) return { s: b.s, at: b.at, c: null, mMax: largest((M) => ((M * (M + 1)) / 2) * cn) };
  const a0 = slopes[m - 3];
  const dc = new Float64Array(n);
  const span = (b.at - a0.at) / 2;
  for (let i = 0; i < n; i++) dc[i] = (c[i] - (a.s[i] - a0.s[i]) / (a.at - a0.at)) / span;
  const dcn = envNorm(n, dc, ref, erel, atol);
  const L = (b.at - a.at) / 2 + 0.5;
  const mMax = largest((M) => Math.min((dcn * ((M + L) ** 3 - L ** 3)) / 6, ((M * (M + 1)) / 2) * cn));
  return { s: b.s, at: b.at, c, mMax };
}

/**
 * Integrates a periodically forced system from `t0` to `tEnd` by envelope following (see the
 * module comment). Invalid options give `RetCode.InvalidInput` with a message naming the option.
 */
export function solveEnvelope(problem: OdeProblem, y0: Float64Array, o: EnvelopeOptions): EnvelopeSolution {
  const stats = newStats();
  const n = problem?.n ?? 0;
  const fail = (message: string, retcode = RetCode.InvalidInput): EnvelopeSolution => ({
    n, t: new Float64Array(0), y: new Float64Array(0), projected: new Uint8Array(0), retcode, tReached: o?.t0 ?? NaN,
    yEnd: new Float64Array(0), message, stats, periodsIntegrated: 0, periodsDiscarded: 0, periodsProjected: 0, jumps: 0, rejectedJumps: 0,
    sequencesRecorded: 0,
  });
  const T = o.period;
  if (!(typeof T === 'number' && Number.isFinite(T) && T > 0)) return fail(`period must be a finite number > 0, got ${String(T)}`);
  if (!(Number.isFinite(o.t0) && Number.isFinite(o.tEnd) && o.tEnd > o.t0)) return fail(`need finite t0 < tEnd, got t0 = ${String(o.t0)}, tEnd = ${String(o.tEnd)}`);
  const K = Math.round((o.tEnd - o.t0) / T);
  if (K < 1 || Math.abs(o.t0 + K * T - o.tEnd) > 1e-9 * Math.max(1, Math.abs(o.tEnd))) {
    return fail(`tEnd − t0 = ${o.tEnd - o.t0} is not a whole number of periods of ${T}`);
  }
  const offsets = [...(o.stopOffsets ?? [])];
  for (const [k, d] of offsets.entries()) {
    if (!(typeof d === 'number' && d >= 0 && d < T)) return fail(`stopOffsets[${k}] = ${String(d)} is outside [0, period)`);
  }
  const maxJump = o.maxJump ?? 100;

  if (!(Number.isInteger(maxJump) && maxJump >= 0)) return fail(`maxJump must be an integer ≥ 0, got ${String(maxJump)}`);
  const healing = o.healing ?? 3;
  if (!(Number.isInteger(healing) && healing >= 1)) return fail(`healing must be an integer ≥ 1, got ${String(healing)}`);
  const finalPeriods = o.finalPeriods ?? 10;
  if (!(Number.isInteger(finalPeriods) && finalPeriods >= 0)) return fail(`finalPeriods must be an integer ≥ 0, got ${String(finalPeriods)}`);
  const landOn: number[] = [];
  for (const [j, t] of (o.landOn ?? []).entries()) {
    const kk = Math.round((t - o.t0) / T);
    if (!(typeof t === 'number' && Number.isFinite(t)) || kk < 0 || kk > K || Math.abs(o.t0 + kk * T - t) > 1e-9 * Math.max(1, Math.abs(t))) {
      return fail(`landOn[${j}] = ${String(t)} is not a period start inside [t0, tEnd]`);
    }
    landOn.push(kk);
  }
  landOn.sort((a, b) => a - b);
  const warmup = o.warmup ?? 4;
  if (!(Number.isInteger(warmup) && warmup >= 3)) return fail(`warmup must be an integer ≥ 3, got ${String(warmup)}`);
  const erel = o.envelopeRtol ?? 1e-3;
  if (!(erel > 0 && Number.isFinite(erel))) return fail(`envelopeRtol must be a finite number > 0, got ${String(erel)}`);
  // Tolerances expanded and checked the way the inner solver checks them.
  const inner = resolveSettings(problem, y0, { t0: o.t0, tEnd: o.tEnd, ...(o.rtol !== undefined ? { rtol: o.rtol } : {}), ...(o.atol !== undefined ? { atol: o.atol } : {}) }, o.method ?? 'bdf', newStats());
  if (typeof inner === 'string') return fail(inner);
  const envAtol = o.envelopeAtol === undefined ? inner.atol : typeof o.envelopeAtol === 'number' ? new Float64Array(n).fill(o.envelopeAtol) : o.envelopeAtol;
  if (envAtol.length !== n || !envAtol.every((a) => a >= 0 && Number.isFinite(a))) return fail(`envelopeAtol must be ≥ 0 and finite, one value or ${n}`);

  const ts: number[] = [];
  const ys: Float64Array[] = [];
  const flags: number[] = [];
  const record = (k: number, z: Float64Array, projected: boolean): void => {
    ts.push(o.t0 + k * T);
    ys.push(Float64Array.from(z));
    flags.push(projected ? 1 : 0);
  };
  const truncate = (count: number): void => {
    ts.length = count;
    ys.length = count;
    flags.length = count;
  };
  let periodsIntegrated = 0;
  let periodsDiscarded = 0;
  let periodsProjected = 0;
  let jumps = 0;
  let rejectedJumps = 0;
  const finish = (retcode: RetCode, message: string): EnvelopeSolution => {
    const y = new Float64Array(ys.length * n);
    ys.forEach((z, k) => y.set(z, k * n));
    return {
      n, t: Float64Array.from(ts), y, projected: Uint8Array.from(flags), retcode, tReached: ts[ts.length - 1],
      yEnd: Float64Array.from(ys[ys.length - 1]), message, stats, periodsIntegrated, periodsDiscarded, periodsProjected, jumps, rejectedJumps,
      sequencesRecorded: periods.recorded,
    };
  };

  const maxSteps = o.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!(Number.isInteger(maxSteps) && maxSteps >= 1)) return fail(`maxSteps must be an integer ≥ 1, got ${String(maxSteps)}`);
  const periods = new PeriodMap(problem, inner, o.method ?? 'bdf', T, offsets, maxSteps, stats, o.frozenSteps ?? true);
  /** The period map in use: changes whenever a step sequence is recorded afresh. */
  let map = 0;

  /** One period in full from period start k. */
  const runPeriod = (k: number, z: Float64Array, signed: boolean): { z: Float64Array; signature: number } | { retcode: RetCode; message: string } => {
    const a = o.t0 + k * T;
    const b = k + 1 === K ? o.tEnd : o.t0 + (k + 1) * T;
    const keep = signed && o.periodSignature !== undefined;
    const r = periods.run(a, b, z, keep);
    if ('retcode' in r) return { retcode: r.retcode, message: `period ${k + 1} (t = ${a} … ${b}): ${r.message}` };
    periodsIntegrated++;
    if (r.changed) map++;
    return { z: r.z, signature: keep ? o.periodSignature!(r.t!, r.y!, n) : 0 };
  };

  let k = 0;
  let z: Float64Array = Float64Array.from(y0);
  record(0, z, false);
  // The slopes of the latest macro steps, newest last, each with the (half-integer) period
  // position it belongs to: the change z_{j+1} − z_j belongs to j + ½.
  const slopes: Slope[] = [];
  let pending: Jump | null = null;
  let mLast = 1;
  const zj = new Float64Array(n);
  const stop = (): boolean => o.shouldContinue !== undefined && !o.shouldContinue();

  /** Projects z (at period k) by m periods with the slope model of `fit` into zj; false if a component would flip sign. */
  const project = (fit: SlopeFit, m: number, base: Float64Array): boolean => {
    const q = (m * (m + 1)) / 2;
    for (let i = 0; i < n; i++) {
      zj[i] = base[i] + m * fit.s[i] + (fit.c === null ? 0 : q * fit.c[i]);
      if (!Number.isFinite(zj[i]) || (z[i] > 0 && zj[i] < 0) || (z[i] < 0 && zj[i] > 0)) return false;
    }
    return true;
  };
  const jump = (fit: SlopeFit, m: number, base: Float64Array): void => {
    pending = { z: Float64Array.from(z), base, k, count: ts.length, m, fit, slopes: slopes.slice() };
    k += m;
    periodsProjected += m;
    jumps++;
    mLast = m;
    z = Float64Array.from(zj);
    record(k, z, true);
  };

  while (k < K) {
    if (stop()) return finish(RetCode.Terminated, `stopped at t = ${o.t0 + k * T}`);
    // `healing` periods in full to let the fast components settle after a jump, then one more
    // for the slope (or what is left of the run).
    const zs: Float64Array[] = [z];
    const sigs: number[] = [];
    for (let h = 0; h <= healing && k < K; h++) {
      // Only the last two periods of a macro step are compared (their signatures).
      const r = runPeriod(k, zs[zs.length - 1], h >= healing - 1);
      if ('retcode' in r) return finish(r.retcode, r.message);
      k++;
      record(k, r.z, false);
      zs.push(r.z);
      sigs.push(r.signature);
    }
    z = zs[zs.length - 1];
    if (k === K || zs.length < 3) continue;
    const m0 = zs.length;
    const s = new Float64Array(n);
    // The state the jump starts from: z with a decaying transient removed.
    const zBase = Float64Array.from(z);
    for (let i = 0; i < n; i++) {
      s[i] = zs[m0 - 1][i] - zs[m0 - 2][i];
      if (m0 < 4) continue;
      // The last three differences d0, d1, d2; where d_j = s∞ + β·μ^j with 0 ≤ μ ≤ MU_REMOVE,
      // s∞ = d2 + Δd1·μ/(1 − μ), and the transient will still add β·μ³/(1 − μ) = −Δd1·μ²/(1 − μ)².
      const da = zs[m0 - 2][i] - zs[m0 - 3][i] - (zs[m0 - 3][i] - zs[m0 - 4][i]);
      const db = s[i] - (zs[m0 - 2][i] - zs[m0 - 3][i]);
      const mu = db / da;
      if (!(mu >= 0 && mu <= MU_REMOVE) || Math.abs(da) / (erel * Math.abs(z[i]) + envAtol[i]) <= MIN_TRANSIENT) continue;
      const zc = z[i] - (db * mu * mu) / ((1 - mu) * (1 - mu));
      if ((z[i] > 0 && zc < 0) || (z[i] < 0 && zc > 0)) continue;
      s[i] += (db * mu) / (1 - mu);
      zBase[i] = zc;
    }
    const at = k - 0.5;
    if (pending !== null) {
      // The jump's error from the slope measured after it against the slope its model predicted.
      const p: Jump = pending;
      pending = null;
      const d = new Float64Array(n);
      const du = at - p.fit.at;
      for (let i = 0; i < n; i++) d[i] = s[i] - p.fit.s[i] - (p.fit.c === null ? 0 : du * p.fit.c[i]);
      const err = (p.m / 2) * envNorm(n, d, z, erel, envAtol);
      if (err > REJECT) {
        // Undo: back to the state before the jump, and retry with a quarter of the periods.
        rejectedJumps++;
        jumps--;
        periodsDiscarded += k - p.k - p.m;
        periodsProjected -= p.m;
        k = p.k;
        z = p.z;
        truncate(p.count);
        slopes.length = 0;
        slopes.push(...p.slopes);
        const m = Math.floor(p.m / 4);
        mLast = Math.max(1, m);
        if (m >= 2 && project(p.fit, m, p.base)) jump(p.fit, m, p.base);
        continue;
      }
    }
    // Slopes measured on an earlier map differ from this one's by the discretisation error of
    // either: not a change of the envelope.
    while (slopes.length > 0 && slopes[0].map !== map) slopes.shift();
    slopes.push({ s, at, map });
    if (slopes.length > 3) slopes.shift();
    if (k < warmup || sigs[sigs.length - 1] !== sigs[sigs.length - 2] || slopes.length < 2) continue;

    const fit = slopeFit(n, slopes, z, erel, envAtol);
    // The last `finalPeriods` (at least the periods that check a jump) are integrated in full.
    let m = Math.min(fit.mMax, maxJump, 2 * mLast + 2, K - k - Math.max(finalPeriods, healing + 1));
    // The periods before a landOn time are integrated in full as those before the end.
    const next = landOn.find((x) => x > k);
    if (next !== undefined) m = Math.min(m, next - Math.max(finalPeriods, healing + 1) - k);
    while (m >= 2 && !project(fit, m, zBase)) m = Math.floor(m / 2);
    if (m >= 2) jump(fit, m, zBase);
  }
  return finish(RetCode.Success, '');
}
