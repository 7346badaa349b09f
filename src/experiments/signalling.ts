/**
 * Signalling experiments: depolarisation protocols with knock-outs and L-type blocks, read-outs
 * of the nuclear signalling over time (pCREB, nuclear Ca²⁺/CaM, CaMKII autonomy, nuclear
 * γCaMKII, c-fos and BDNF mRNA), their summary numbers, and the share of pCREB carried by the
 * CaMK and MAPK arms.
 *
 * Two drivers supply Ca²⁺ and L-type activity to the signalling:
 * - `ca1`: the CA1 neuron of the biology layer with the signalling attached; a K⁺
 *   depolarisation raises the bath K⁺ (`env.K_o`) for its duration;
 * - `prescribed`: the stand-alone input component (`sig.input`), whose depolarisation window
 *   produces L-type openings and Ca²⁺ transients from assumptions (fast; for tests and for
 *   looking at the signalling on its own).
 * Both settle the model at rest first (3 h, so the slow arms reach their resting levels).
 *
 * Times are ms in the model and in traces; summaries give minutes where stated.
 */
import { compile } from '../compile/compile.js';
import type { CompiledModel } from '../compile/compiled.js';
import { buildCell } from '../biology/contexts.js';
import { applyDrugs } from '../pharmacology/drug-cell.js';
import type { DrugExposure } from '../pharmacology/library.js';
import { BiologyError } from '../biology/errors.js';
import { attachSignalling } from '../biology/signalling/attach.js';
import { applyKnockouts, checkKnockouts } from '../biology/signalling/knockouts.js';
import { SIGNALLING_READOUTS, type ReadoutName, buildSignallingModel } from '../biology/signalling/signalling.js';
import { simulate } from '../solve/simulate.js';
import { type SolverStats, RetCode, isSuccessful, newStats } from '../solve/types.js';

/** Where Ca²⁺ comes from (see module comment). */
export type SignallingDriver = 'prescribed' | 'ca1';

/** One minute in ms. */
export const MINUTE = 60_000;

/**
 * Fraction of L-type channels a plain DHP block (nimodipine 1–10 µM) removes from gating: at
 * 10 µM the resting-state half-block of 100–700 nM (Bean et al. 1986, nitrendipine) already
 * blocks ≥ 93 %, and depolarisation raises the affinity ≈1000-fold (half-block ≈0.3 nM at
 * −10 mV), so a K⁺-depolarised cell is ≥ 95 % blocked. Stands in for the drug-binding model.
 */
export const PLAIN_DHP_BLOCK = 0.95;

/** A signalling experiment. */
export interface SignallingRunSpec {
  /** Default `prescribed`. */
  readonly driver?: SignallingDriver;
  /** CA1 preset for the `ca1` driver (default `young`). */
  readonly preset?: string;
  /** Depolarisation window (ms): start (default 0) and duration (0 = none). */
  readonly depolarisation?: { readonly start?: number; readonly duration: number; /** Bath K⁺ during it, mM (ca1 driver; default 40). */ readonly kMM?: number };
  /** Simulated time after settling (ms). */
  readonly tEnd: number;
  /** Output spacing (ms); default tEnd/600. */
  readonly saveEvery?: number;
  /** Knock-out ids (see `SIGNALLING_KNOCKOUTS`). */
  readonly knockouts?: readonly string[];
  /**
   * Compounds at their free concentration at the channels (`ca1` driver): the drug-binding
   * (modulated-receptor) model of the pharmacology layer on both L-type isoforms.
   */
  readonly drugs?: readonly DrugExposure[];
  /** Fraction of L-type channels removed from gating (fewer openings; a plain DHP block), 0–1. */
  readonly gatingBlock?: number;
  /** Fraction of the L-type unitary current removed (pore block), 0–1. */
  readonly poreBlock?: number;
  /** Parameter values by full path. */
  readonly set?: Readonly<Record<string, number>>;
  readonly rtol?: number;
  readonly atol?: number;
}

/** A simulated signalling experiment. */
export interface SignallingTrace {
  readonly spec: SignallingRunSpec;
  /** Output times (ms). */
  readonly t: Float64Array;
  readonly compiled: CompiledModel;
  readonly p: Float64Array;
  readonly stats: SolverStats;
  readonly wallMs: number;
  /** Any model quantity (state, assigned, parameter) at `t`. */
  series(name: string): Float64Array;
  /** A named read-out at `t`. */
  readout(name: ReadoutName): Float64Array;
}

/** A signalling simulation that did not reach its end. */
export class SignallingRunFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignallingRunFailed';
  }
}

const SETTLE_MS = 3 * 60 * MINUTE;
const settledCache = new Map<string, Float64Array>();

function fraction(v: number | undefined, field: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new BiologyError(`must be a fraction in [0, 1], got ${String(v)}`, field);
  return v;
}

function setParam(cm: CompiledModel, p: Float64Array, path: string, value: number): void {
  const r = cm.symbols.index.get(path);
  if (!r || r.kind !== 'parameter') throw new BiologyError(`no parameter '${path}' in this model`, path);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BiologyError(`must be a finite number, got ${String(value)}`, path);
  p[r.index] = value;
}

const getParam = (cm: CompiledModel, p: Float64Array, path: string): number => {
  const r = cm.symbols.index.get(path);
  if (!r || r.kind !== 'parameter') throw new BiologyError(`no parameter '${path}' in this model`, path);
  return p[r.index];
};

/**
 * The compiled model of a driver (cached by the compiler), and the parameter values that put
 * `drugs` at their concentrations.
 */
export function signallingModel(driver: SignallingDriver, preset = 'young', drugs: readonly DrugExposure[] = []): CompiledModel & { drugSet?: Readonly<Record<string, number>> } {
  if (driver === 'prescribed') {
    if (drugs.length) throw new BiologyError('drugs need the ca1 driver (the prescribed input has no channel states to bind)', 'drugs');
    return compile(buildSignallingModel(), { discontinuityRoots: false });
  }
  if (driver === 'ca1') {
    const input = { clamp: 'current' as const, steps: 0, trains: 0 };
    if (drugs.length === 0) return compile(attachSignalling(buildCell({ context: 'ca1', preset, input }).model), { discontinuityRoots: false });
    const d = applyDrugs({ context: 'ca1', preset }, drugs);
    const cm = compile(attachSignalling(buildCell({ ...d.spec, input }).model), { discontinuityRoots: false });
    return Object.assign(Object.create(cm) as CompiledModel, { drugSet: d.set });
  }
  throw new BiologyError(`unknown driver '${String(driver)}' (expected prescribed or ca1)`, 'driver');
}

interface Segment { readonly until: number; readonly k?: number }

/** Runs a signalling experiment (see {@link SignallingRunSpec}). */
export function runSignalling(spec: SignallingRunSpec): SignallingTrace {
  const start = performance.now();
  const driver = spec.driver ?? 'prescribed';
  if (!(typeof spec.tEnd === 'number' && spec.tEnd > 0 && Number.isFinite(spec.tEnd))) throw new BiologyError(`must be a positive number of ms, got ${String(spec.tEnd)}`, 'tEnd');
  const dep = spec.depolarisation ?? { duration: 0 };
  const dStart = dep.start ?? 0;
  const dDur = dep.duration;
  if (!(dStart >= 0 && Number.isFinite(dStart))) throw new BiologyError(`must be ≥ 0 ms, got ${String(dStart)}`, 'depolarisation.start');
  if (!(dDur >= 0 && Number.isFinite(dDur))) throw new BiologyError(`must be ≥ 0 ms, got ${String(dDur)}`, 'depolarisation.duration');
  const gating = fraction(spec.gatingBlock, 'gatingBlock');
  const pore = fraction(spec.poreBlock, 'poreBlock');
  checkKnockouts(spec.knockouts ?? []);
  const cm = signallingModel(driver, spec.preset ?? 'young', spec.drugs ?? []);
  const p = new Float64Array(cm.p0);
  for (const [k, v] of Object.entries(cm.drugSet ?? {})) setParam(cm, p, k, v);
  applyKnockouts(cm, p, spec.knockouts ?? []);
  if (driver === 'prescribed') {
    setParam(cm, p, 'sig.input.open_scale', 1 - gating);
  } else {
    for (const ch of ['cav12', 'cav13']) {
      setParam(cm, p, `${ch}.scale`, getParam(cm, p, `${ch}.scale`) * (1 - gating));
      setParam(cm, p, `${ch}.pbar`, getParam(cm, p, `${ch}.pbar`) * (1 - pore));
    }
  }
  setParam(cm, p, 'sig.camkii.pore_scale', 1 - pore);
  for (const [k, v] of Object.entries(spec.set ?? {})) setParam(cm, p, k, v);
  const rtol = spec.rtol ?? 1e-6;
  const atol = spec.atol ?? 1e-9;

  // Rest: no depolarisation.
  const pRest = new Float64Array(p);
  let segments: Segment[];
  const kRest = driver === 'ca1' ? getParam(cm, p, 'env.K_o') : 0;
  const kDep = dep.kMM ?? 40;
  if (driver === 'ca1' && !(kDep > 0 && Number.isFinite(kDep))) throw new BiologyError(`must be a positive concentration (mM), got ${String(kDep)}`, 'depolarisation.kMM');
  if (driver === 'prescribed') {
    setParam(cm, pRest, 'sig.input.dep_dur', 0);
    setParam(cm, p, 'sig.input.dep_on', dStart);
    setParam(cm, p, 'sig.input.dep_dur', dDur);
    segments = [{ until: spec.tEnd }];
  } else {
    const end = dStart + dDur;
    segments = [];
    if (dDur > 0 && dStart > 0) segments.push({ until: Math.min(dStart, spec.tEnd), k: kRest });
    if (dDur > 0 && dStart < spec.tEnd) segments.push({ until: Math.min(end, spec.tEnd), k: kDep });
    segments.push({ until: spec.tEnd, k: kRest });
  }
  const key = `${cm.hash}|${Array.from(pRest).join(',')}|${rtol}|${atol}`;
  let y0 = settledCache.get(key);
  const stats = newStats();
  if (!y0) {
    const s = simulate(cm, { tEnd: SETTLE_MS, p: pRest, saveAt: [SETTLE_MS], rtol, atol, recordDerived: false });
    if (!isSuccessful(s.retcode)) throw new SignallingRunFailed(`settling at rest failed at t = ${s.tReached} ms: ${s.message}`);
    y0 = s.y.slice(s.y.length - cm.n);
    if (settledCache.size > 100) settledCache.clear();
    settledCache.set(key, y0);
  }
  const dt = spec.saveEvery ?? spec.tEnd / 600;
  if (!(dt > 0)) throw new BiologyError(`must be positive, got ${String(dt)}`, 'saveEvery');
  const nOut = Math.max(1, Math.round(spec.tEnd / dt));
  const times = Array.from({ length: nOut + 1 }, (_, i) => Math.min((i * spec.tEnd) / nOut, spec.tEnd));
  const outT: number[] = [];
  const outY: number[] = [];
  let y = y0;
  let t0 = 0;
  for (const seg of segments) {
    if (seg.until <= t0) continue;
    if (seg.k !== undefined) setParam(cm, p, 'env.K_o', seg.k);
    const last = seg === segments[segments.length - 1] || seg.until >= spec.tEnd;
    const save = times.filter((t) => t >= t0 && (last ? t <= seg.until : t < seg.until));
    if (save.length === 0 || save[save.length - 1] < seg.until) save.push(seg.until);
    const stops = driver === 'prescribed' ? [dStart, dStart + dDur].filter((x) => x > t0 && x < seg.until) : [];
    const r = simulate(cm, { t0, tEnd: seg.until, p, y0: y, saveAt: save, rtol, atol, tstops: stops, recordDerived: false });
    for (const k of Object.keys(stats) as (keyof SolverStats)[]) stats[k] += r.stats[k];
    if (!isSuccessful(r.retcode) || r.retcode === RetCode.Terminated) throw new SignallingRunFailed(`simulation stopped at t = ${r.tReached} ms: ${r.message || r.retcode}`);
    for (let k = 0; k < r.t.length; k++) {
      const isGrid = times.includes(r.t[k]);
      if (!isGrid) continue;
      if (outT.length && outT[outT.length - 1] === r.t[k]) continue;
      outT.push(r.t[k]);
      for (let i = 0; i < cm.n; i++) outY.push(r.y[k * cm.n + i]);
    }
    y = r.y.slice(r.y.length - cm.n);
    t0 = seg.until;
  }
  const t = Float64Array.from(outT);
  const Y = Float64Array.from(outY);
  // For the ca1 driver the parameter vector ends at rest K⁺; derived quantities are evaluated
  // with the K⁺ of each sample.
  const kAt = (tt: number): number | undefined => (driver === 'ca1' ? (tt >= dStart && tt < dStart + dDur ? kDep : kRest) : undefined);
  return makeTrace(spec, cm, p, t, Y, stats, performance.now() - start, kAt);
}

function makeTrace(spec: SignallingRunSpec, cm: CompiledModel, p: Float64Array, t: Float64Array, Y: Float64Array, stats: SolverStats, wallMs: number, kAt: (t: number) => number | undefined): SignallingTrace {
  const n = cm.n;
  const cache = new Map<string, Float64Array>();
  let assignedAll: Float64Array | undefined;
  const kRef = cm.symbols.index.get('env.K_o');
  const series = (name: string): Float64Array => {
    const hit = cache.get(name);
    if (hit) return hit;
    const r = cm.symbols.index.get(name);
    if (!r || r.kind === 'observable') throw new BiologyError(`no quantity '${name}' in this model`, name);
    const out = new Float64Array(t.length);
    if (r.kind === 'state') for (let k = 0; k < t.length; k++) out[k] = Y[k * n + r.index];
    else if (r.kind === 'parameter') {
      for (let k = 0; k < t.length; k++) out[k] = (r.index === (kRef?.kind === 'parameter' ? kRef.index : -1) ? kAt(t[k]) : undefined) ?? p[r.index];
    }
    else {
      if (!assignedAll) {
        const m = cm.nAssigned;
        assignedAll = new Float64Array(t.length * m);
        const buf = new Float64Array(m);
        const pk = new Float64Array(p);
        for (let k = 0; k < t.length; k++) {
          const kk = kAt(t[k]);
          if (kk !== undefined && kRef?.kind === 'parameter') pk[kRef.index] = kk;
          cm.assigned(t[k], Y.subarray(k * n, (k + 1) * n), pk, buf);
          assignedAll.set(buf, k * m);
        }
      }
      const m = cm.nAssigned;
      for (let k = 0; k < t.length; k++) out[k] = assignedAll[k * m + r.index];
    }
    cache.set(name, out);
    return out;
  };
  return {
    spec, t, compiled: cm, p, stats, wallMs, series,
    readout: (name) => {
      const d = SIGNALLING_READOUTS[name];
      if (!d) throw new BiologyError(`unknown read-out '${String(name)}' (known: ${Object.keys(SIGNALLING_READOUTS).join(', ')})`, 'readout');
      return series(`sig.${d.path}`);
    },
  };
}

/** Summary numbers of one read-out (times in minutes from the stimulus start). */
export interface ReadoutSummary {
  /** Value at t = 0 (settled rest). */
  readonly baseline: number;
  readonly peak: number;
  /** Time of the peak after the stimulus start (min). */
  readonly timeToPeak: number;
  /** ∫ (value − baseline) dt over the trace (unit·min). */
  readonly area: number;
  /**
   * Time from the stimulus end until the value falls halfway from its peak after the end back to
   * baseline (min); Infinity when it does not within the trace.
   */
  readonly halfDecay: number;
}

/** Summary numbers of `v` sampled at `t` (ms) for a stimulus from `stimStart` to `stimEnd` (ms). */
export function summarize(t: ArrayLike<number>, v: ArrayLike<number>, stimStart: number, stimEnd: number): ReadoutSummary {
  if (t.length < 2 || t.length !== v.length) throw new RangeError('summarize needs at least two samples and equal lengths');
  const base = v[0];
  let kp = 0;
  for (let k = 0; k < v.length; k++) if (v[k] > v[kp]) kp = k;
  let area = 0;
  for (let k = 1; k < t.length; k++) area += 0.5 * (v[k] - base + v[k - 1] - base) * (t[k] - t[k - 1]);
  let ke = 0;
  while (ke < t.length && t[ke] < stimEnd) ke++;
  let halfDecay = Infinity;
  if (ke < t.length) {
    let kpe = ke;
    for (let k = ke; k < v.length; k++) if (v[k] > v[kpe]) kpe = k;
    const half = base + (v[kpe] - base) / 2;
    for (let k = kpe + 1; k < v.length; k++) {
      if (v[k] <= half) {
        // Linear interpolation between samples.
        const f = (v[k - 1] - half) / (v[k - 1] - v[k]);
        halfDecay = (t[k - 1] + f * (t[k] - t[k - 1]) - stimEnd) / MINUTE;
        break;
      }
    }
  }
  return { baseline: base, peak: v[kp], timeToPeak: (t[kp] - stimStart) / MINUTE, area: area / MINUTE, halfDecay };
}

/** Summary numbers of every read-out of a trace, for a stimulus from `stimStart` to `stimEnd` (ms). */
export function summarizeReadouts(tr: SignallingTrace, stimStart: number, stimEnd: number): Record<ReadoutName, ReadoutSummary> {
  const out = {} as Record<ReadoutName, ReadoutSummary>;
  for (const name of Object.keys(SIGNALLING_READOUTS) as ReadoutName[]) out[name] = summarize(tr.t, tr.readout(name), stimStart, stimEnd);
  return out;
}

/** Rise of `v` above its first sample at time `at` (ms), linearly interpolated. */
export function riseAt(t: ArrayLike<number>, v: ArrayLike<number>, at: number): number {
  if (at <= t[0]) return 0;
  for (let k = 1; k < t.length; k++) {
    if (t[k] >= at) {
      const f = (at - t[k - 1]) / (t[k] - t[k - 1]);
      return v[k - 1] + f * (v[k] - v[k - 1]) - v[0];
    }
  }
  return v[v.length - 1] - v[0];
}

/** CaMK and MAPK shares of the pCREB rise at one time. */
export interface ArmShare {
  /** Minutes after the stimulus start. */
  readonly minute: number;
  /** pCREB rise with the MAPK arm removed (the CaMK arm alone). */
  readonly camk: number;
  /** pCREB rise with the CaMK arm removed (the MAPK arm alone). */
  readonly mapk: number;
  /** camk / (camk + mapk), rises clipped at 0. */
  readonly camkShare: number;
}

/**
 * The share of the pCREB rise carried by each arm, measured by knocking out the other
 * (MEK inhibition for the CaMK arm alone, CaMKIV removal for the MAPK arm alone), as Wu et al.
 * 2001 did with inhibitors.
 */
export function armShares(spec: SignallingRunSpec, minutes: readonly number[]): ArmShare[] {
  const ko = spec.knockouts ?? [];
  const camkOnly = runSignalling({ ...spec, knockouts: [...ko, 'mapk'] });
  const mapkOnly = runSignalling({ ...spec, knockouts: [...ko, 'camk4'] });
  const start = spec.depolarisation?.start ?? 0;
  return minutes.map((m) => {
    const at = start + m * MINUTE;
    const a = Math.max(0, riseAt(camkOnly.t, camkOnly.readout('pCREB'), at));
    const b = Math.max(0, riseAt(mapkOnly.t, mapkOnly.readout('pCREB'), at));
    return { minute: m, camk: a, mapk: b, camkShare: a + b > 0 ? a / (a + b) : NaN };
  });
}
