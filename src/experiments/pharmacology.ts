/**
 * Pharmacology experiments on the cell models, all driven by the modulated-receptor binding
 * (no per-protocol IC50 is typed in anywhere):
 *
 * - activation curves with an agonist (Bay K 8644 shift);
 * - holding-potential dependence of IC50; isoform comparison under one protocol;
 * - onset and offset kinetics of block at a holding potential; use dependence during a train;
 * - concentration–response of CA1 read-outs (L-type Ca²⁺ entry and Ca²⁺ load during a spike
 *   train, sAHP after a burst, firing in a current step) and of the vascular read-out (Cav1.2
 *   Ca²⁺ entry and cytosolic Ca²⁺ at the smooth-muscle resting potential);
 * - the CNS/vascular selectivity index;
 * - exposure–response: a regimen's free brain and plasma concentrations over a steady-state
 *   dosing interval mapped to occupancy and read-outs.
 *
 * How PK drives binding: the free concentrations change over hours, the bound fraction relaxes
 * within seconds to minutes (1/(kon·C + koff) with kon ≈ 1e6 /M/s) and gating within
 * milliseconds. The time scales are 3–7 orders apart, so binding follows the concentration
 * quasi-statically: the dosing interval is sampled and each sample is simulated with the drug at
 * binding equilibrium for that concentration, instead of integrating hours of spiking.
 */
import type { ContextName } from '../biology/contexts.js';
import { buildCell } from '../biology/contexts.js';
import { compile } from '../compile/compile.js';
import type { Isoform } from '../pharmacology/compound-schema.js';
import { drugCell, type DrugCell } from '../pharmacology/drug-cell.js';
import { type AssumptionNote, compoundPk, getCompound, resolveCompound } from '../pharmacology/library.js';
import { ligandKey } from '../pharmacology/modulated-receptor.js';
import { simulatePk, steadyStatePk, type PkParameters, type PkProfile } from '../pharmacology/pk.js';
import type { Regimen } from '../pharmacology/regimen.js';
import { PharmacologyError } from '../pharmacology/quantity.js';
import { protocolInputs } from '../protocols/apply.js';
import { type Protocol, pulseTrain, voltageStep } from '../protocols/protocol.js';
import { runProtocol, setParam, type Trace } from '../protocols/run.js';
import { simulate } from '../solve/simulate.js';
import { isSuccessful } from '../solve/types.js';
import { AP_PULSE, ahpAfterBurst, CellExperimentFailed, stepSpikes } from './cell.js';
import { baseSpec, classifyEffect, concentrationResponse, DEFAULT_HOLDING, type DoseResponseResult, fitResponse, peakTestPotential, POLARISED_HOLDING } from './dose-response.js';
import type { HillFit } from './fit/hill.js';
import { levenbergMarquardt } from './fit/levenberg-marquardt.js';
import { caLoad, fitBoltzmann, peakMax, spikeTimes } from './readouts.js';

const ok = (tr: Trace, what: string): Trace => {
  if (!isSuccessful(tr.retcode)) throw new CellExperimentFailed(what, tr);
  return tr;
};

/** Fraction of the isoform's channels bound by any of the ligands, along a trace. */
export function boundFraction(tr: Trace, iso: Isoform, ligandIds: readonly string[]): Float64Array {
  return boundIn({ t: tr.t, states: tr.compiled.symbols.states, series: (name) => tr.series(name) }, iso, ligandIds);
}

// ---------------------------------------------------------------------------------------------
// Activation curve (agonists)

export interface ActivationCurveOptions {
  readonly compound: string;
  readonly context: ContextName;
  readonly isoform?: Isoform;
  readonly concentration_nM: number;
  readonly holding_mV?: number;
  /** Test potentials (mV); default −70 … +40 every 5 mV. */
  readonly levels?: readonly number[];
  readonly variants?: Readonly<Record<string, string>>;
}

export interface ActivationCurve {
  readonly v: readonly number[];
  /** Peak open probability at each test potential: the conductance with the driving force divided out. */
  readonly g: readonly number[];
  /** Boltzmann fit g = ymax/(1 + exp(−(V − vhalf)/k)). */
  readonly fit: { vhalf: number; k: number; ymax: number; rss: number };
  /** Fraction of channels drug-bound at the holding potential before the pulses. */
  readonly occupancy: number;
}

/** Activation curve from peak open probability during 50 ms steps, with the drug at equilibrium at the holding potential. */
export function activationCurve(o: ActivationCurveOptions): ActivationCurve {
  const cell = drugCell(baseSpec(o.context, o.isoform, undefined), [o.compound], o.variants);
  const iso = cell.isoforms[0];
  const set = cell.concentrations({ [o.compound]: o.concentration_nM });
  const holding = o.holding_mV ?? POLARISED_HOLDING;
  const levels = o.levels ?? Array.from({ length: 23 }, (_, k) => -70 + 5 * k);
  let occupancy = 0;
  const g = levels.map((v) => {
    const pre = 10;
    const tr = ok(runProtocol(cell.spec, voltageStep(holding, v, 50, pre, 5), { dt: 0.02, set }), `activation step to ${v} mV`);
    occupancy = boundFraction(tr, iso, cell.ligands.map((l) => l.id))[0];
    return peakMax(tr.t, tr.series(`${iso}.Po`), pre + 0.01, pre + 49.9).value;
  });
  return { v: levels, g, fit: fitBoltzmann(levels, g), occupancy };
}

// ---------------------------------------------------------------------------------------------
// Holding-potential dependence and isoform comparison

export interface HoldingDependenceRow {
  readonly holding_mV: number;
  readonly ic50_nM: number | null;
  readonly ic50_ci_nM: readonly [number, number] | null;
  readonly hill: number | null;
}

/**
 * IC50 at each holding potential with one test potential (the peak of the drug-free I–V from
 * −80 mV), so that only the holding potential changes.
 */
export function holdingPotentialDependence(o: { compound: string; context?: ContextName; isoform?: Isoform; holdings_mV?: readonly number[]; concentrations_nM?: readonly number[]; variants?: Readonly<Record<string, string>> }): { test_mV: number; rows: HoldingDependenceRow[] } {
  const context = o.context ?? 'heterologous';
  const holdings = o.holdings_mV ?? [-100, -90, -80, -70, -60, -50, -40, -30, -20, -10];
  const cell = drugCell(baseSpec(context, o.isoform), [o.compound], o.variants);
  const test = peakTestPotential(cell, context === 'ca1' && o.isoform ? [o.isoform] : cell.isoforms);
  const rows = holdings.map((hp) => {
    const r = concentrationResponse({
      compound: o.compound, context, holding_mV: hp, test_mV: test,
      ...(o.isoform ? { isoform: o.isoform } : {}), ...(o.concentrations_nM ? { concentrations_nM: o.concentrations_nM } : {}), ...(o.variants ? { variants: o.variants } : {}),
    });
    return { holding_mV: hp, ic50_nM: r.ic50_nM, ic50_ci_nM: r.ic50_ci_nM, hill: r.hill };
  });
  return { test_mV: test, rows };
}

/**
 * Cav1.2 and Cav1.3 in the heterologous context under one protocol: the same holding potential
 * and the same test potential (default the Cav1.2 I–V peak from −80 mV).
 */
export function isoformComparison(o: { compound: string; holding_mV?: number; test_mV?: number; concentrations_nM?: readonly number[]; variants?: Readonly<Record<string, string>> }): { cav12: DoseResponseResult; cav13: DoseResponseResult; ratio: number | null } {
  const test = o.test_mV ?? peakTestPotential(drugCell(baseSpec('heterologous', 'cav12'), [o.compound], o.variants), ['cav12']);
  const run = (isoform: Isoform): DoseResponseResult => concentrationResponse({
    compound: o.compound, context: 'heterologous', isoform, test_mV: test,
    ...(o.holding_mV !== undefined ? { holding_mV: o.holding_mV } : {}),
    ...(o.concentrations_nM ? { concentrations_nM: o.concentrations_nM } : {}), ...(o.variants ? { variants: o.variants } : {}),
  });
  const cav12 = run('cav12');
  const cav13 = run('cav13');
  return { cav12, cav13, ratio: cav12.ic50_nM && cav13.ic50_nM ? cav13.ic50_nM / cav12.ic50_nM : null };
}

// ---------------------------------------------------------------------------------------------
// Kinetics: onset and offset at a holding potential, use dependence

/** A simulated run with the states and assigned quantities by name. */
interface RawRun {
  readonly t: Float64Array;
  readonly states: readonly string[];
  series(name: string): Float64Array;
}

/** Simulates `protocol` on the drug cell with parameters `set`, starting from the equilibrium of `startSet`. */
function simulateFrom(cell: DrugCell, protocol: Protocol, set: Record<string, number>, startSet: Record<string, number>, saveAt: Float64Array): RawRun {
  const ins = protocolInputs(protocol);
  const built = buildCell({ ...cell.spec, input: ins.input, overrides: { ...(cell.spec.overrides ?? {}), ...ins.bath } });
  const cm = compile(built.model, { discontinuityRoots: false });
  const p = new Float64Array(cm.p0);
  for (const [k, v] of Object.entries(ins.stimulus)) setParam(cm, p, k, v);
  const p0 = new Float64Array(p);
  for (const [k, v] of Object.entries(startSet)) setParam(cm, p0, k, v);
  for (const [k, v] of Object.entries(set)) setParam(cm, p, k, v);
  const y0 = new Float64Array(cm.n);
  cm.init(0, p0, y0);
  const r = simulate(cm, { tEnd: protocol.duration, p, y0, saveAt, tstops: ins.tstops, rtol: 1e-6, atol: 1e-9, recordDerived: false });
  if (!isSuccessful(r.retcode)) throw new CellExperimentFailed(`drug kinetics (stopped at t = ${r.tReached} ms)`, { retcode: r.retcode, message: r.message } as Trace);
  const n = cm.n;
  return {
    t: r.t,
    states: cm.symbols.states,
    series(name: string): Float64Array {
      const ref = cm.symbols.index.get(name);
      if (ref?.kind === 'state') return Float64Array.from({ length: r.t.length }, (_, k) => r.y[k * n + ref.index]);
      if (ref?.kind === 'assigned') {
        const buf = new Float64Array(cm.nAssigned);
        return Float64Array.from({ length: r.t.length }, (_, k) => {
          cm.assigned(r.t[k], r.y.subarray(k * n, (k + 1) * n), p, buf);
          return buf[ref.index];
        });
      }
      throw new PharmacologyError(`no state or assigned quantity '${name}'`, name);
    },
  };
}

/** Summed occupancy of the isoform's states bound by any of the ligands. */
/** Fraction of the isoform's channels bound by any of the ligands: the sum of its drug-bound states. */
function boundIn(run: RawRun, iso: Isoform, ligandIds: readonly string[]): Float64Array {
  const out = new Float64Array(run.t.length);
  const sfx = ligandIds.map((id) => `_${ligandKey(id).slice('drug_'.length)}`);
  for (const name of run.states) {
    if (!name.startsWith(`${iso}.`) || !sfx.some((x) => name.endsWith(x))) continue;
    const y = run.series(name);
    for (let k = 0; k < out.length; k++) out[k] += y[k];
  }
  return out;
}

export interface KineticsResult {
  readonly t_s: Float64Array;
  /** Bound fraction after the drug is applied at t = 0 (drug-free equilibrium before). */
  readonly onset: Float64Array;
  /** Bound fraction after washout at t = 0 (drug equilibrium before). */
  readonly offset: Float64Array;
  /** Single-exponential time constants (s) fitted by Levenberg–Marquardt. */
  readonly tauOn_s: number;
  readonly tauOff_s: number;
  /** Equilibrium bound fraction. */
  readonly equilibrium: number;
}

/** Fits b(t) = b∞ + (b0 − b∞)·exp(−t/τ) and returns τ. */
function fitTau(t: Float64Array, b: Float64Array): number {
  const b0 = b[0];
  const bEnd = b[b.length - 1];
  // Start: the time at which 63 % of the change has happened.
  let tau0 = t[t.length - 1] / 3;
  for (let k = 0; k < t.length; k++) {
    if (Math.abs(b[k] - b0) >= 0.632 * Math.abs(bEnd - b0)) {
      tau0 = Math.max(t[k], 1e-6);
      break;
    }
  }
  const r = levenbergMarquardt((p, out) => {
    for (let k = 0; k < t.length; k++) out[k] = p[0] + (b0 - p[0]) * Math.exp(-t[k] / p[1]) - b[k];
  }, [bEnd, tau0], { m: t.length, lower: [-Infinity, 1e-9] });
  return r.params[1];
}

/**
 * Onset and offset of binding at a holding potential (no test pulses: the bound fraction is the
 * fraction of channels that would be missing from a test pulse).
 */
export function blockKinetics(o: { compound: string; context?: ContextName; isoform?: Isoform; concentration_nM: number; holding_mV?: number; duration_s?: number; variants?: Readonly<Record<string, string>> }): KineticsResult {
  const context = o.context ?? 'heterologous';
  const cell = drugCell(baseSpec(context, o.isoform), [o.compound], o.variants);
  const iso = cell.isoforms[0];
  const holding = o.holding_mV ?? DEFAULT_HOLDING[context];
  const on = cell.concentrations({ [o.compound]: o.concentration_nM });
  const off = cell.concentrations({});
  const durationS = o.duration_s ?? 600;
  if (!(durationS > 0)) throw new PharmacologyError(`must be positive, got ${String(o.duration_s)}`, 'duration_s');
  const protocol: Protocol = { clamp: { kind: 'voltage-clamp', holding, segments: [{ duration: durationS * 1000, level: holding }] }, duration: durationS * 1000 };
  const saveAt = Float64Array.from({ length: 301 }, (_, k) => (durationS * 1000 * k) / 300);
  const ids = cell.ligands.map((l) => l.id);
  const a = simulateFrom(cell, protocol, on, off, saveAt);
  const b = simulateFrom(cell, protocol, off, on, saveAt);
  const onset = boundIn(a, iso, ids);
  const offset = boundIn(b, iso, ids);
  const t = Float64Array.from(a.t, (x) => x / 1000);
  return { t_s: t, onset, offset, tauOn_s: fitTau(t, onset), tauOff_s: fitTau(t, offset), equilibrium: offset[0] };
}

export interface UseDependenceResult {
  readonly pulse: readonly number[];
  /** Peak current per pulse with the drug relative to the same pulse without it. */
  readonly relative: readonly number[];
  /** Block growth: relative current of the first pulse minus that of the last. */
  readonly extraBlock: number;
}

/** Block during a train of depolarising pulses from the holding potential (drug pre-equilibrated at rest). */
export function useDependence(o: { compound: string; context?: ContextName; isoform?: Isoform; concentration_nM: number; holding_mV?: number; test_mV?: number; pulses?: number; frequency_Hz?: number; width_ms?: number; variants?: Readonly<Record<string, string>> }): UseDependenceResult {
  const context = o.context ?? 'heterologous';
  const cell = drugCell(baseSpec(context, o.isoform), [o.compound], o.variants);
  const iso = cell.isoforms[0];
  const holding = o.holding_mV ?? DEFAULT_HOLDING[context];
  const test = o.test_mV ?? peakTestPotential(cell, [iso]);
  const n = o.pulses ?? 20;
  const hz = o.frequency_Hz ?? 1;
  const width = o.width_ms ?? 200;
  const period = 1000 / hz;
  if (!(width < period)) throw new PharmacologyError(`pulse width ${width} ms must be shorter than the period ${period} ms`, 'width_ms');
  const start = 10;
  const segments = [];
  for (let k = 0; k < n; k++) segments.push({ duration: width, level: test }, { duration: period - width, level: holding });
  const protocol: Protocol = { clamp: { kind: 'voltage-clamp', holding, start, segments }, duration: start + n * period + 10 };
  // Dense output only where the peaks are: the first 30 ms of each pulse.
  const times: number[] = [];
  for (let k = 0; k < n; k++) for (let j = 0; j <= 300; j++) times.push(start + k * period + j * 0.1);
  const saveAt = Float64Array.from(times);
  const peaks = (set: Record<string, number>): number[] => {
    const s = simulateFrom(cell, protocol, set, set, saveAt);
    // Current ∝ Po at a fixed test potential: the GHK factor cancels in the ratio.
    const po = s.series(`${iso}.Po`);
    return Array.from({ length: n }, (_, k) => Math.max(...po.subarray(k * 301, (k + 1) * 301)));
  };
  const drug = peaks(cell.concentrations({ [o.compound]: o.concentration_nM }));
  const ctrl = peaks(cell.concentrations({}));
  const relative = drug.map((d, k) => d / ctrl[k]);
  return { pulse: relative.map((_, k) => k + 1), relative, extraBlock: relative[0] - relative[relative.length - 1] };
}

// ---------------------------------------------------------------------------------------------
// Cell-level concentration–response: CA1 and vascular read-outs, selectivity

/** Default concentrations of the cell-level experiments (nM): 0.1 nM … 10 µM, one per decade. */
export const CELL_CONCENTRATIONS: readonly number[] = [0.1, 1, 10, 100, 1000, 10000];

export interface Ca1Readouts {
  /** L-type Ca²⁺ charge entering during the train (pC). */
  readonly lTypeCharge_pC: number;
  /** Cytosolic Ca²⁺ load during the train (µM·s above rest). */
  readonly caLoad_uM_s: number;
  readonly trainSpikes: number;
  /** AHP area after a 4-spike 100 Hz burst (mV·s). */
  readonly ahpArea_mV_s: number;
  /** Spikes during an 800 ms, 0.2 nA step. */
  readonly stepSpikes: number;
  /** Fraction of L-type channels drug-bound at rest. */
  readonly occupancy: number;
}

/** The L-type Ca²⁺ charge (pC) of a trace: −∫ Σ I_Ca · area. */
function lTypeCharge(tr: Trace, isoforms: readonly Isoform[]): number {
  const area = tr.p[tr.compiled.symbols.index.get('mem.area')!.index];
  let q = 0;
  for (const iso of isoforms) {
    const I = tr.series(`${iso}.I_Ca`);
    for (let k = 1; k < tr.t.length; k++) q -= 0.5 * (I[k] + I[k - 1]) * (tr.t[k] - tr.t[k - 1]);
  }
  // µA/cm² · ms · cm² = nC → pC
  return q * area * 1e3;
}

/** CA1 read-outs with the compound at `c` nM (free, at binding equilibrium at rest). */
export function ca1Readouts(cell: DrugCell, compound: string, c: number, train = { hz: 5, count: 10 }): Ca1Readouts {
  const set = cell.concentrations({ [compound]: c });
  const p = pulseTrain(train.hz, train.count, AP_PULSE.amplitude, AP_PULSE.width, 100, 500);
  const tr = ok(runProtocol(cell.spec, p, { dt: 0.25, hmax: 0.5 * AP_PULSE.width, set }), `${train.hz} Hz train`);
  const cyt = tr.series('ca.cyt');
  const rest = cyt[0];
  const occ = cell.isoforms.map((iso) => boundFraction(tr, iso, cell.ligands.map((l) => l.id))[0]);
  const burst = ahpAfterBurst(cell.spec, 4, 100, 2000, { set });
  const step = stepSpikes(cell.spec, 0.2, 800, { set });
  return {
    lTypeCharge_pC: lTypeCharge(tr, cell.isoforms),
    caLoad_uM_s: caLoad(tr.t, cyt, rest) / 1000,
    trainSpikes: spikeTimes(tr.t, tr.series('mem.V'), 0).length,
    ahpArea_mV_s: burst.area,
    stepSpikes: step.spikes,
    occupancy: occ.reduce((a, b) => a + b, 0) / occ.length,
  };
}

export interface VascularReadouts {
  /** Steady Cav1.2 Ca²⁺ current at the resting potential (pA, inward negative). */
  readonly iCa_pA: number;
  /** Cytosolic Ca²⁺ at rest (µM). */
  readonly caCyt_uM: number;
  readonly v_mV: number;
  readonly occupancy: number;
}

/** Vascular smooth-muscle read-outs at rest with the compound at `c` nM. */
export function vascularReadouts(cell: DrugCell, compound: string, c: number): VascularReadouts {
  const set = cell.concentrations({ [compound]: c });
  const tr = ok(runProtocol(cell.spec, { name: 'rest', clamp: { kind: 'current-clamp' }, duration: 1000, settle: 20000 }, { dt: 10, set }), 'vascular rest');
  const k = tr.t.length - 1;
  const area = tr.p[tr.compiled.symbols.index.get('mem.area')!.index];
  return {
    iCa_pA: tr.series('cav12.I_Ca')[k] * area * 1e6,
    caCyt_uM: tr.series('ca.cyt')[k],
    v_mV: tr.series('mem.V')[k],
    occupancy: boundFraction(tr, 'cav12', cell.ligands.map((l) => l.id))[k],
  };
}

export interface ReadoutCurve {
  readonly name: string;
  readonly unit: string;
  readonly control: number;
  /** Value relative to control at each concentration. */
  readonly relative: readonly number[];
  /** Hill fit of the relative values (the saturating level is fitted when read-outs do not vanish at full block). */
  readonly fit?: HillFit;
}

export interface CellDoseResponse {
  readonly compound: string;
  readonly context: ContextName;
  readonly preset?: string;
  readonly concentrations_nM: readonly number[];
  readonly curves: readonly ReadoutCurve[];
  readonly occupancy: readonly number[];
  readonly assumptions: readonly AssumptionNote[];
}

function curves(names: readonly [string, string][], control: Record<string, number>, rows: readonly Record<string, number>[], concs: readonly number[]): ReadoutCurve[] {
  return names.map(([name, unit]) => {
    const c0 = control[name];
    const relative = rows.map((r) => (c0 !== 0 ? r[name] / c0 : NaN));
    const pts = concs.map((c, k) => ({ concentration_nM: c, response: relative[k] }));
    const effect = relative.every(Number.isFinite) ? classifyEffect(relative) : 'none';
    const fit = effect === 'inhibition' || effect === 'stimulation' ? fitResponse(pts, effect) : undefined;
    return { name, unit, control: c0, relative, ...(fit ? { fit } : {}) };
  });
}

/** Concentration–response of the CA1 read-outs (preset young/aged/ad). */
export function ca1DoseResponse(o: { compound: string; preset?: string; concentrations_nM?: readonly number[]; variants?: Readonly<Record<string, string>> }): CellDoseResponse {
  const cell = drugCell(baseSpec('ca1', undefined, o.preset), [o.compound], o.variants);
  const concs = o.concentrations_nM ?? CELL_CONCENTRATIONS;
  const control = ca1Readouts(cell, o.compound, 0);
  const rows = concs.map((c) => ca1Readouts(cell, o.compound, c));
  const names: [keyof Ca1Readouts, string][] = [['lTypeCharge_pC', 'pC'], ['caLoad_uM_s', 'µM·s'], ['ahpArea_mV_s', 'mV·s'], ['stepSpikes', 'spikes'], ['trainSpikes', 'spikes']];
  return {
    compound: getCompound(o.compound).id, context: 'ca1', ...(o.preset ? { preset: o.preset } : {}), concentrations_nM: concs,
    curves: curves(names, control as unknown as Record<string, number>, rows as unknown as Record<string, number>[], concs),
    occupancy: rows.map((r) => r.occupancy),
    assumptions: cell.assumptions,
  };
}

/** Concentration–response of the vascular read-outs at the smooth-muscle resting potential. */
export function vascularDoseResponse(o: { compound: string; concentrations_nM?: readonly number[]; variants?: Readonly<Record<string, string>> }): CellDoseResponse {
  const cell = drugCell(baseSpec('vascular'), [o.compound], o.variants);
  const concs = o.concentrations_nM ?? CELL_CONCENTRATIONS;
  const control = vascularReadouts(cell, o.compound, 0);
  const rows = concs.map((c) => vascularReadouts(cell, o.compound, c));
  const rel = (r: VascularReadouts): Record<string, number> => ({ iCa_pA: r.iCa_pA, caCyt_uM: r.caCyt_uM });
  const names: [string, string][] = [['iCa_pA', 'pA'], ['caCyt_uM', 'µM']];
  return {
    compound: getCompound(o.compound).id, context: 'vascular', concentrations_nM: concs,
    curves: curves(names, rel(control), rows.map(rel), concs),
    occupancy: rows.map((r) => r.occupancy),
    assumptions: cell.assumptions,
  };
}

export interface SelectivityRow {
  /** Compound or substance id (the racemate and each enantiomer). */
  readonly id: string;
  /** Concentration halving L-type Ca²⁺ entry during CA1 firing (nM). */
  readonly cnsIc50_nM: number | null;
  /** Concentration halving Cav1.2 Ca²⁺ entry in arterial smooth muscle at rest (nM). */
  readonly vascularIc50_nM: number | null;
  /** vascular IC50 / CNS IC50: above 1 the compound acts on neurons at concentrations that spare vessels. */
  readonly index: number | null;
}

/**
 * The CNS/vascular selectivity index per compound and per active enantiomer: the ratio of the
 * concentrations giving the same fractional effect (half of the L-type Ca²⁺ entry) in a firing
 * CA1 neuron and in arterial smooth muscle at its resting potential.
 */
export function selectivityIndex(o: { compound: string; preset?: string; concentrations_nM?: readonly number[]; variants?: Readonly<Record<string, string>> }): SelectivityRow[] {
  const rc = resolveCompound(o.compound, o.variants ? { variants: o.variants } : {});
  const ids = [rc.id, ...(rc.record.kind === 'mixture' ? rc.components.filter((c) => c.ligand).map((c) => c.substanceId) : [])];
  const concs = o.concentrations_nM ?? [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000];
  return ids.map((id) => {
    const variants = o.variants ? Object.fromEntries(Object.entries(o.variants).filter(([k]) => resolveCompound(id).components.some((c) => c.substanceId === k))) : undefined;
    const v = variants && Object.keys(variants).length ? variants : undefined;
    const cns = drugCell(baseSpec('ca1', undefined, o.preset), [id], v);
    const vas = drugCell(baseSpec('vascular'), [id], v);
    const c0 = ca1Entry(cns, id, 0);
    const v0 = vascularReadouts(vas, id, 0).iCa_pA;
    const cnsRel = concs.map((c) => ca1Entry(cns, id, c) / c0);
    const vasRel = concs.map((c) => vascularReadouts(vas, id, c).iCa_pA / v0);
    const ic50 = (rel: number[]): number | null => {
      const effect = classifyEffect(rel);
      if (effect !== 'inhibition') return null;
      return fitResponse(concs.map((c, k) => ({ concentration_nM: c, response: rel[k] })), effect)?.ic50_nM ?? null;
    };
    const a = ic50(cnsRel);
    const b = ic50(vasRel);
    return { id, cnsIc50_nM: a, vascularIc50_nM: b, index: a !== null && b !== null ? b / a : null };
  });
}

/** L-type Ca²⁺ charge (pC) during a 5 Hz, 10-spike train in the CA1 neuron. */
function ca1Entry(cell: DrugCell, compound: string, c: number): number {
  const p = pulseTrain(5, 10, AP_PULSE.amplitude, AP_PULSE.width, 100, 500);
  const tr = ok(runProtocol(cell.spec, p, { dt: 0.25, hmax: 0.5 * AP_PULSE.width, set: cell.concentrations({ [compound]: c }) }), '5 Hz train');
  return lTypeCharge(tr, cell.isoforms);
}

// ---------------------------------------------------------------------------------------------
// Exposure–response

export interface ExposureRow {
  readonly t_h: number;
  readonly plasmaTotal_ug_per_L: number;
  readonly plasmaFree_nM: number;
  readonly brainFree_nM: number;
  /** Fraction of CA1 L-type channels bound at rest. */
  readonly cnsOccupancy: number;
  /** L-type Ca²⁺ entry during CA1 firing relative to drug-free. */
  readonly cnsEntry: number;
  /** Cav1.2 Ca²⁺ entry in arterial smooth muscle at rest relative to drug-free (driven by the free plasma concentration). */
  readonly vascularEntry: number;
}

/** What to sample: a steady-state dosing interval, or any regimen at given times. */
export type ExposureInput =
  | { readonly dose_mg: number; readonly interval_h: number; readonly samples?: number }
  | { readonly regimen: Regimen; readonly times_h: readonly number[] };

/**
 * Exposure–response: free brain (CA1) and free plasma (vascular) concentrations of a regimen at
 * sample times, each simulated at binding equilibrium (see the module comment). Either a
 * steady-state interval of `dose_mg` every `interval_h` sampled at `samples` evenly spaced times,
 * or any regimen (e.g. `maniaTitration()`) at `times_h`. PK from the compound record unless
 * `pk` overrides it (MEM 1003's PK is an assumption).
 */
export function exposureResponse(o: ExposureInput & { compound: string; preset?: string; pk?: PkParameters; variants?: Readonly<Record<string, string>> }): { rows: ExposureRow[]; assumptions: readonly AssumptionNote[] } {
  const pk = o.pk ?? compoundPk(o.compound);
  let prof: PkProfile;
  if ('regimen' in o) {
    if (!Array.isArray(o.times_h) || o.times_h.length === 0) throw new PharmacologyError('give at least one sample time', 'times_h');
    prof = simulatePk(pk, o.regimen, { times_h: o.times_h });
  } else {
    const n = o.samples ?? 8;
    if (!Number.isInteger(n) || n < 2) throw new PharmacologyError(`must be an integer ≥ 2, got ${String(o.samples)}`, 'samples');
    const ss = steadyStatePk(pk, o.dose_mg, o.interval_h, 4 * n);
    const pick = (a: Float64Array): Float64Array => Float64Array.from({ length: n }, (_, k) => a[4 * k]);
    prof = { t_h: pick(ss.t_h), plasma_ug_per_L: pick(ss.plasma_ug_per_L), plasmaFree_nM: pick(ss.plasmaFree_nM), brainFree_nM: pick(ss.brainFree_nM) };
  }
  const cns = drugCell(baseSpec('ca1', undefined, o.preset), [o.compound], o.variants);
  const vas = drugCell(baseSpec('vascular'), [o.compound], o.variants);
  const c0 = ca1Entry(cns, o.compound, 0);
  const v0 = vascularReadouts(vas, o.compound, 0).iCa_pA;
  const rows: ExposureRow[] = [];
  for (let i = 0; i < prof.t_h.length; i++) {
    const brain = prof.brainFree_nM[i];
    const free = prof.plasmaFree_nM[i];
    const trOcc = ok(runProtocol(cns.spec, { clamp: { kind: 'current-clamp' }, duration: 1 }, { dt: 0.5, set: cns.concentrations({ [o.compound]: brain }) }), 'CA1 rest');
    const occ = cns.isoforms.map((iso) => boundFraction(trOcc, iso, cns.ligands.map((l) => l.id))[0]);
    rows.push({
      t_h: prof.t_h[i],
      plasmaTotal_ug_per_L: prof.plasma_ug_per_L[i],
      plasmaFree_nM: free,
      brainFree_nM: brain,
      cnsOccupancy: occ.reduce((a, b) => a + b, 0) / occ.length,
      cnsEntry: ca1Entry(cns, o.compound, brain) / c0,
      vascularEntry: vascularReadouts(vas, o.compound, free).iCa_pA / v0,
    });
  }
  return { rows, assumptions: cns.assumptions };
}

// ---------------------------------------------------------------------------------------------
// Racemates: the consequence of the unknown enantiomer activity

export interface VariantRow {
  /** The substance whose activity is a choice, and the variant used. */
  readonly substance: string;
  readonly variant: string;
  readonly effect: DoseResponseResult['effect'];
  readonly ic50_nM: number | null;
  readonly ic50_ci_nM: readonly [number, number] | null;
  readonly hill: number | null;
}

/**
 * Runs the concentration–response of a racemate once per activity variant of each component
 * whose activity is unknown (for (Rac)-MEM 1003: the (−)-enantiomer inactive, a weaker
 * antagonist, or an agonist), so the consequence of the assumption is visible.
 */
export function racemateVariants(o: { compound: string; context: ContextName; isoform?: Isoform; preset?: string; holding_mV?: number; test_mV?: number; concentrations_nM?: readonly number[] }): VariantRow[] {
  const rc = resolveCompound(o.compound);
  const rows: VariantRow[] = [];
  for (const comp of rc.components) {
    const rec = getCompound(comp.substanceId);
    if (rec.kind !== 'substance' || !rec.variants) continue;
    for (const variant of Object.keys(rec.variants)) {
      const r = concentrationResponse({
        compound: o.compound, context: o.context, variants: { [rec.id]: variant },
        ...(o.isoform ? { isoform: o.isoform } : {}), ...(o.preset ? { preset: o.preset } : {}),
        ...(o.holding_mV !== undefined ? { holding_mV: o.holding_mV } : {}), ...(o.test_mV !== undefined ? { test_mV: o.test_mV } : {}),
        ...(o.concentrations_nM ? { concentrations_nM: o.concentrations_nM } : {}),
      });
      rows.push({ substance: rec.id, variant, effect: r.effect, ic50_nM: r.ic50_nM, ic50_ci_nM: r.ic50_ci_nM, hill: r.hill });
    }
  }
  if (rows.length === 0) throw new PharmacologyError(`${rc.id} has no component with an unknown activity`, 'compound');
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Equilibrium occupancy (for other experiments that need a block fraction)

/**
 * Fraction of L-type channels bound by a compound at equilibrium at a clamped potential: what a
 * plain "fraction of channels blocked" stand-in should be for, e.g., nimodipine 1 µM in a
 * K⁺-depolarised CA1 neuron. Per isoform and the mean.
 */
export function equilibriumOccupancy(o: { compound: string; concentration_nM: number; v_mV: number; context?: ContextName; preset?: string; variants?: Readonly<Record<string, string>> }): { mean: number; byIsoform: Partial<Record<Isoform, number>> } {
  const context = o.context ?? 'ca1';
  const cell = drugCell(baseSpec(context, undefined, o.preset), [o.compound], o.variants);
  const set = cell.concentrations({ [o.compound]: o.concentration_nM });
  const tr = ok(runProtocol(cell.spec, voltageStep(o.v_mV, o.v_mV, 1, 1, 1), { dt: 0.5, set }), `hold at ${o.v_mV} mV`);
  const byIsoform: Partial<Record<Isoform, number>> = {};
  for (const iso of cell.isoforms) byIsoform[iso] = boundFraction(tr, iso, cell.ligands.map((l) => l.id))[0];
  const vals = Object.values(byIsoform);
  return { mean: vals.reduce((a, b) => a + b, 0) / vals.length, byIsoform };
}
