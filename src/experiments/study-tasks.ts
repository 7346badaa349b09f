/**
 * The simulations of the default study, one concentration at a time: each task is plain data
 * (so it can be sent to a worker thread) and returns plain numbers.
 *
 * - `ca1`: the CA1 neuron (preset young/aged) with the compound at binding equilibrium at rest,
 *   then (1) a 5 Hz train of 10 brief suprathreshold pulses — L-type Ca²⁺ charge and cytosolic
 *   Ca²⁺ load, the same protocol and read-outs as `ca1Readouts` — and (2) a 4-spike 100 Hz
 *   burst — afterhyperpolarisation area over 2 s, as `ahpAfterBurst` (Moyer et al. 2000 style).
 *   Both start from one settled state (the stimulus parameters do not act at rest), and the cell
 *   model is built and compiled once per compound and preset, not once per concentration.
 * - `signalling`: `runSignalling` with the `ca1` driver and the compound's binding on the L-type
 *   channels: 3 h at rest with the drug (pre-incubation), 40 mM K⁺ for 3 min, rest until 60 min
 *   — the protocol of the signalling validation targets. Read-outs: the pCREB (Ser133) rise at
 *   3 min and the peak c-fos mRNA rise within 60 min. Binding relaxes with the
 *   modulated-receptor kinetics during the depolarisation.
 * - `vascular`: `vascularReadouts` (Cav1.2 Ca²⁺ current and cytosolic Ca²⁺ of the arterial
 *   smooth-muscle cell at rest).
 */
import { buildCell } from '../biology/contexts.js';
import { compile } from '../compile/compile.js';
import type { CompiledModel } from '../compile/compiled.js';
import type { Isoform } from '../pharmacology/compound-schema.js';
import { drugCell, type DrugCell } from '../pharmacology/drug-cell.js';
import { ligandKey } from '../pharmacology/modulated-receptor.js';
import { protocolInputs } from '../protocols/apply.js';
import { type Protocol, pulseTrain } from '../protocols/protocol.js';
import { simulate } from '../solve/simulate.js';
import { isSuccessful } from '../solve/types.js';
import { AP_PULSE } from './cell.js';
import { baseSpec } from './dose-response.js';
import { vascularReadouts } from './pharmacology.js';
import { type SignallingTrace, SignallingRunFailed, riseAt, runSignalling } from './signalling.js';
import { ahp, caLoad, spikeTimes, valueAt } from './readouts.js';

/** Activity variants of substances whose activity is an assumption (`{ 'mem1003-minus': 'agonist' }`). */
export type Variants = Readonly<Record<string, string>>;

/** One simulation point of the study. */
export type StudyTask =
  | { readonly kind: 'ca1'; readonly compound: string; readonly preset: string; readonly concentration_nM: number; readonly variants?: Variants }
  | { readonly kind: 'signalling'; readonly compound: string; readonly preset: string; readonly concentration_nM: number; readonly variants?: Variants }
  | { readonly kind: 'vascular'; readonly compound: string; readonly concentration_nM: number; readonly variants?: Variants };

/** A compiled model a task used, for the manifest. */
export interface ModelRef {
  readonly label: string;
  readonly hash: string;
  readonly states: number;
}

/** Read-outs of a `ca1` task. */
export interface Ca1Point {
  /** L-type Ca²⁺ charge entering during the 5 Hz train (pC). */
  readonly lTypeCharge_pC: number;
  /** Cytosolic Ca²⁺ load during the train (µM·s above rest). */
  readonly caLoad_uM_s: number;
  readonly trainSpikes: number;
  /** AHP area after the 4-spike 100 Hz burst, 2 s window (mV·s). */
  readonly ahpArea_mV_s: number;
  /** Largest hyperpolarisation below rest after the burst (mV). */
  readonly ahpAmplitude_mV: number;
  readonly burstSpikes: number;
  /** Fraction of L-type channels drug-bound at rest (mean of Cav1.2 and Cav1.3). */
  readonly occupancy: number;
}

/** Read-outs of a `signalling` task. */
export interface SignallingPoint {
  /** pS133 fraction of CREB at rest (after 3 h with the drug). */
  readonly pcrebBaseline: number;
  /** pCREB rise at the end of the 3-min K⁺ depolarisation. */
  readonly pcrebRise: number;
  /** c-fos mRNA at rest (relative units). */
  readonly cfosBaseline: number;
  /** Peak c-fos mRNA rise within 60 min. */
  readonly cfosRise: number;
  /** Fraction of L-type channels drug-bound at rest and at the end of the depolarisation. */
  readonly occupancyRest: number;
  readonly occupancyDepolarised: number;
}

/** Read-outs of a `vascular` task. */
export interface VascularPoint {
  /** Steady Cav1.2 Ca²⁺ current at the resting potential (pA, inward negative). */
  readonly iCa_pA: number;
  readonly caCyt_uM: number;
  readonly v_mV: number;
  readonly occupancy: number;
}

export type StudyTaskResult =
  | { readonly kind: 'ca1'; readonly values: Ca1Point; readonly models: readonly ModelRef[]; readonly wallMs: number }
  | { readonly kind: 'signalling'; readonly values: SignallingPoint; readonly models: readonly ModelRef[]; readonly wallMs: number }
  | { readonly kind: 'vascular'; readonly values: VascularPoint; readonly models: readonly ModelRef[]; readonly wallMs: number };

/** A study simulation that did not reach its end. */
export class StudySimulationFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StudySimulationFailed';
  }
}

/** Solver tolerances of the CA1 firing protocols (relative error of the read-outs ≈1e-4 against rtol 1e-6). */
export const CA1_TOLERANCES = { rtol: 1e-5, atol: 1e-8 } as const;
/** Solver tolerances of the signalling runs (as `runSignalling`). */
export const SIGNALLING_TOLERANCES = { rtol: 1e-6, atol: 1e-9 } as const;

const MINUTE = 60_000;
/** Output spacing of the signalling runs (ms), as the signalling validation targets. */
export const SIGNALLING_SAVE_MS = 5000;
/** K⁺ depolarisation of the signalling protocol. */
export const K_DEPOLARISATION = { mM: 40, duration_ms: 3 * MINUTE } as const;
/** Simulated time of the signalling protocol after settling (ms): c-fos peaks within it. */
export const SIGNALLING_END_MS = 60 * MINUTE;
/** Rest of the CA1 cell before each firing protocol (ms), as `runProtocol` in current clamp. */
export const CA1_SETTLE_MS = 3000;

/** The 5 Hz train of `ca1Readouts`. */
export const TRAIN: Protocol = pulseTrain(5, 10, AP_PULSE.amplitude, AP_PULSE.width, 100, 500);
/** The 4-spike 100 Hz burst of `ahpAfterBurst`, with its 2 s window. */
export const BURST = { n: 4, hz: 100, windowMs: 2000, start: 100 } as const;
const BURST_PROTOCOL: Protocol = pulseTrain(BURST.hz, BURST.n, AP_PULSE.amplitude, AP_PULSE.width, BURST.start, BURST.windowMs + 50);

function fail(what: string, r: { retcode: unknown; tReached: number; message: string }): never {
  throw new StudySimulationFailed(`${what}: simulation stopped at t = ${r.tReached} ms with ${String(r.retcode)}${r.message ? ` (${r.message})` : ''}`);
}

function param(cm: CompiledModel, name: string): number {
  const r = cm.symbols.index.get(name);
  if (!r || r.kind !== 'parameter') throw new StudySimulationFailed(`internal: no parameter '${name}' in ${cm.model.name}`);
  return r.index;
}

function applySet(cm: CompiledModel, p: Float64Array, set: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(set)) p[param(cm, k)] = v;
}

/** States of the isoform bound by any of the ligands. */
function boundStates(cm: CompiledModel, iso: Isoform, ligandIds: readonly string[]): number[] {
  const sfx = ligandIds.map((id) => `_${ligandKey(id).slice('drug_'.length)}`);
  const out: number[] = [];
  cm.symbols.states.forEach((name, i) => {
    if (name.startsWith(`${iso}.`) && sfx.some((s) => name.endsWith(s))) out.push(i);
  });
  return out;
}

/** Mean bound fraction over the isoforms in state vector `y`. */
function occupancyOf(cm: CompiledModel, cell: DrugCell, y: ArrayLike<number>, offset = 0): number {
  const ids = cell.ligands.map((l) => l.id);
  let s = 0;
  for (const iso of cell.isoforms) for (const i of boundStates(cm, iso, ids)) s += y[offset + i];
  return s / cell.isoforms.length;
}

// ---------------------------------------------------------------------------------------------
// Prepared models (built and compiled once per process)

interface Ca1Model {
  readonly cell: DrugCell;
  readonly cm: CompiledModel;
  readonly label: string;
  /** Stimulus parameter values of the train and of the burst. */
  readonly train: Readonly<Record<string, number>>;
  readonly burst: Readonly<Record<string, number>>;
  readonly rest: Readonly<Record<string, number>>;
  readonly trainStops: readonly number[];
  readonly burstStops: readonly number[];
}

const ca1Models = new Map<string, Ca1Model>();
const signallingCells = new Map<string, DrugCell>();
const vascularCells = new Map<string, { cell: DrugCell; ref: ModelRef }>();

const keyOf = (compound: string, preset: string, variants?: Variants): string => `${compound}|${preset}|${JSON.stringify(variants ?? {})}`;

function ca1Model(compound: string, preset: string, variants?: Variants): Ca1Model {
  const key = keyOf(compound, preset, variants);
  let m = ca1Models.get(key);
  if (!m) {
    const cell = drugCell(baseSpec('ca1', undefined, preset), [compound], variants);
    const tr = protocolInputs(TRAIN);
    const bu = protocolInputs(BURST_PROTOCOL);
    // Both protocols are one pulse train in current clamp: the same model structure.
    const built = buildCell({ ...cell.spec, input: tr.input });
    const cm = compile(built.model, { discontinuityRoots: false });
    m = {
      cell, cm, label: `ca1/${preset} + ${compound}: 5 Hz train and 100 Hz burst`,
      train: tr.stimulus, burst: bu.stimulus, rest: tr.rest, trainStops: tr.tstops, burstStops: bu.tstops,
    };
    ca1Models.set(key, m);
  }
  return m;
}

/** The drug cell of a signalling run (for the names of its drug-bound states). */
function signallingCell(compound: string, preset: string, variants?: Variants): DrugCell {
  const key = keyOf(compound, preset, variants);
  let c = signallingCells.get(key);
  if (!c) {
    c = drugCell(baseSpec('ca1', undefined, preset), [compound], variants);
    signallingCells.set(key, c);
  }
  return c;
}

function vascularCell(compound: string, variants?: Variants): { cell: DrugCell; ref: ModelRef } {
  const key = keyOf(compound, 'vascular', variants);
  let c = vascularCells.get(key);
  if (!c) {
    const cell = drugCell(baseSpec('vascular'), [compound], variants);
    // The model `vascularReadouts` runs (current clamp without stimulus), compiled here for its
    // hash; the compiler's cache makes the second compile free.
    const cm = compile(buildCell({ ...cell.spec, input: { clamp: 'current', steps: 0, trains: 0 } }).model, { discontinuityRoots: false });
    c = { cell, ref: { label: `vascular + ${compound}: rest`, hash: cm.hash, states: cm.n } };
    vascularCells.set(key, c);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Tasks

/** Output grid of `duration` ms every `dt` ms (the end included). */
function grid(duration: number, dt: number): Float64Array {
  const n = Math.floor(duration / dt + 1e-9);
  const out = Float64Array.from({ length: n + 1 }, (_, i) => Math.min(i * dt, duration));
  out[n] = duration;
  return out;
}

/**
 * Output times for a pulse protocol: every `fine` ms from 1 ms before each pulse to `after` ms
 * past its start (the spike, its Ca²⁺ current and its repolarisation), every `coarse` ms
 * elsewhere (Ca²⁺ and the AHP change slowly between spikes). The study's read-outs over these
 * times agree with a uniform fine grid to about 1e-5 (relative) at a tenth of the samples.
 */
export function pulseSampling(duration: number, pulses: readonly number[], fine: number, after: number, coarse: number): Float64Array {
  const ts = new Set<number>(grid(duration, coarse));
  for (const p of pulses) {
    const a = Math.max(0, p - 1);
    const b = Math.min(duration, p + after);
    const n = Math.round((b - a) / fine);
    for (let i = 0; i <= n; i++) ts.add(Math.round((a + i * fine) * 1e6) / 1e6);
  }
  return Float64Array.from([...ts].sort((x, y) => x - y));
}

/** Start times of the pulses of a one-train protocol. */
const pulseStarts = (p: Protocol): number[] => {
  const tr = p.clamp.kind === 'current-clamp' ? p.clamp.trains?.[0] : undefined;
  return tr ? Array.from({ length: tr.count }, (_, k) => tr.start + (k * 1000) / tr.frequency) : [];
};

/** The CA1 firing read-outs at one concentration. */
export function ca1Point(compound: string, preset: string, c: number, variants?: Variants): { values: Ca1Point; models: ModelRef[] } {
  const m = ca1Model(compound, preset, variants);
  const { cm, cell } = m;
  const set = cell.concentrations({ [compound]: c });
  const what = `ca1/${preset}, ${compound} ${c} nM`;
  const pRest = new Float64Array(cm.p0);
  applySet(cm, pRest, m.train);
  applySet(cm, pRest, m.rest);
  applySet(cm, pRest, set);
  const s = simulate(cm, { tEnd: CA1_SETTLE_MS, p: pRest, saveAt: [CA1_SETTLE_MS], ...CA1_TOLERANCES, recordDerived: false });
  if (!isSuccessful(s.retcode)) fail(`${what}: settling at rest`, s);
  const y0 = s.y.slice(s.y.length - cm.n);
  const occupancy = occupancyOf(cm, cell, y0);

  // 5 Hz train.
  const pT = new Float64Array(cm.p0);
  applySet(cm, pT, m.train);
  applySet(cm, pT, set);
  const tT = pulseSampling(TRAIN.duration, pulseStarts(TRAIN), 0.25, 25, 5);
  const rT = simulate(cm, { tEnd: TRAIN.duration, p: pT, y0, saveAt: tT, tstops: m.trainStops, ...CA1_TOLERANCES, recordDerived: false });
  if (!isSuccessful(rT.retcode)) fail(`${what}: 5 Hz train`, rT);
  const n = cm.n;
  const stateSeries = (r: { y: Float64Array; t: Float64Array }, name: string): Float64Array => {
    const ref = cm.symbols.index.get(name);
    if (ref?.kind !== 'state') throw new StudySimulationFailed(`internal: '${name}' is not a state of ${cm.model.name}`);
    return Float64Array.from({ length: r.t.length }, (_, k) => r.y[k * n + ref.index]);
  };
  const cyt = stateSeries(rT, 'ca.cyt');
  const V = stateSeries(rT, 'mem.V');
  // L-type Ca²⁺ charge: −∫ Σ I_Ca dt · area (µA/cm² · ms · cm² = nC → pC).
  const iCa = cell.isoforms.map((iso) => cm.symbols.index.get(`${iso}.I_Ca`));
  const area = pT[param(cm, 'mem.area')];
  const buf = new Float64Array(cm.nAssigned);
  let prev = 0;
  let q = 0;
  for (let k = 0; k < rT.t.length; k++) {
    cm.assigned(rT.t[k], rT.y.subarray(k * n, (k + 1) * n), pT, buf);
    let I = 0;
    for (const r of iCa) {
      if (r?.kind !== 'assigned') throw new StudySimulationFailed(`internal: no assigned L-type Ca²⁺ current in ${cm.model.name}`);
      I += buf[r.index];
    }
    if (k > 0) q -= 0.5 * (I + prev) * (rT.t[k] - rT.t[k - 1]);
    prev = I;
  }

  // 100 Hz burst and the AHP after it.
  const pB = new Float64Array(cm.p0);
  applySet(cm, pB, m.burst);
  applySet(cm, pB, set);
  const tB = pulseSampling(BURST_PROTOCOL.duration, pulseStarts(BURST_PROTOCOL), 0.1, 25, 1);
  const rB = simulate(cm, { tEnd: BURST_PROTOCOL.duration, p: pB, y0, saveAt: tB, tstops: m.burstStops, ...CA1_TOLERANCES, recordDerived: false });
  if (!isSuccessful(rB.retcode)) fail(`${what}: 100 Hz burst`, rB);
  const VB = stateSeries(rB, 'mem.V');
  const vRest = valueAt(rB.t, VB, BURST.start - 1);
  const tEndBurst = BURST.start + (BURST.n * 1000) / BURST.hz;
  const a = ahp(rB.t, VB, vRest, tEndBurst + 5, tEndBurst + BURST.windowMs);

  return {
    values: {
      lTypeCharge_pC: q * area * 1e3,
      caLoad_uM_s: caLoad(rT.t, cyt, cyt[0]) / 1000,
      trainSpikes: spikeTimes(rT.t, V, 0).length,
      ahpArea_mV_s: a.area / 1000,
      ahpAmplitude_mV: a.amplitude,
      burstSpikes: spikeTimes(rB.t, VB, 0).length,
      occupancy,
    },
    models: [{ label: m.label, hash: cm.hash, states: cm.n }],
  };
}

/** The signalling read-outs at one concentration (`runSignalling` with the drug on the L-type channels). */
export function signallingPoint(compound: string, preset: string, c: number, variants?: Variants): { values: SignallingPoint; models: ModelRef[] } {
  const what = `ca1/${preset} signalling, ${compound} ${c} nM`;
  let tr: SignallingTrace;
  try {
    tr = runSignalling({
      driver: 'ca1', preset,
      drugs: [{ compound, concentration_nM: c, ...(variants ? { variants } : {}) }],
      depolarisation: { duration: K_DEPOLARISATION.duration_ms, kMM: K_DEPOLARISATION.mM },
      tEnd: SIGNALLING_END_MS, saveEvery: SIGNALLING_SAVE_MS, ...SIGNALLING_TOLERANCES,
    });
  } catch (e) {
    if (e instanceof SignallingRunFailed) throw new StudySimulationFailed(`${what}: ${e.message}`);
    throw e;
  }
  const pc = tr.readout('pCREB');
  const cf = tr.readout('cfos');
  const dep = K_DEPOLARISATION.duration_ms;
  const kDep = tr.t.findIndex((t) => t >= dep);
  const cell = signallingCell(compound, preset, variants);
  const occ = (k: number): number => {
    let s = 0;
    for (const iso of cell.isoforms) for (const i of boundStates(tr.compiled, iso, cell.ligands.map((l) => l.id))) s += tr.series(tr.compiled.symbols.states[i])[k];
    return s / cell.isoforms.length;
  };
  return {
    values: {
      pcrebBaseline: pc[0],
      pcrebRise: riseAt(tr.t, pc, dep),
      cfosBaseline: cf[0],
      cfosRise: Math.max(...cf) - cf[0],
      occupancyRest: occ(0),
      occupancyDepolarised: occ(kDep),
    },
    models: [{ label: `ca1/${preset} + signalling + ${compound}: 40 mM K⁺ for 3 min`, hash: tr.compiled.hash, states: tr.compiled.n }],
  };
}

/** The vascular read-outs at one concentration. */
export function vascularPoint(compound: string, c: number, variants?: Variants): { values: VascularPoint; models: ModelRef[] } {
  const { cell, ref } = vascularCell(compound, variants);
  return { values: vascularReadouts(cell, compound, c), models: [ref] };
}

/** Runs one task (in this thread or in a worker). */
export function runStudyTask(t: StudyTask): StudyTaskResult {
  const start = performance.now();
  switch (t.kind) {
    case 'ca1': {
      const r = ca1Point(t.compound, t.preset, t.concentration_nM, t.variants);
      return { kind: 'ca1', ...r, wallMs: performance.now() - start };
    }
    case 'signalling': {
      const r = signallingPoint(t.compound, t.preset, t.concentration_nM, t.variants);
      return { kind: 'signalling', ...r, wallMs: performance.now() - start };
    }
    case 'vascular': {
      const r = vascularPoint(t.compound, t.concentration_nM, t.variants);
      return { kind: 'vascular', ...r, wallMs: performance.now() - start };
    }
    default:
      throw new StudySimulationFailed(`unknown task kind '${String((t as { kind: unknown }).kind)}'`);
  }
}
