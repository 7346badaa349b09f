/**
 * Minutes of periodic firing in the CA1 neuron with all signalling attached, optionally with a
 * compound bound to its L-type channels at a fixed free concentration: the slow read-outs
 * (pCREB, CaMKII autonomy, nuclear Ca²⁺/CaM, nuclear γCaMKII, c-fos mRNA) over time.
 *
 * Protocol: the cell (preset young, aged or ad; with the compound's modulated-receptor binding
 * on Cav1.2 and Cav1.3 when one is given) settles for 3 h at rest — the slow arms reach their
 * resting levels and the drug its binding equilibrium at the resting potential — then receives
 * 2 ms current pulses of the amplitude that evokes one spike per pulse (`AP_PULSE`) at `hz` for
 * `minutes`, the first pulse at t = 0.
 *
 * Two ways to integrate the train:
 * - `envelope` (default): envelope following over whole periods (`solveEnvelope`): a few periods
 *   are integrated in full, many are jumped over by extrapolating the period-to-period drift of
 *   the state. The state is known at the start of every integrated period. Each read-out row
 *   is the period start on a whole minute (or the end), which the envelope integrates in full
 *   together with the 10 periods before it (`landOn`), so the rows carry no jump's error beyond
 *   what those periods have not shed.
 * - `full`: one solve over the whole train, every period integrated.
 * The spikes per period of a row are counted in the period that ends at that row, integrated
 * again from the state at its start with the same solver settings.
 *
 * Tolerances: the benchmark of the young cell (10 min at 5 Hz, `ltcc bench cell`) found the
 * envelope with the inner solver at rtol 1e-4 / atol 1e-6 and envelope rtol 1e-3 within 0.04 %
 * of the pCREB rise of a full integration at rtol 1e-6 / atol 1e-8 at every period start it
 * reports; at the minute rows of this experiment every read-out is within 0.5 % of the full run
 * (the largest, c-fos mRNA at 4 min, as it starts to rise): these are the defaults.
 */
import { buildCell } from '../biology/contexts.js';
import { BiologyError } from '../biology/errors.js';
import { attachSignalling } from '../biology/signalling/attach.js';
import { SIGNALLING_READOUTS } from '../biology/signalling/signalling.js';
import { compile } from '../compile/compile.js';
import type { CompiledModel } from '../compile/compiled.js';
import { drugCell } from '../pharmacology/drug-cell.js';
import { type AssumptionNote, resolveCompound } from '../pharmacology/library.js';
import { protocolInputs } from '../protocols/apply.js';
import { pulseTrain } from '../protocols/protocol.js';
import { setParam } from '../protocols/run.js';
import { solveEnvelope } from '../solve/envelope.js';
import { simulate, stateTolerances } from '../solve/simulate.js';
import { solve } from '../solve/solve.js';
import { RetCode, isSuccessful } from '../solve/types.js';
import { spikeCount } from './readouts.js';
import { VERSION } from '../version.js';
import { AP_PULSE } from './cell.js';
import { baseSpec } from './dose-response.js';
import { MINUTE } from './signalling.js';

/** Presets of the CA1 neuron. */
export const FIRING_PRESETS = ['young', 'aged', 'ad'] as const;
export type FiringPreset = (typeof FIRING_PRESETS)[number];

/** How the train is integrated (see the module comment). */
export type FiringMethod = 'envelope' | 'full';

/** Inner solver tolerances by method (the envelope's were measured against full integration). */
export const FIRING_TOLERANCES: Readonly<Record<FiringMethod, { readonly rtol: number; readonly atol: number }>> = {
  envelope: { rtol: 1e-4, atol: 1e-6 },
  full: { rtol: 1e-6, atol: 1e-8 },
};
/** Default relative tolerance of the envelope's projections. */
export const FIRING_ENVELOPE_RTOL = 1e-3;
/** Limits of the options: frequency (Hz), duration (min). */
export const FIRING_LIMITS = { maxHz: 50, minPeriodMs: 20, maxMinutes: 120 } as const;
/** Settling at rest before the train (ms) and its tolerances (whatever the method, so both start from one state). */
export const FIRING_SETTLE = { ms: 3 * 60 * MINUTE, rtol: 1e-6, atol: 1e-8 } as const;

/** Read-outs of the table, in column order: the name in {@link SIGNALLING_READOUTS}. */
export const FIRING_READOUTS = ['pCREB', 'autonomyTethered', 'autonomyBulk', 'nuclearCaCaM', 'nuclearGamma', 'cfos'] as const;
export type FiringReadout = (typeof FIRING_READOUTS)[number];

export interface FiringSignallingOptions {
  /** CA1 preset (default `young`). */
  preset?: string;
  /** Pulse frequency (Hz, default 5; 0 < hz ≤ 50). */
  hz?: number;
  /** Duration of the train (minutes, default 10; > 0, ≤ 120). The train covers the whole periods that fit. */
  minutes?: number;
  /** Compound id or synonym (with `concentration_nM`). */
  compound?: string;
  /** Free concentration of the compound at the channels (nM, ≥ 0). */
  concentration_nM?: number;
  /** Activity of substances whose activity is an assumption (e.g. `{ 'mem1003-minus': 'agonist' }`). */
  variants?: Readonly<Record<string, string>>;
  /** Default `envelope`. */
  method?: FiringMethod;
  /** Inner solver tolerances (default {@link FIRING_TOLERANCES} of the method). */
  rtol?: number;
  atol?: number;
  /** Relative tolerance of the envelope's projections (default 1e-3; envelope only). */
  envelopeRtol?: number;
  /** Called as the train advances: periods simulated (integrated or jumped over) and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Asked between periods (envelope) or steps (full): false stops the run ({@link FiringSignallingInterrupted}). */
  shouldContinue?: () => boolean;
}

/** The result: read-outs at period starts, and how they were made. */
export interface FiringSignallingResult {
  readonly preset: FiringPreset;
  readonly hz: number;
  readonly period_ms: number;
  readonly minutes: number;
  /** Whole periods (pulses) of the train. */
  readonly periods: number;
  readonly pulse: { readonly amplitude_nA: number; readonly width_ms: number };
  readonly compound: { readonly id: string; readonly name: string; readonly concentration_nM: number; readonly variants?: Readonly<Record<string, string>> } | null;
  /** Assumptions behind the compound's binding (and chosen variants), for reports. */
  readonly assumptions: readonly AssumptionNote[];
  readonly method: FiringMethod;
  readonly rtol: number;
  readonly atol: number;
  /** Envelope only. */
  readonly envelopeRtol?: number;
  readonly settle: { readonly minutes: number; readonly rtol: number; readonly atol: number };
  readonly model: { readonly name: string; readonly hash: string; readonly states: number };
  readonly version: string;
  /** Sample times (minutes from the first pulse): period starts. */
  readonly t_min: readonly number[];
  readonly readouts: Readonly<Record<FiringReadout, readonly number[]>>;
  /** Spikes in the period ending at each sample (null at t = 0). */
  readonly spikesPerPeriod: readonly (number | null)[];
  readonly units: Readonly<Record<FiringReadout, string>>;
  /** Periods integrated in full (the cost), including those discarded with undone jumps. */
  readonly periodsIntegrated: number;
  /** Periods integrated after jumps that were then undone. */
  readonly periodsDiscarded: number;
  readonly periodsProjected: number;
  readonly jumps: number;
  readonly jumpsUndone: number;
  /** Envelope: periods whose step sequence was recorded (adaptively); the other integrated periods repeated one. */
  readonly sequencesRecorded: number;
  readonly steps: number;
  readonly rejectedSteps: number;
  readonly rhsEvaluations: number;
  readonly jacobianEvaluations: number;
  /** Wall time of the train (ms), spike counts included; building, compiling and settling not. */
  readonly wallMs: number;
  /** Wall time of building, compiling and settling (ms). */
  readonly setupMs: number;
}

/** The train did not reach its end. */
export class FiringSignallingFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FiringSignallingFailed';
  }
}

/** `shouldContinue` returned false. */
export class FiringSignallingInterrupted extends Error {
  constructor(readonly tReached_ms: number) {
    super(`stopped at t = ${(tReached_ms / MINUTE).toFixed(2)} min`);
    this.name = 'FiringSignallingInterrupted';
  }
}

/** The period (ms) of a frequency, or a reason why it is not accepted: 0 < hz ≤ 50 (periods of at least 20 ms). */
export function firingPeriod(hz: number): number | string {
  if (!(typeof hz === 'number' && Number.isFinite(hz) && hz > 0 && hz <= FIRING_LIMITS.maxHz)) return `must be a frequency in (0, ${FIRING_LIMITS.maxHz}] Hz, got ${String(hz)}`;
  return 1000 / hz;
}

/** Whole periods of `period` ms in `minutes`, or a reason why the duration is not accepted. */
export function firingPeriods(minutes: number, period: number): number | string {
  if (!(typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0 && minutes <= FIRING_LIMITS.maxMinutes)) return `must be a number of minutes in (0, ${FIRING_LIMITS.maxMinutes}], got ${String(minutes)}`;
  const K = Math.floor((minutes * MINUTE) / period + 1e-9);
  if (K < 1) return `${minutes} min is shorter than one period (${period} ms)`;
  return K;
}

interface Prepared {
  readonly cm: CompiledModel;
  readonly p: Float64Array;
  readonly y0: Float64Array;
}

/**
 * Integrated periods after a jump before the envelope's state is read (the last period of its
 * macro step, where it measures the drift): right after a jump the components that relax over a
 * few periods still carry part of its error.
 */
const SETTLED = 3;

/** Settled states by model hash and parameter values (the compiler caches the models). */
const settledCache = new Map<string, Float64Array>();

function prepare(preset: FiringPreset, period: number, periods: number, drug: { compound: string; concentration_nM: number; variants?: Readonly<Record<string, string>> } | null): Prepared {
  const ins = protocolInputs({ ...pulseTrain(1000 / period, periods, AP_PULSE.amplitude, AP_PULSE.width, 0, 0), duration: periods * period });
  let cellSpec: Parameters<typeof buildCell>[0] = { context: 'ca1', preset, input: ins.input };
  let drugSet: Record<string, number> = {};
  if (drug) {
    const cell = drugCell(baseSpec('ca1', undefined, preset), [drug.compound], drug.variants);
    cellSpec = { ...cell.spec, input: ins.input };
    drugSet = cell.concentrations({ [drug.compound]: drug.concentration_nM });
  }
  const cm = compile(attachSignalling(buildCell(cellSpec).model), { discontinuityRoots: false });
  const p = new Float64Array(cm.p0);
  for (const [k, v] of Object.entries(ins.stimulus)) setParam(cm, p, k, v);
  for (const [k, v] of Object.entries(drugSet)) setParam(cm, p, k, v);
  // The period is exact: the train's parameters are those of 1000/hz Hz, its period `period`.
  setParam(cm, p, 'stim.train0_period', period);
  const rest = new Float64Array(p);
  for (const [k, v] of Object.entries(ins.rest)) setParam(cm, rest, k, v);
  const key = `${cm.hash}|${Array.from(rest).join(',')}`;
  let y0 = settledCache.get(key);
  if (!y0) {
    const s = simulate(cm, { tEnd: FIRING_SETTLE.ms, p: rest, saveAt: [FIRING_SETTLE.ms], rtol: FIRING_SETTLE.rtol, atol: FIRING_SETTLE.atol, recordDerived: false });
    if (!isSuccessful(s.retcode) || s.retcode === RetCode.Terminated) throw new FiringSignallingFailed(`settling at rest stopped at t = ${s.tReached} ms with ${s.retcode}${s.message ? `: ${s.message}` : ''}`);
    y0 = s.y.slice(s.y.length - cm.n);
    if (settledCache.size > 20) settledCache.clear();
    settledCache.set(key, y0);
  }
  return { cm, p, y0: Float64Array.from(y0) };
}

const positiveTol = (v: number | undefined, field: string): void => {
  if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new BiologyError(`must be a finite number > 0, got ${String(v)}`, field);
};

/** Runs the experiment (see the module comment). Bad options throw a `BiologyError` or `PharmacologyError` naming the field. */
export function firingSignalling(o: FiringSignallingOptions = {}): FiringSignallingResult {
  const setupStart = performance.now();
  const preset = (o.preset ?? 'young') as FiringPreset;
  if (!FIRING_PRESETS.includes(preset)) throw new BiologyError(`unknown preset '${String(o.preset)}' (expected one of ${FIRING_PRESETS.join(', ')})`, 'preset');
  const hz = o.hz ?? 5;
  const period = firingPeriod(hz);
  if (typeof period === 'string') throw new BiologyError(period, 'hz');
  const minutes = o.minutes ?? 10;
  const K = firingPeriods(minutes, period);
  if (typeof K === 'string') throw new BiologyError(K, 'minutes');
  const method: FiringMethod = o.method ?? 'envelope';
  if (method !== 'envelope' && method !== 'full') throw new BiologyError(`must be envelope or full, got ${String(method)}`, 'method');
  positiveTol(o.rtol, 'rtol');
  positiveTol(o.atol, 'atol');
  positiveTol(o.envelopeRtol, 'envelopeRtol');
  if ((o.compound === undefined) !== (o.concentration_nM === undefined)) throw new BiologyError('give both a compound and its concentration, or neither', o.compound === undefined ? 'compound' : 'concentration_nM');
  const c = o.concentration_nM;
  if (c !== undefined && !(typeof c === 'number' && Number.isFinite(c) && c >= 0)) throw new BiologyError(`must be a number ≥ 0 (nM), got ${String(c)}`, 'concentration_nM');
  const rc = o.compound !== undefined ? resolveCompound(o.compound, o.variants ? { variants: o.variants } : {}) : null;
  const rtol = o.rtol ?? FIRING_TOLERANCES[method].rtol;
  const atol = o.atol ?? FIRING_TOLERANCES[method].atol;
  const envelopeRtol = o.envelopeRtol ?? FIRING_ENVELOPE_RTOL;

  const drug = rc && c !== undefined ? { compound: rc.id, concentration_nM: c, ...(o.variants ? { variants: o.variants } : {}) } : null;
  const { cm, p, y0 } = prepare(preset, period, K, drug);
  const setupMs = performance.now() - setupStart;
  const n = cm.n;
  const stateIndex = (name: string): number => {
    const r = cm.symbols.index.get(name);
    if (r?.kind !== 'state') throw new FiringSignallingFailed(`internal: '${name}' is not a state of ${cm.model.name}`);
    return r.index;
  };
  const iV = stateIndex('mem.V');
  const problem = cm.problem(p);
  const atolV = stateTolerances(cm, atol);
  const tEnd = K * period;
  const width = AP_PULSE.width;
  const spikesIn = (y: ArrayLike<number>, rows: number): number => spikeCount(y, n, iV, rows);

  // Sample marks: every whole minute and the end, read at the latest period start at or before it
  // (the mark itself: the envelope integrates the marks in full).
  const marks: number[] = [];
  for (let m = 0; m * MINUTE <= tEnd + 1e-9; m++) marks.push(m * MINUTE);
  if (marks[marks.length - 1] < tEnd) marks.push(tEnd);

  let done = 0;
  let reached = 0;
  const progress = (t: number): void => {
    reached = Math.max(reached, t);
    const k = Math.min(K, Math.floor(reached / period + 1e-9));
    if (k > done) {
      done = k;
      o.onProgress?.(done, K);
    }
  };
  const keepGoing = (): boolean => o.shouldContinue === undefined || o.shouldContinue();

  const start = performance.now();
  // Rows: sample times and the states at them (period starts), and the state one period before.
  const rows: { t: number; y: Float64Array; before: Float64Array | null }[] = [];
  let stats: { steps: number; rejected: number; nf: number; nJ: number };
  let periodsIntegrated: number;
  let periodsDiscarded = 0;
  let periodsProjected = 0;
  let jumps = 0;
  let jumpsUndone = 0;
  let sequencesRecorded = 0;
  if (method === 'envelope') {
    let stopped = false;
    const e = solveEnvelope(problem, y0, {
      t0: 0, tEnd, period, stopOffsets: [0, width], rtol, atol: atolV, envelopeRtol,
      // The minute marks are integrated in full, so the rows fall on them.
      landOn: [...new Set(marks.map((m) => Math.floor(m / period + 1e-9) * period))],
      // The third argument is the number of states; the rows are the accepted steps of the period.
      periodSignature: (t, y) => {
        progress(t[t.length - 1]);
        return spikesIn(y, t.length);
      },
      shouldContinue: () => {
        if (!keepGoing()) {
          stopped = true;
          return false;
        }
        return true;
      },
    });
    if (stopped || e.retcode === RetCode.Terminated) throw new FiringSignallingInterrupted(e.tReached);
    if (!isSuccessful(e.retcode)) throw new FiringSignallingFailed(`the envelope stopped at t = ${(e.tReached / MINUTE).toFixed(3)} min with ${e.retcode}${e.message ? `: ${e.message}` : ''}`);
    progress(tEnd);
    // Rows: period starts integrated at least SETTLED periods after the last jump (or from the start).
    let since = SETTLED;
    const settled = Array.from(e.projected, (f) => (since = f ? 0 : since + 1) >= SETTLED);
    for (const mark of marks) {
      let j = -1;
      for (let k = 0; k < e.t.length && e.t[k] <= mark + 1e-9; k++) if (settled[k]) j = k;
      if (j < 0 || (rows.length && rows[rows.length - 1].t === e.t[j])) continue;
      const before = j > 0 && Math.abs(e.t[j - 1] - (e.t[j] - period)) < 1e-9 ? e.y.slice((j - 1) * n, j * n) : null;
      rows.push({ t: e.t[j], y: e.y.slice(j * n, (j + 1) * n), before });
    }
    stats = e.stats;
    periodsIntegrated = e.periodsIntegrated;
    periodsDiscarded = e.periodsDiscarded;
    periodsProjected = e.periodsProjected;
    jumps = e.jumps;
    jumpsUndone = e.rejectedJumps;
    sequencesRecorded = e.sequencesRecorded;
  } else {
    const starts = marks.map((m) => Math.floor(m / period + 1e-9) * period);
    const save = [...new Set(starts.flatMap((t) => (t > 0 ? [t - period, t] : [t])))].sort((a, b) => a - b);
    const tstops: number[] = [];
    for (let k = 0; k < K; k++) tstops.push(k * period, k * period + width);
    let stopped = false;
    const s = solve(problem, y0, {
      t0: 0, tEnd, rtol, atol: atolV, tstops: tstops.filter((t) => t > 0), saveAt: save, maxSteps: 1e9,
      onTstop: (t) => {
        progress(t);
        return 'continue';
      },
      shouldContinue: () => {
        if (!keepGoing()) {
          stopped = true;
          return false;
        }
        return true;
      },
    });
    if (stopped) throw new FiringSignallingInterrupted(s.tReached);
    if (!isSuccessful(s.retcode) || s.retcode === RetCode.Terminated) throw new FiringSignallingFailed(`the solver stopped at t = ${(s.tReached / MINUTE).toFixed(3)} min with ${s.retcode}${s.message ? `: ${s.message}` : ''}`);
    progress(tEnd);
    const at = (t: number): Float64Array => {
      const k = save.indexOf(t);
      return s.y.slice(k * n, (k + 1) * n);
    };
    for (const t of [...new Set(starts)]) rows.push({ t, y: at(t), before: t > 0 ? at(t - period) : null });
    stats = s.stats;
    periodsIntegrated = K;
  }

  // Spikes in the period ending at each row, integrated again from its start as the run did.
  const spikesPerPeriod = rows.map((r) => {
    if (!r.before) return null;
    const a = r.t - period;
    const s = solve(problem, r.before, { t0: a, tEnd: r.t, rtol, atol: atolV, tstops: [a, a + width], saveEverystep: true });
    if (!isSuccessful(s.retcode)) throw new FiringSignallingFailed(`counting the spikes of the period at t = ${(a / MINUTE).toFixed(3)} min: ${s.retcode}${s.message ? `: ${s.message}` : ''}`);
    return spikesIn(s.y, s.t.length);
  });
  const wallMs = performance.now() - start;

  // Read-outs: states directly, assigned quantities from the state and the parameters.
  const buf = new Float64Array(cm.nAssigned);
  const readouts = {} as Record<FiringReadout, number[]>;
  const units = {} as Record<FiringReadout, string>;
  for (const name of FIRING_READOUTS) {
    const d = SIGNALLING_READOUTS[name];
    const ref = cm.symbols.index.get(`sig.${d.path}`);
    if (!ref || (ref.kind !== 'state' && ref.kind !== 'assigned')) throw new FiringSignallingFailed(`internal: no read-out 'sig.${d.path}' in ${cm.model.name}`);
    units[name] = d.unit;
    readouts[name] = rows.map((r) => {
      if (ref.kind === 'state') return r.y[ref.index];
      cm.assigned(r.t, r.y, p, buf);
      return buf[ref.index];
    });
  }

  return {
    preset, hz, period_ms: period, minutes, periods: K,
    pulse: { amplitude_nA: AP_PULSE.amplitude, width_ms: AP_PULSE.width },
    compound: rc && c !== undefined ? { id: rc.id, name: rc.name, concentration_nM: c, ...(o.variants ? { variants: o.variants } : {}) } : null,
    // The free concentration is given: the compound's PK assumptions play no part.
    assumptions: (rc?.assumptions ?? []).filter((a) => !/\.pk(\.|$)/.test(a.field)),
    method, rtol, atol, ...(method === 'envelope' ? { envelopeRtol } : {}),
    settle: { minutes: FIRING_SETTLE.ms / MINUTE, rtol: FIRING_SETTLE.rtol, atol: FIRING_SETTLE.atol },
    model: { name: cm.model.name, hash: cm.hash, states: n },
    version: VERSION,
    t_min: rows.map((r) => r.t / MINUTE),
    readouts, spikesPerPeriod, units,
    periodsIntegrated, periodsDiscarded, periodsProjected, jumps, jumpsUndone, sequencesRecorded,
    steps: stats.steps, rejectedSteps: stats.rejected, rhsEvaluations: stats.nf, jacobianEvaluations: stats.nJ,
    wallMs, setupMs,
  };
}
