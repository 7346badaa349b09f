/**
 * The default study (what `npm start` / `ltcc study` runs): (Rac)-MEM 1003, (+)-MEM 1003, its
 * (−)-enantiomer (under the library's default activity assumption) and nimodipine, in young and
 * aged CA1 neurons and in arterial smooth muscle.
 *
 * It computes, per compound:
 * - concentration–response of the CA1 read-outs — Ca²⁺ load and L-type Ca²⁺ entry during 5 Hz
 *   firing, the sAHP after a burst, pCREB and c-fos after a K⁺ depolarisation (see
 *   `study-tasks.ts` for the protocols) — in the young and the aged neuron, and of the vascular
 *   read-out (Cav1.2 Ca²⁺ current at the smooth-muscle resting potential), with Hill fits;
 * - the therapeutic window: the concentrations at which the aged neuron's Ca²⁺ load is brought
 *   down to the young drug-free level while the aged neuron's pCREB rise stays at or above
 *   `pcrebFraction` of the young drug-free rise. Edges are found by log-linear interpolation
 *   between simulated concentrations;
 * - the CNS/vascular selectivity index (as `selectivityIndex`): vascular IC50 of the Cav1.2 Ca²⁺
 *   current / CA1 IC50 of the L-type Ca²⁺ entry during firing;
 * - the free brain (and plasma) concentrations of the trial doses under the compound's PK
 *   record, and the simulated effects at the steady-state average and peak concentrations.
 *
 * Compounds whose binding numbers are identical (nimodipine and (+)-MEM 1003: MEM 1003's
 * potency is nimodipine's, a DHP-class assumption) give identical cell simulations, which are
 * run once and reported for both, with a note.
 */
import { PRESETS, buildCell } from '../biology/contexts.js';
import { attachSignalling } from '../biology/signalling/attach.js';
import { drugCell } from '../pharmacology/drug-cell.js';
import { type AssumptionNote, compoundPk, getCompound, resolveCompound } from '../pharmacology/library.js';
import { type PkProfile, type PkSummary, grid, simulatePk, steadyStatePk, summarizePk } from '../pharmacology/pk.js';
import { PharmacologyError } from '../pharmacology/quantity.js';
import { baseSpec } from './dose-response.js';
import { type HillFit, fitHill } from './fit/hill.js';
import { StudyPool } from './study-pool.js';
import {
  type Ca1Point, type ModelRef, type SignallingPoint, type StudyTask, type StudyTaskResult, type Variants, type VascularPoint,
  CA1_SETTLE_MS, CA1_TOLERANCES, K_DEPOLARISATION, SIGNALLING_TOLERANCES,
} from './study-tasks.js';

// ---------------------------------------------------------------------------------------------
// Defaults

/** The compounds of the default study, the reference compound first. */
export const STUDY_COMPOUNDS: readonly string[] = ['mem1003-rac', 'mem1003-plus', 'mem1003-minus', 'nimodipine'];
/** CA1 presets compared. */
export const STUDY_PRESETS: readonly string[] = ['young', 'aged'];
/**
 * CA1 concentrations (nM), half-log steps from 3 nM to 3 µM: the CA1 effects start near 3 nM
 * (below, under 10 %), and the trial exposures, far lower, are simulated at their own
 * concentrations.
 */
export const STUDY_CONCENTRATIONS_NM: readonly number[] = [3, 10, 30, 100, 300, 1000, 3000];
/** Vascular concentrations (nM), half-log steps from 10 pM to 3 µM (the vascular cell is cheap to simulate). */
export const STUDY_VASCULAR_CONCENTRATIONS_NM: readonly number[] = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000];
/** `--quick`: one concentration per decade. */
export const QUICK_CONCENTRATIONS_NM: readonly number[] = [3, 30, 300, 3000];
export const QUICK_VASCULAR_CONCENTRATIONS_NM: readonly number[] = [0.01, 0.1, 1, 10, 100, 1000];
/** Bisection steps that refine each window edge between grid concentrations (each halves the bracket on the log axis). */
export const DEFAULT_EDGE_REFINEMENTS = 2;
/** Default fraction of the young pCREB rise the aged neuron must keep inside the window. */
export const DEFAULT_PCREB_FRACTION = 0.5;

/** Doses of a trial to translate into concentrations. */
export interface TrialSpec {
  /** The compound given (its PK record is used). */
  readonly compound: string;
  readonly doses_mg: readonly number[];
  /** Dosing interval (h): 12 = twice daily. */
  readonly interval_h: number;
  /** Days of the approach-to-steady-state profile (default 3). */
  readonly days?: number;
  readonly source: string;
}

/** The Alzheimer's disease Phase 2a trial of MEM 1003: 30 or 90 mg twice daily for 12 weeks. */
export const AD_TRIAL: TrialSpec = {
  compound: 'mem1003-plus', doses_mg: [30, 90], interval_h: 12, days: 3,
  source: 'ClinicalTrials.gov NCT00257673 (Alzheimer\'s disease Phase 2a, 183 patients, 30 or 90 mg MEM 1003 twice daily for 12 weeks); FDAnews 2005-11-04',
};

export interface StudyOptions {
  /** Compound ids or synonyms. Default {@link STUDY_COMPOUNDS}. */
  readonly compounds?: readonly string[];
  /** CA1 presets. Default {@link STUDY_PRESETS}; the window and the trial effects use `aged` (or the last preset). */
  readonly presets?: readonly string[];
  /** CA1 concentrations (nM, > 0). Default {@link STUDY_CONCENTRATIONS_NM}. */
  readonly concentrations_nM?: readonly number[];
  /** Vascular concentrations (nM, > 0). Default {@link STUDY_VASCULAR_CONCENTRATIONS_NM}. */
  readonly vascularConcentrations_nM?: readonly number[];
  /** Fraction (0, 1] of the young drug-free pCREB rise to keep. Default {@link DEFAULT_PCREB_FRACTION}. */
  readonly pcrebFraction?: number;
  /** Trial doses to translate; `null` for none. Default {@link AD_TRIAL}. */
  readonly trial?: TrialSpec | null;
  /** Activity variants of substances whose activity is an assumption. Default: each substance's default. */
  readonly variants?: Variants;
  /** Bisection steps refining each window edge (0–6). Default {@link DEFAULT_EDGE_REFINEMENTS}. */
  readonly edgeRefinements?: number;
  /** Worker threads (1 = this thread). Default: the available parallelism. */
  readonly workers?: number;
  /** Progress: tasks done of total, and what finished. */
  readonly onProgress?: (done: number, total: number, note: string) => void;
  readonly signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------
// Result types

/** A CA1 read-out of the study. */
export interface Ca1Readout {
  readonly key: 'caLoad_uM_s' | 'lTypeCharge_pC' | 'ahpArea_mV_s' | 'pcrebRise' | 'cfosRise';
  readonly label: string;
  readonly unit: string;
  readonly description: string;
}

export const CA1_READOUTS: readonly Ca1Readout[] = [
  { key: 'caLoad_uM_s', label: 'Ca²⁺ load', unit: 'µM·s', description: 'cytosolic Ca²⁺ above rest integrated over 10 spikes at 5 Hz and 0.5 s after' },
  { key: 'ahpArea_mV_s', label: 'sAHP', unit: 'mV·s', description: 'AHP area from 5 ms to 2 s after a 4-spike 100 Hz burst' },
  { key: 'pcrebRise', label: 'pCREB', unit: 'fraction of CREB', description: 'rise of Ser133-phosphorylated CREB at the end of 3 min of 40 mM K⁺' },
  { key: 'cfosRise', label: 'c-fos mRNA', unit: 'relative', description: 'peak rise of c-fos mRNA within 60 min of the start of 3 min of 40 mM K⁺' },
  { key: 'lTypeCharge_pC', label: 'L-type Ca²⁺ entry', unit: 'pC', description: 'L-type (Cav1.2 + Cav1.3) Ca²⁺ charge during the 5 Hz train' },
];

export type Ca1Key = Ca1Readout['key'];

/** Whether a read-out keeps a floor at full L-type block (its Hill fit has a free bottom). */
const FLOOR: Readonly<Record<Ca1Key, boolean>> = { caLoad_uM_s: true, ahpArea_mV_s: true, lTypeCharge_pC: false, pcrebRise: false, cfosRise: false };

export interface StudyCompound {
  readonly id: string;
  readonly name: string;
  /** Another study compound with identical binding numbers whose simulations this one shares. */
  readonly sameBindingAs?: string;
  /** The variant used for each substance whose activity is an assumption. */
  readonly variants: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
}

/** One CA1 concentration of one compound and preset (concentration 0 = drug-free control). */
export interface Ca1Row extends Ca1Point, SignallingPoint {
  readonly compound: string;
  readonly preset: string;
  readonly concentration_nM: number;
  /** Each read-out relative to the same preset's drug-free value. */
  readonly relControl: Readonly<Record<Ca1Key, number>>;
  /** Each read-out relative to the young drug-free value. */
  readonly relYoung: Readonly<Record<Ca1Key, number>>;
}

export interface VascularRow extends VascularPoint {
  readonly compound: string;
  readonly concentration_nM: number;
  /** Cav1.2 Ca²⁺ current relative to drug-free. */
  readonly iCaRel: number;
  readonly caCytRel: number;
}

/** A Hill fit of one read-out (relative to the same cell's drug-free value). */
export interface FitRow {
  readonly compound: string;
  readonly context: 'ca1' | 'vascular';
  /** CA1 preset, or `default` for the vascular cell. */
  readonly preset: string;
  readonly readout: string;
  readonly effect: 'inhibition' | 'stimulation' | 'none';
  /** The fit (absent when the effect stays below 5 % or the fit fails). */
  readonly fit?: HillFit;
}

export interface WindowRow {
  readonly compound: string;
  readonly preset: string;
  readonly pcrebFraction: number;
  /** Where the aged Ca²⁺ load reaches the young drug-free level (nM); null when it does not within the tested range. */
  readonly lower_nM: number | null;
  /** Where the aged pCREB rise falls below `pcrebFraction` of the young drug-free rise (nM); null when it does not within the tested range. */
  readonly upper_nM: number | null;
  readonly status: 'interval' | 'empty';
  /** How the edges were found, in words. */
  readonly detail: string;
  /** upper/lower (fold), when both exist. */
  readonly width: number | null;
  /** At the lower edge: aged sAHP and pCREB relative to young drug-free, vascular Cav1.2 current relative to drug-free. */
  readonly atLower: { readonly sahpRelYoung: number; readonly pcrebRelYoung: number; readonly cfosRelYoung: number; readonly vascularRel: number } | null;
}

export interface SelectivityRow {
  readonly compound: string;
  /** IC50 of the L-type Ca²⁺ entry during CA1 firing, per preset (nM), with 95 % CI. */
  readonly cns: Readonly<Record<string, { readonly ic50_nM: number | null; readonly ci: readonly [number, number] | null }>>;
  readonly vascularIc50_nM: number | null;
  readonly vascularCi: readonly [number, number] | null;
  /** vascular IC50 / CNS IC50 per preset: above 1 the compound acts on neurons at concentrations that spare vessels. */
  readonly index: Readonly<Record<string, number | null>>;
}

/** Steady-state exposure of one trial dose. */
export interface ExposureSummary {
  readonly dose_mg: number;
  readonly interval_h: number;
  readonly plasma: PkSummary & { readonly cavg_ug_per_L: number };
  readonly plasmaFree_nM: { readonly min: number; readonly avg: number; readonly max: number };
  readonly brainFree_nM: { readonly min: number; readonly avg: number; readonly max: number };
  /** One steady-state dosing interval (t = 0 at a dose). */
  readonly steadyState: PkProfile;
  /** From the first dose over `days`. */
  readonly approach: PkProfile;
}

/** Simulated effects at a trial exposure (aged CA1 at the free brain, vascular at the free plasma concentration). */
export interface ExposureEffect {
  readonly dose_mg: number;
  readonly level: 'average' | 'peak';
  readonly brainFree_nM: number;
  readonly plasmaFree_nM: number;
  readonly preset: string;
  /** Aged read-outs relative to the aged and to the young drug-free values. */
  readonly relControl: Readonly<Record<Ca1Key, number>>;
  readonly relYoung: Readonly<Record<Ca1Key, number>>;
  readonly occupancy: number;
  readonly vascularRel: number;
  readonly vascularOccupancy: number;
}

/** An assumption the study relies on. */
export interface StudyAssumption {
  /** Where it sits: `study.<topic>`, a compound field path, or a model parameter path. */
  readonly name: string;
  readonly value: number | null;
  readonly unit?: string;
  readonly text: string;
  readonly kind: 'study' | 'compound' | 'model';
}

export interface StudyResult {
  readonly options: {
    readonly compounds: readonly string[];
    readonly presets: readonly string[];
    readonly concentrations_nM: readonly number[];
    readonly vascularConcentrations_nM: readonly number[];
    readonly pcrebFraction: number;
    readonly trial: TrialSpec | null;
    readonly variants: Variants;
    readonly edgeRefinements: number;
    /** The preset the window and the trial effects are computed for. */
    readonly target: string;
  };
  readonly compounds: readonly StudyCompound[];
  readonly ca1: readonly Ca1Row[];
  readonly vascular: readonly VascularRow[];
  readonly fits: readonly FitRow[];
  readonly windows: readonly WindowRow[];
  readonly selectivity: readonly SelectivityRow[];
  readonly exposures: readonly ExposureSummary[];
  readonly exposureEffects: readonly ExposureEffect[];
  readonly models: readonly ModelRef[];
  readonly assumptions: readonly StudyAssumption[];
  readonly solver: { readonly ca1: typeof CA1_TOLERANCES; readonly signalling: typeof SIGNALLING_TOLERANCES; readonly method: string };
  readonly stats: { readonly simulations: number; readonly workers: number; readonly threads: boolean; readonly wallMs: number; readonly taskMs: number };
}

// ---------------------------------------------------------------------------------------------
// Small numerical helpers (exported for tests)

/**
 * The first concentration at which `y` falls to or below `threshold`, by log-linear
 * interpolation between the bracketing points. Points are (concentration, value) with the
 * drug-free control at concentration 0. Returns 0 when the control already satisfies it, and
 * the first tested concentration (with `atOrBelow`) when the crossing lies between the control
 * and it; null when no tested concentration reaches it.
 */
export function firstCrossingBelow(points: readonly { c: number; y: number }[], threshold: number): { c: number; atOrBelow: boolean } | null {
  const pts = [...points].sort((a, b) => a.c - b.c);
  for (let i = 0; i < pts.length; i++) {
    if (pts[i].y <= threshold) {
      if (i === 0) return { c: pts[0].c, atOrBelow: false };
      const a = pts[i - 1];
      const b = pts[i];
      if (a.c <= 0) return { c: b.c, atOrBelow: true };
      const f = (a.y - threshold) / (a.y - b.y);
      return { c: Math.pow(10, Math.log10(a.c) + f * (Math.log10(b.c) - Math.log10(a.c))), atOrBelow: false };
    }
  }
  return null;
}

/**
 * `y` at concentration `c` by log-linear interpolation between the tested concentrations
 * (clamped above the highest); below the lowest, linear in concentration towards the drug-free
 * control at 0 (where the response is nearly linear in c), or the lowest value without a control.
 */
export function interpolateLog(points: readonly { c: number; y: number }[], c: number): number {
  const pts = [...points].sort((a, b) => a.c - b.c);
  const pos = pts.filter((p) => p.c > 0);
  const zero = pts.find((p) => p.c <= 0);
  if (pos.length === 0) return pts[0].y;
  if (c <= 0) return zero ? zero.y : pos[0].y;
  if (c <= pos[0].c) return zero ? zero.y + (c / pos[0].c) * (pos[0].y - zero.y) : pos[0].y;
  for (let i = 1; i < pos.length; i++) {
    if (c <= pos[i].c) {
      const f = (Math.log10(c) - Math.log10(pos[i - 1].c)) / (Math.log10(pos[i].c) - Math.log10(pos[i - 1].c));
      return pos[i - 1].y + f * (pos[i].y - pos[i - 1].y);
    }
  }
  return pos[pos.length - 1].y;
}

/** Hill fit of relative responses (control = 1 at concentration 0); undefined below a 5 % effect or when the fit fails. */
function fitRelative(concs: readonly number[], rel: readonly number[], fitBottom: boolean): { effect: FitRow['effect']; fit?: HillFit } {
  const dev = Math.max(...rel.map((x) => Math.abs(x - 1)));
  if (!Number.isFinite(dev) || dev < 0.05) return { effect: 'none' };
  const effect = rel[rel.length - 1] < 1 ? 'inhibition' : 'stimulation';
  try {
    const fit = fitHill([{ concentration_nM: 0, response: 1 }, ...concs.map((c, k) => ({ concentration_nM: c, response: rel[k] }))], fitBottom ? { fitBottom: true } : {});
    return Number.isFinite(fit.ic50_nM) ? { effect, fit } : { effect };
  } catch {
    return { effect };
  }
}

/** The binding content of a compound (ligand numbers and fractions, no names or provenance). */
function bindingKey(id: string, variants: Variants): string {
  const rc = resolveCompound(id, variantsFor(id, variants));
  return JSON.stringify(rc.components.map((c) => ({
    f: c.fraction,
    l: c.ligand ? { action: c.ligand.action, kon: c.ligand.kon, kd: c.ligand.kd, shift: c.ligand.activationShift ?? null } : null,
  })));
}

/** The variants that name substances of `compound`. */
function variantsFor(compound: string, variants: Variants): { variants?: Record<string, string> } {
  const rc = resolveCompound(compound);
  const mine = Object.fromEntries(Object.entries(variants).filter(([k]) => rc.components.some((c) => c.substanceId === k)));
  return Object.keys(mine).length ? { variants: mine } : {};
}

/** Value and unit of a compound record field named by an assumption note (`mem1003-plus.pk.clearance`). */
function noteValue(note: AssumptionNote): { value: number | null; unit?: string } {
  const [id, ...path] = note.field.split('.');
  let cur: unknown;
  try {
    cur = getCompound(id);
  } catch {
    return { value: null };
  }
  for (const seg of path) {
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(seg);
    if (!m || cur === null || typeof cur !== 'object') return { value: null };
    cur = (cur as Record<string, unknown>)[m[1]];
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  if (cur !== null && typeof cur === 'object' && typeof (cur as { value?: unknown }).value === 'number') {
    const q = cur as { value: number; unit?: string };
    return { value: q.value, ...(q.unit ? { unit: q.unit } : {}) };
  }
  return { value: null };
}

function checkConcs(v: readonly number[], field: string): number[] {
  if (!Array.isArray(v) || v.length < 2) throw new PharmacologyError('needs at least two concentrations', field);
  v.forEach((c, i) => {
    if (typeof c !== 'number' || !Number.isFinite(c) || c <= 0) throw new PharmacologyError(`must be a positive number of nM, got ${String(c)}`, `${field}[${i}]`);
  });
  return [...new Set(v)].sort((a, b) => a - b);
}

/**
 * The therapeutic window of one compound from its read-outs in the target preset (relative to
 * the young drug-free neuron, control at concentration 0) and its vascular read-outs: from where
 * the Ca²⁺ load falls to the young level (relative 1) to where the pCREB rise falls below
 * `fraction`. Empty when the load never reaches the young level in the tested range or pCREB is
 * lost first.
 */
export function therapeuticWindow(
  compound: string, preset: string, fraction: number,
  rows: readonly { readonly concentration_nM: number; readonly relYoung: Readonly<Record<Ca1Key, number>> }[],
  vrows: readonly { readonly concentration_nM: number; readonly iCaRel: number }[],
): WindowRow {
  const load = firstCrossingBelow(rows.map((r) => ({ c: r.concentration_nM, y: r.relYoung.caLoad_uM_s })), 1);
  const creb = firstCrossingBelow(rows.map((r) => ({ c: r.concentration_nM, y: r.relYoung.pcrebRise })), fraction);
  const maxC = Math.max(...rows.map((r) => r.concentration_nM));
  const f = `${Math.round(fraction * 100)} %`;
  const parts: string[] = [];
  if (load) parts.push(`${preset} Ca²⁺ load reaches the young level at ${load.atOrBelow ? '≤ ' : ''}${fmtNm(load.c)}`);
  else parts.push(`${preset} Ca²⁺ load stays above the young level up to ${fmtNm(maxC)}`);
  if (creb) parts.push(`${preset} pCREB falls below ${f} of young at ${creb.atOrBelow ? '≤ ' : ''}${fmtNm(creb.c)}`);
  else parts.push(`${preset} pCREB stays at or above ${f} of young up to ${fmtNm(maxC)}`);
  const lower = load ? load.c : null;
  const upper = creb ? creb.c : null;
  const status: WindowRow['status'] = lower !== null && (upper === null || upper > lower) ? 'interval' : 'empty';
  const interp = (key: Ca1Key, c: number): number => interpolateLog(rows.map((r) => ({ c: r.concentration_nM, y: r.relYoung[key] })), c);
  return {
    compound, preset, pcrebFraction: fraction, lower_nM: lower, upper_nM: upper, status, detail: parts.join('; '),
    width: lower !== null && upper !== null && lower > 0 ? upper / lower : null,
    atLower: lower !== null && vrows.length > 0 ? {
      sahpRelYoung: interp('ahpArea_mV_s', lower), pcrebRelYoung: interp('pcrebRise', lower), cfosRelYoung: interp('cfosRise', lower),
      vascularRel: interpolateLog(vrows.map((r) => ({ c: r.concentration_nM, y: r.iCaRel })), lower),
    } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The study

/**
 * Runs the study (see the module comment).
 * @throws PharmacologyError for bad options (naming the field); StudySimulationFailed when a
 * simulation does not reach its end; StudyInterrupted when `signal` aborts it.
 */
export async function runStudy(o: StudyOptions = {}): Promise<StudyResult> {
  const t0 = performance.now();
  const variants: Variants = o.variants ?? {};
  const compounds = (o.compounds ?? STUDY_COMPOUNDS).map((c) => getCompound(c).id);
  if (compounds.length === 0) throw new PharmacologyError('name at least one compound', 'compounds');
  if (new Set(compounds).size !== compounds.length) throw new PharmacologyError('a compound is listed twice', 'compounds');
  for (const v of Object.keys(variants)) {
    if (!compounds.some((id) => resolveCompound(id).components.some((c) => c.substanceId === v))) throw new PharmacologyError(`'${v}' is not a substance of the study's compounds`, `variants.${v}`);
  }
  const presets = [...(o.presets ?? STUDY_PRESETS)];
  presets.forEach((p, i) => {
    if (!PRESETS.ca1.includes(p)) throw new PharmacologyError(`unknown CA1 preset '${p}' (expected ${PRESETS.ca1.join(', ')})`, `presets[${i}]`);
  });
  if (!presets.includes('young')) throw new PharmacologyError('the study compares with the young neuron: include the preset young', 'presets');
  if (new Set(presets).size !== presets.length) throw new PharmacologyError('a preset is listed twice', 'presets');
  const target = presets.includes('aged') ? 'aged' : presets[presets.length - 1];
  const concs = checkConcs(o.concentrations_nM ?? STUDY_CONCENTRATIONS_NM, 'concentrations_nM');
  const vConcs = checkConcs(o.vascularConcentrations_nM ?? STUDY_VASCULAR_CONCENTRATIONS_NM, 'vascularConcentrations_nM');
  const fraction = o.pcrebFraction ?? DEFAULT_PCREB_FRACTION;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 1)) throw new PharmacologyError(`must be a fraction in (0, 1], got ${String(fraction)}`, 'pcrebFraction');
  const trial = o.trial === undefined ? AD_TRIAL : o.trial;

  // Compounds and who shares whose simulations.
  const keys = new Map<string, string>();
  const rep = new Map<string, string>();
  for (const id of compounds) {
    const k = bindingKey(id, variants);
    if (!keys.has(k)) keys.set(k, id);
    rep.set(id, keys.get(k)!);
  }
  const studyCompounds: StudyCompound[] = compounds.map((id) => {
    const rc = resolveCompound(id, variantsFor(id, variants));
    const same = rep.get(id)!;
    return {
      id, name: rc.name,
      ...(same !== id ? { sameBindingAs: same } : {}),
      variants: Object.fromEntries(rc.components.filter((c) => c.variant).map((c) => [c.substanceId, c.variant!])),
      notes: rc.record.notes,
    };
  });
  const reps = [...new Set(rep.values())];
  const vOf = (id: string): Variants | undefined => variantsFor(id, variants).variants;

  // PK of the trial doses (cheap; needed for the exposure simulations).
  const exposures: ExposureSummary[] = [];
  let trialId: string | null = null;
  if (trial) {
    trialId = getCompound(trial.compound).id;
    if (!compounds.includes(trialId)) throw new PharmacologyError(`the trial compound ${trialId} must be one of the study's compounds`, 'trial.compound');
    if (!(trial.interval_h > 0) || !Number.isFinite(trial.interval_h)) throw new PharmacologyError(`must be a positive number of hours, got ${String(trial.interval_h)}`, 'trial.interval_h');
    const pk = compoundPk(trialId);
    trial.doses_mg.forEach((d, i) => {
      if (typeof d !== 'number' || !(d > 0) || !Number.isFinite(d)) throw new PharmacologyError(`must be a positive number of mg, got ${String(d)}`, `trial.doses_mg[${i}]`);
    });
    const days = trial.days ?? 3;
    for (const dose of trial.doses_mg) {
      const ss = steadyStatePk(pk, dose, trial.interval_h, 96);
      const sum = summarizePk(ss);
      const range = (a: Float64Array): { min: number; avg: number; max: number } => {
        let auc = 0;
        for (let k = 1; k < a.length; k++) auc += 0.5 * (a[k] + a[k - 1]) * (ss.t_h[k] - ss.t_h[k - 1]);
        return { min: Math.min(...a), avg: auc / trial.interval_h, max: Math.max(...a) };
      };
      const count = Math.max(1, Math.round((days * 24) / trial.interval_h));
      const approach = simulatePk(pk, { kind: 'repeated', dose_mg: dose, interval_h: trial.interval_h, count }, { times_h: grid(0, days * 24, days * 96) });
      exposures.push({
        dose_mg: dose, interval_h: trial.interval_h,
        plasma: { ...sum, cavg_ug_per_L: sum.auc_ug_h_per_L / trial.interval_h },
        plasmaFree_nM: range(ss.plasmaFree_nM), brainFree_nM: range(ss.brainFree_nM),
        steadyState: ss, approach,
      });
    }
  }

  // Tasks.
  const tasks: StudyTask[] = [];
  const ctlRep = reps[0];
  const add = (t: StudyTask): number => tasks.push(t) - 1;
  const ca1Idx = new Map<string, { ca1: number; sig: number }>();
  const ca1Key = (id: string, preset: string, c: number): string => `${id}|${preset}|${c}`;
  const addCa1 = (id: string, preset: string, c: number): void => {
    const k = ca1Key(id, preset, c);
    if (ca1Idx.has(k)) return;
    const v = vOf(id);
    const base = { compound: id, preset, concentration_nM: c, ...(v ? { variants: v } : {}) };
    ca1Idx.set(k, { ca1: add({ kind: 'ca1', ...base }), sig: add({ kind: 'signalling', ...base }) });
  };
  const vasIdx = new Map<string, number>();
  const addVas = (id: string, c: number): void => {
    const k = `${id}|${c}`;
    if (vasIdx.has(k)) return;
    const v = vOf(id);
    vasIdx.set(k, add({ kind: 'vascular', compound: id, concentration_nM: c, ...(v ? { variants: v } : {}) }));
  };
  for (const preset of presets) addCa1(ctlRep, preset, 0);
  addVas(ctlRep, 0);
  // Expensive CA1 tasks of the target preset first, so the window's inputs come early.
  for (const preset of [target, ...presets.filter((p) => p !== target)]) for (const id of reps) for (const c of concs) addCa1(id, preset, c);
  for (const id of reps) for (const c of vConcs) addVas(id, c);
  if (trialId) {
    for (const e of exposures) {
      addCa1(rep.get(trialId)!, target, e.brainFree_nM.avg);
      addCa1(rep.get(trialId)!, target, e.brainFree_nM.max);
      addVas(rep.get(trialId)!, e.plasmaFree_nM.avg);
      addVas(rep.get(trialId)!, e.plasmaFree_nM.max);
    }
  }
  // The grid, then the refinement of the window edges (bisection on the log axis, in the target
  // preset), all on one pool so the workers keep their compiled models.
  const refinements = o.edgeRefinements ?? DEFAULT_EDGE_REFINEMENTS;
  if (!Number.isInteger(refinements) || refinements < 0 || refinements > 6) throw new PharmacologyError(`must be an integer 0–6, got ${String(refinements)}`, 'edgeRefinements');
  const pool = new StudyPool({ ...(o.workers !== undefined ? { workers: o.workers } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const results: StudyTaskResult[] = [];
  let done = 0;
  const total = tasks.length + refinements * reps.length * 4;
  const tick = (t: StudyTask | undefined, n = 1): void => {
    done += n;
    o.onProgress?.(done, total, t ? `${t.kind} ${t.compound}${'preset' in t ? ` ${t.preset}` : ''} ${fmtNm(t.concentration_nM)}` : 'window edges');
  };
  const tTasks = performance.now();
  let assumptions: StudyAssumption[];
  const refined = new Map<string, number[]>();
  try {
    const running = pool.run(tasks, tick);
    // Built while the workers simulate (this thread is otherwise idle).
    assumptions = collectAssumptions(compounds, presets, variants, fraction, trial, studyCompounds);
    results.push(...(await running));
    const pointOf = (id: string, c: number): Ca1Point & SignallingPoint => {
      const ix = ca1Idx.get(ca1Key(c === 0 ? ctlRep : id, target, c))!;
      return { ...(results[ix.ca1].values as Ca1Point), ...(results[ix.sig].values as SignallingPoint) };
    };
    const youngRef = (): Ca1Point & SignallingPoint => {
      const ix = ca1Idx.get(ca1Key(ctlRep, 'young', 0))!;
      return { ...(results[ix.ca1].values as Ca1Point), ...(results[ix.sig].values as SignallingPoint) };
    };
    for (let round = 0; round < refinements; round++) {
      const from = tasks.length;
      const y0 = youngRef();
      for (const id of reps) {
        const cs = [0, ...concs, ...(refined.get(id) ?? [])].sort((x, y) => x - y);
        const pts = cs.map((c) => ({ c, p: pointOf(id, c) }));
        for (const [key, threshold] of [['caLoad_uM_s', 1], ['pcrebRise', fraction]] as const) {
          const i = pts.findIndex((x) => x.p[key] / y0[key] <= threshold);
          if (i < 1 || pts[i - 1].c <= 0) continue;
          const mid = Math.sqrt(pts[i - 1].c * pts[i].c);
          const list = refined.get(id) ?? [];
          if (!list.includes(mid)) list.push(mid);
          refined.set(id, list);
          addCa1(id, target, mid);
        }
      }
      const batch = tasks.slice(from);
      tick(undefined, reps.length * 4 - batch.length);
      results.push(...(await pool.run(batch, tick)));
    }
  } finally {
    await pool.close();
  }
  const taskMs = performance.now() - tTasks;
  const ca1Of = (id: string, preset: string, c: number): Ca1Point & SignallingPoint => {
    const ix = ca1Idx.get(ca1Key(c === 0 ? ctlRep : rep.get(id)!, preset, c))!;
    const a = results[ix.ca1] as Extract<StudyTaskResult, { kind: 'ca1' }>;
    const b = results[ix.sig] as Extract<StudyTaskResult, { kind: 'signalling' }>;
    return { ...a.values, ...b.values };
  };
  const vasOf = (id: string, c: number): VascularPoint => (results[vasIdx.get(`${c === 0 ? ctlRep : rep.get(id)!}|${c}`)!] as Extract<StudyTaskResult, { kind: 'vascular' }>).values;
  /** Concentrations of a compound's CA1 rows in a preset: the grid, and the edge refinements in the target preset. */
  const concsOf = (id: string, preset: string): number[] => [...concs, ...(preset === target ? refined.get(rep.get(id)!) ?? [] : [])].sort((x, y) => x - y);

  // Tables.
  const rel = (x: Ca1Point & SignallingPoint, ref: Ca1Point & SignallingPoint): Record<Ca1Key, number> =>
    Object.fromEntries(CA1_READOUTS.map((r) => [r.key, x[r.key] / ref[r.key]])) as Record<Ca1Key, number>;
  const young0 = ca1Of(ctlRep, 'young', 0);
  const ca1: Ca1Row[] = [];
  for (const id of compounds) {
    for (const preset of presets) {
      const ctl = ca1Of(id, preset, 0);
      for (const c of [0, ...concsOf(id, preset)]) {
        const x = ca1Of(id, preset, c);
        ca1.push({ compound: id, preset, concentration_nM: c, ...x, relControl: rel(x, ctl), relYoung: rel(x, young0) });
      }
    }
  }
  const vas0 = vasOf(ctlRep, 0);
  const vascular: VascularRow[] = [];
  for (const id of compounds) {
    for (const c of [0, ...vConcs]) {
      const x = vasOf(id, c);
      vascular.push({ compound: id, concentration_nM: c, ...x, iCaRel: x.iCa_pA / vas0.iCa_pA, caCytRel: x.caCyt_uM / vas0.caCyt_uM });
    }
  }

  // Fits: Ca²⁺ load, sAHP and vascular cytosolic Ca²⁺ keep a floor at full L-type block (other
  // Ca²⁺ sources), so their bottom is fitted; L-type entry, pCREB and c-fos go to 0.
  const fits: FitRow[] = [];
  const rowsOf = (id: string, preset: string): Ca1Row[] => ca1.filter((r) => r.compound === id && r.preset === preset && r.concentration_nM > 0);
  for (const id of compounds) {
    for (const preset of presets) {
      const rows = rowsOf(id, preset);
      for (const r of CA1_READOUTS) {
        fits.push({ compound: id, context: 'ca1', preset, readout: r.key, ...fitRelative(rows.map((x) => x.concentration_nM), rows.map((x) => x.relControl[r.key]), FLOOR[r.key]) });
      }
    }
    const vrows = vascular.filter((r) => r.compound === id && r.concentration_nM > 0);
    fits.push({ compound: id, context: 'vascular', preset: 'default', readout: 'iCa_pA', ...fitRelative(vConcs, vrows.map((x) => x.iCaRel), false) });
    fits.push({ compound: id, context: 'vascular', preset: 'default', readout: 'caCyt_uM', ...fitRelative(vConcs, vrows.map((x) => x.caCytRel), true) });
  }

  // Selectivity (bottom fixed at 0, as `selectivityIndex`).
  const selectivity: SelectivityRow[] = compounds.map((id) => {
    const ic = (cs: readonly number[], r: readonly number[]): { ic50_nM: number | null; ci: readonly [number, number] | null } => {
      const f = fitRelative(cs, r, false);
      return f.fit && f.effect === 'inhibition' ? { ic50_nM: f.fit.ic50_nM, ci: f.fit.ic50_ci_nM } : { ic50_nM: null, ci: null };
    };
    const cns = Object.fromEntries(presets.map((p) => [p, ic(rowsOf(id, p).map((x) => x.concentration_nM), rowsOf(id, p).map((x) => x.relControl.lTypeCharge_pC))]));
    const v = ic(vConcs, vascular.filter((r) => r.compound === id && r.concentration_nM > 0).map((x) => x.iCaRel));
    return {
      compound: id, cns, vascularIc50_nM: v.ic50_nM, vascularCi: v.ci,
      index: Object.fromEntries(presets.map((p) => [p, v.ic50_nM !== null && cns[p].ic50_nM !== null ? v.ic50_nM / cns[p].ic50_nM : null])),
    };
  });

  // Therapeutic window in the target preset.
  const windows: WindowRow[] = compounds.map((id) => therapeuticWindow(
    id, target, fraction,
    ca1.filter((r) => r.compound === id && r.preset === target),
    vascular.filter((r) => r.compound === id),
  ));

  // Effects at the trial exposures.
  const exposureEffects: ExposureEffect[] = [];
  if (trialId) {
    const ctl = ca1Of(trialId, target, 0);
    for (const e of exposures) {
      for (const level of ['average', 'peak'] as const) {
        const cb = level === 'average' ? e.brainFree_nM.avg : e.brainFree_nM.max;
        const cp = level === 'average' ? e.plasmaFree_nM.avg : e.plasmaFree_nM.max;
        const x = ca1Of(trialId, target, cb);
        const v = vasOf(trialId, cp);
        exposureEffects.push({
          dose_mg: e.dose_mg, level, brainFree_nM: cb, plasmaFree_nM: cp, preset: target,
          relControl: rel(x, ctl), relYoung: rel(x, young0), occupancy: x.occupancy, vascularRel: v.iCa_pA / vas0.iCa_pA, vascularOccupancy: v.occupancy,
        });
      }
    }
  }

  // Models and assumptions.
  const models = new Map<string, ModelRef>();
  for (const r of results) for (const m of r.models) models.set(`${m.hash}|${m.label}`, m);

  return {
    options: { compounds, presets, concentrations_nM: concs, vascularConcentrations_nM: vConcs, pcrebFraction: fraction, trial, variants, edgeRefinements: refinements, target },
    compounds: studyCompounds, ca1, vascular, fits, windows, selectivity, exposures, exposureEffects,
    models: [...models.values()].sort((a, b) => a.label.localeCompare(b.label)),
    assumptions,
    solver: { ca1: CA1_TOLERANCES, signalling: SIGNALLING_TOLERANCES, method: 'bdf (variable order, analytic Jacobian)' },
    stats: { simulations: tasks.length, workers: pool.workers, threads: pool.threads, wallMs: performance.now() - t0, taskMs },
  };
}

/** `12.3 nM` / `1.2 µM`. */
export function fmtNm(c: number): string {
  if (!Number.isFinite(c)) return String(c);
  if (c === 0) return '0 nM';
  if (c >= 1000) return `${Number((c / 1000).toPrecision(3))} µM`;
  if (c >= 1) return `${Number(c.toPrecision(3))} nM`;
  return `${Number(c.toPrecision(2))} nM`;
}

/** Every assumption the study uses: its own choices, the compounds' numbers, the models' parameters. */
function collectAssumptions(compounds: readonly string[], presets: readonly string[], variants: Variants, fraction: number, trial: TrialSpec | null, sc: readonly StudyCompound[]): StudyAssumption[] {
  const out: StudyAssumption[] = [];
  const study = (name: string, value: number | null, unit: string | undefined, text: string): void => {
    out.push({ name: `study.${name}`, value, ...(unit ? { unit } : {}), text, kind: 'study' });
  };
  study('window.pcrebFraction', fraction, 'dimensionless', `the therapeutic window keeps the aged pCREB rise at or above ${fraction} of the young drug-free rise; the fraction is a choice (ltcc study --pcreb-fraction), not a measured threshold`);
  study('window.caTarget', 1, 'dimensionless', 'the window starts where the aged Ca²⁺ load during 5 Hz firing falls to the young drug-free load (relative 1): "restored to young" means equal load, not equal channel activity');
  study('window.interpolation', null, undefined, 'window edges are log-linear interpolations between simulated concentrations, after bisection steps that simulate the geometric midpoint of the bracketing concentrations (two by default: the bracket shrinks from a half-log step to an eighth); effects between simulated concentrations are interpolated the same way');
  study('protocol.firing', 5, 'Hz', 'Ca²⁺ load, L-type entry and the sAHP stand for "activity" with one pattern: 10 brief suprathreshold pulses at 5 Hz (load) and a 4-spike 100 Hz burst (sAHP), as the pharmacology experiments of this library; other firing patterns give other numbers');
  study('protocol.pcreb', K_DEPOLARISATION.mM, 'mM', `pCREB and c-fos come from a 40 mM K⁺ depolarisation for ${K_DEPOLARISATION.duration_ms / 60000} min, the protocol the signalling was validated with, not from the 5 Hz firing used for Ca²⁺ load; the drug is pre-incubated 3 h at rest and binds during the depolarisation with the modulated-receptor kinetics (depolarised channels bind DHPs more tightly)`);
  study('binding.firing', CA1_SETTLE_MS, 'ms', 'before each firing protocol the drug is at binding equilibrium at the resting potential (the cell settles 3 s with the drug): DHP binding relaxes over seconds to minutes, so the bound fraction is set by the resting potential');
  study('pk.quasiStatic', null, undefined, 'trial exposures enter as constant free concentrations (the steady-state average and peak of a dosing interval): binding follows the hours-long PK quasi-statically');
  study('pk.vascularConcentration', 1, 'dimensionless', 'the vascular cell sees the free plasma concentration and the neuron the free brain concentration; with the compounds\' Kp,uu = 1 they are equal, so one concentration axis serves both (selectivity is read at equal free concentrations)');
  study('selectivity.definition', null, undefined, 'selectivity index = IC50 of the Cav1.2 Ca²⁺ current of arterial smooth muscle at rest / IC50 of the L-type Ca²⁺ entry during 5 Hz CA1 firing (Hill fits with bottom 0); above 1 means CNS-selective');
  study('control.shared', 0, 'nM', 'the drug-free control is simulated once per cell and preset and shared by all compounds (with no drug the bound states stay empty, so every compound\'s cell is the same cell)');
  study('solver.ca1', CA1_TOLERANCES.rtol, 'dimensionless', 'CA1 firing protocols are solved at rtol 1e-5, atol 1e-8: the read-outs differ from rtol 1e-6 by about 1e-4 (relative)');
  const shared = sc.filter((c) => c.sameBindingAs);
  for (const c of shared) {
    study(`binding.identical.${c.id}`, null, undefined, `${c.name} has the same binding numbers as ${sc.find((x) => x.id === c.sameBindingAs)?.name ?? c.sameBindingAs}: the cell simulations are the same and were run once. For MEM 1003 this is the DHP-class assumption (MEM 1003 potency = nimodipine's), so the study cannot tell the two apart at the channel`);
  }
  if (trial) study('trial.doses', null, undefined, `trial doses ${trial.doses_mg.join(' and ')} mg every ${trial.interval_h} h of ${trial.compound} (${trial.source}); steady state of a 70 kg adult`);

  // Compound numbers (binding of the study's compounds, PK of the trial compound).
  const seen = new Set<string>();
  const notes: AssumptionNote[] = [];
  // PK numbers are used for the trial compound only.
  const trialId = trial ? getCompound(trial.compound).id : undefined;
  for (const id of compounds) notes.push(...resolveCompound(id, variantsFor(id, variants)).assumptions.filter((n) => id === trialId || !n.field.startsWith(`${id}.pk.`)));
  for (const n of notes) {
    const key = `${n.field}|${n.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const v = noteValue(n);
    out.push({ name: n.field, value: v.value, ...(v.unit ? { unit: v.unit } : {}), text: n.text, kind: 'compound' });
  }

  // Model parameters resting on assumptions (the cells with every study compound attached).
  const params = new Map<string, StudyAssumption>();
  const addModel = (ps: readonly { name: string; value: number; unit?: string; provenance?: { assumption?: string } }[], where: string): void => {
    for (const p of ps) {
      if (!p.provenance?.assumption) continue;
      const prev = params.get(p.name);
      if (prev && prev.value === p.value) continue;
      const name = prev ? `${p.name} (${where})` : p.name;
      params.set(name, { name, value: p.value, ...(p.unit ? { unit: p.unit } : {}), text: p.provenance.assumption, kind: 'model' });
    }
  };
  const v = Object.keys(variants).length ? variants : undefined;
  for (const preset of presets) {
    const cell = drugCell(baseSpec('ca1', undefined, preset), compounds, v);
    addModel(attachSignalling(buildCell({ ...cell.spec, input: { clamp: 'current', steps: 0, trains: 0 } }).model).parameters, `ca1/${preset}`);
  }
  addModel(buildCell({ ...drugCell(baseSpec('vascular'), compounds, v).spec, input: { clamp: 'current', steps: 0, trains: 0 } }).model.parameters, 'vascular');
  out.push(...params.values());
  return out;
}
