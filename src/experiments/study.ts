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
 *   record, and the simulated effects at the steady-state average and peak concentrations;
 * - what the activity assumption of the (−)-enantiomer changes: (Rac)-MEM 1003 is simulated
 *   once more under each activity variant of the (−)-enantiomer (aged CA1 on a one-per-decade
 *   grid with the window edges refined, and the vascular cell), giving per variant the window,
 *   the selectivity index and the effects at the highest trial dose given as the racemate. The
 *   variant the study uses is not simulated again: its row is the main result.
 *
 * Compounds whose binding numbers are identical (nimodipine and (+)-MEM 1003: MEM 1003's
 * potency is nimodipine's, a DHP-class assumption) give identical cell simulations, which are
 * run once and reported for both, with a note.
 */
import { PRESETS, buildCell } from '../biology/contexts.js';
import { attachSignalling } from '../biology/signalling/attach.js';
import { drugCell } from '../pharmacology/drug-cell.js';
import { type AssumptionNote, compoundPk, getCompound, resolveCompound } from '../pharmacology/library.js';
import { type PkParameters, type PkProfile, type PkSummary, grid, simulatePk, steadyStatePk, summarizePk } from '../pharmacology/pk.js';
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
/**
 * CA1 concentrations (nM) of the activity-variant comparison: one per decade over the range of
 * the main grid (the window edges are refined by bisection as in the main grid), which keeps the
 * two alternative variants of the (−)-enantiomer to well under half the default study's work.
 */
export const VARIANT_CONCENTRATIONS_NM: readonly number[] = [3, 30, 300, 3000];
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
  /**
   * The activity-variant comparison: the compound (a study compound with a substance whose
   * activity is an assumption) is simulated under each variant of that substance. Default: the
   * first such study compound, on {@link VARIANT_CONCENTRATIONS_NM}; `null` for none.
   */
  readonly variantComparison?: VariantComparisonSpec | null;
  /** Bisection steps refining each window edge (0–6). Default {@link DEFAULT_EDGE_REFINEMENTS}. */
  readonly edgeRefinements?: number;
  /** Worker threads (1 = this thread). Default: the available parallelism. */
  readonly workers?: number;
  /** Progress: tasks done of total, and what finished. */
  readonly onProgress?: (done: number, total: number, note: string) => void;
  readonly signal?: AbortSignal;
}

/** What the activity-variant comparison runs. */
export interface VariantComparisonSpec {
  /** A study compound with a substance whose activity is an assumption (e.g. `mem1003-rac`). Default: the first such study compound. */
  readonly compound?: string;
  /** CA1 concentrations (nM, > 0) of the variant runs. Default {@link VARIANT_CONCENTRATIONS_NM}. */
  readonly concentrations_nM?: readonly number[];
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

/** A half-maximal concentration of a Hill fit of a read-out relative to drug-free (bottom 0 for a fall, a fitted plateau for a rise). */
export interface HalfMaximal {
  /** Direction of the effect; `none` below a 5 % effect. */
  readonly effect: FitRow['effect'];
  /** IC50 (inhibition) or EC50 (stimulation) (nM); null when no Hill curve was fitted. */
  readonly halfMax_nM: number | null;
  readonly ci: readonly [number, number] | null;
}

/** The simulated effects of one exposure level in the variant comparison (target preset at the free brain, vascular cell at the free plasma concentration). */
export type VariantExposureEffect = Omit<ExposureEffect, 'dose_mg' | 'preset' | 'vascularOccupancy'>;

/**
 * One activity variant of a substance of the compared compound: what the study's main numbers
 * become if the substance has that activity.
 */
export interface VariantRow {
  /** The compound simulated (e.g. `mem1003-rac`). */
  readonly compound: string;
  /** The substance whose activity is varied (e.g. `mem1003-minus`). */
  readonly substance: string;
  readonly substanceName: string;
  readonly variant: string;
  /** The substance record's default variant. */
  readonly isDefault: boolean;
  /** The variant the rest of the study uses (the default unless the `variants` option chose another): its row is the main result. */
  readonly main: boolean;
  /** `antagonist`, `agonist` or `inactive`. */
  readonly action: string;
  /** The variant as the compound record describes it. */
  readonly description: string;
  /** The CA1 grid (nM) before the window edges were refined: the main grid for the default variant, whose row is the main result. */
  readonly concentrations_nM: readonly number[];
  /** The therapeutic window in the target preset (same criteria as the main window). */
  readonly window: WindowRow;
  /** L-type Ca²⁺ entry during CA1 firing in the target preset. */
  readonly cns: HalfMaximal;
  /** Cav1.2 Ca²⁺ current of the vascular cell at rest. */
  readonly vascular: HalfMaximal;
  /** vascular IC50 / CNS IC50 in the target preset; null unless both read-outs are inhibited with a fitted IC50. */
  readonly selectivityIndex: number | null;
  /** Effects at the steady state of the trial's highest dose given as this compound (its own PK record); null without a trial or a PK record. */
  readonly exposure: {
    readonly dose_mg: number;
    readonly interval_h: number;
    readonly effects: readonly VariantExposureEffect[];
  } | null;
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
    /** The activity-variant comparison run (null: none). */
    readonly variantComparison: { readonly compound: string; readonly substances: readonly string[]; readonly concentrations_nM: readonly number[] } | null;
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
  /** One row per activity variant of the compared compound's assumed substances (empty without a comparison). */
  readonly activityVariants: readonly VariantRow[];
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

  // The activity-variant comparison: one simulation series per variant of each substance of the
  // compared compound whose activity is an assumption. A variant with the binding of a main
  // series (the one the study uses) is that series: its row is the main result.
  const vc = variantComparison(o.variantComparison, compounds);
  const series = new Map<string, { compound: string; variants?: Variants }>();
  for (const id of reps) series.set(id, { compound: id, ...(vOf(id) ? { variants: vOf(id) } : {}) });
  const variantSeries: { key: string; substance: string; variant: string; main: boolean }[] = [];
  if (vc) {
    for (const sub of vc.substances) {
      for (const variant of sub.variants) {
        const merged = { ...variants, [sub.id]: variant };
        const k = bindingKey(vc.compound, merged);
        const main = keys.get(k) === rep.get(vc.compound);
        if (!keys.has(k)) {
          const key = `${vc.compound}|${sub.id}=${variant}`;
          keys.set(k, key);
          const v = variantsFor(vc.compound, merged).variants;
          series.set(key, { compound: vc.compound, ...(v ? { variants: v } : {}) });
        }
        variantSeries.push({ key: keys.get(k)!, substance: sub.id, variant, main });
      }
    }
  }
  /** Series simulated on the variant grid (the others are main series, on the main grid). */
  const variantKeys = [...new Set(variantSeries.map((x) => x.key))].filter((k) => !reps.includes(k));

  // PK of the trial doses (cheap; needed for the exposure simulations).
  const exposures: ExposureSummary[] = [];
  let trialId: string | null = null;
  let variantExposure: ExposureSummary | null = null;
  if (trial) {
    trialId = getCompound(trial.compound).id;
    if (!compounds.includes(trialId)) throw new PharmacologyError(`the trial compound ${trialId} must be one of the study's compounds`, 'trial.compound');
    if (!(trial.interval_h > 0) || !Number.isFinite(trial.interval_h)) throw new PharmacologyError(`must be a positive number of hours, got ${String(trial.interval_h)}`, 'trial.interval_h');
    const pk = compoundPk(trialId);
    trial.doses_mg.forEach((d, i) => {
      if (typeof d !== 'number' || !(d > 0) || !Number.isFinite(d)) throw new PharmacologyError(`must be a positive number of mg, got ${String(d)}`, `trial.doses_mg[${i}]`);
    });
    for (const dose of trial.doses_mg) exposures.push(trialExposure(pk, dose, trial.interval_h, trial.days ?? 3));
    // The variants at the highest trial dose given as the compared compound (its own PK record).
    if (vc && getCompound(vc.compound).pk) {
      const top = Math.max(...trial.doses_mg);
      variantExposure = vc.compound === trialId ? exposures[trial.doses_mg.indexOf(top)] : trialExposure(compoundPk(vc.compound), top, trial.interval_h, trial.days ?? 3);
    }
  }

  // Tasks.
  const tasks: StudyTask[] = [];
  const ctlRep = reps[0];
  const add = (t: StudyTask): number => tasks.push(t) - 1;
  const ca1Idx = new Map<string, { ca1: number; sig: number }>();
  const ca1Key = (key: string, preset: string, c: number): string => `${key}|${preset}|${c}`;
  /** A CA1 point (firing and signalling) of a series (a main series' key is its compound id). */
  const addCa1 = (key: string, preset: string, c: number): void => {
    const k = ca1Key(key, preset, c);
    if (ca1Idx.has(k)) return;
    const sr = series.get(key)!;
    const base = { compound: sr.compound, preset, concentration_nM: c, ...(sr.variants ? { variants: sr.variants } : {}) };
    ca1Idx.set(k, { ca1: add({ kind: 'ca1', ...base }), sig: add({ kind: 'signalling', ...base }) });
  };
  const vasIdx = new Map<string, number>();
  const addVas = (key: string, c: number): void => {
    const k = `${key}|${c}`;
    if (vasIdx.has(k)) return;
    const sr = series.get(key)!;
    vasIdx.set(k, add({ kind: 'vascular', compound: sr.compound, concentration_nM: c, ...(sr.variants ? { variants: sr.variants } : {}) }));
  };
  /** The CA1 grid of a series before refinement. */
  const gridOf = (key: string): readonly number[] => (variantKeys.includes(key) ? vc!.concentrations_nM : concs);
  for (const preset of presets) addCa1(ctlRep, preset, 0);
  addVas(ctlRep, 0);
  // Expensive CA1 tasks of the target preset first, so the window's inputs come early.
  for (const preset of [target, ...presets.filter((p) => p !== target)]) for (const id of reps) for (const c of concs) addCa1(id, preset, c);
  // The variants in the target preset only (the window, the CNS IC50 and the exposure are read there).
  for (const key of variantKeys) for (const c of gridOf(key)) addCa1(key, target, c);
  for (const key of [...reps, ...variantKeys]) for (const c of vConcs) addVas(key, c);
  const addExposure = (key: string, e: ExposureSummary): void => {
    addCa1(key, target, e.brainFree_nM.avg);
    addCa1(key, target, e.brainFree_nM.max);
    addVas(key, e.plasmaFree_nM.avg);
    addVas(key, e.plasmaFree_nM.max);
  };
  if (trialId) for (const e of exposures) addExposure(rep.get(trialId)!, e);
  if (variantExposure) for (const key of new Set(variantSeries.map((x) => x.key))) addExposure(key, variantExposure);
  // The grid, then the refinement of the window edges (bisection on the log axis, in the target
  // preset), all on one pool so the workers keep their compiled models.
  const refinements = o.edgeRefinements ?? DEFAULT_EDGE_REFINEMENTS;
  if (!Number.isInteger(refinements) || refinements < 0 || refinements > 6) throw new PharmacologyError(`must be an integer 0–6, got ${String(refinements)}`, 'edgeRefinements');
  const refineKeys = [...reps, ...variantKeys];
  const pool = new StudyPool({ ...(o.workers !== undefined ? { workers: o.workers } : {}), ...(o.signal ? { signal: o.signal } : {}) });
  const results: StudyTaskResult[] = [];
  let done = 0;
  const total = tasks.length + refinements * refineKeys.length * 4;
  const tick = (t: StudyTask | undefined, n = 1): void => {
    done += n;
    const variant = t?.variants && Object.keys(t.variants).length ? ` [${Object.entries(t.variants).map(([k, v]) => `${k} ${v}`).join(', ')}]` : '';
    o.onProgress?.(done, total, t ? `${t.kind} ${t.compound}${variant}${'preset' in t ? ` ${t.preset}` : ''} ${fmtNm(t.concentration_nM)}` : 'window edges');
  };
  const tTasks = performance.now();
  let assumptions: StudyAssumption[];
  const refined = new Map<string, number[]>();
  /** The CA1 read-outs of a series at a concentration (the shared control at 0). */
  const pointOf = (key: string, preset: string, c: number): Ca1Point & SignallingPoint => {
    const ix = ca1Idx.get(ca1Key(c === 0 ? ctlRep : key, preset, c))!;
    const a = results[ix.ca1] as Extract<StudyTaskResult, { kind: 'ca1' }>;
    const b = results[ix.sig] as Extract<StudyTaskResult, { kind: 'signalling' }>;
    return { ...a.values, ...b.values };
  };
  try {
    const running = pool.run(tasks, tick);
    // Built while the workers simulate (this thread is otherwise idle).
    assumptions = collectAssumptions(compounds, presets, variants, fraction, trial, studyCompounds, vc, target);
    results.push(...(await running));
    for (let round = 0; round < refinements; round++) {
      const from = tasks.length;
      const y0 = pointOf(ctlRep, 'young', 0);
      for (const key of refineKeys) {
        const cs = [0, ...gridOf(key), ...(refined.get(key) ?? [])].sort((x, y) => x - y);
        const pts = cs.map((c) => ({ c, p: pointOf(key, target, c) }));
        for (const [rk, threshold] of [['caLoad_uM_s', 1], ['pcrebRise', fraction]] as const) {
          const i = pts.findIndex((x) => x.p[rk] / y0[rk] <= threshold);
          if (i < 1 || pts[i - 1].c <= 0) continue;
          const mid = Math.sqrt(pts[i - 1].c * pts[i].c);
          const list = refined.get(key) ?? [];
          if (!list.includes(mid)) list.push(mid);
          refined.set(key, list);
          addCa1(key, target, mid);
        }
      }
      const batch = tasks.slice(from);
      tick(undefined, refineKeys.length * 4 - batch.length);
      results.push(...(await pool.run(batch, tick)));
    }
  } finally {
    await pool.close();
  }
  const taskMs = performance.now() - tTasks;
  const ca1Of = (id: string, preset: string, c: number): Ca1Point & SignallingPoint => pointOf(rep.get(id)!, preset, c);
  const vasAt = (key: string, c: number): VascularPoint => (results[vasIdx.get(`${c === 0 ? ctlRep : key}|${c}`)!] as Extract<StudyTaskResult, { kind: 'vascular' }>).values;
  const vasOf = (id: string, c: number): VascularPoint => vasAt(rep.get(id)!, c);
  /** Concentrations of a series' CA1 rows in a preset: its grid, and the edge refinements in the target preset. */
  const concsAt = (key: string, preset: string): number[] => [...gridOf(key), ...(preset === target ? refined.get(key) ?? [] : [])].sort((x, y) => x - y);
  const concsOf = (id: string, preset: string): number[] => concsAt(rep.get(id)!, preset);

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

  // The activity variants: the same window, selectivity and exposure arithmetic on each series.
  const activityVariants: VariantRow[] = [];
  if (vc) {
    const ctl = pointOf(ctlRep, target, 0);
    // A rise has no floor at 0: its plateau (the fit's `bottom`) is fitted.
    const half = (cs: readonly number[], r: readonly number[]): HalfMaximal => {
      const f0 = fitRelative(cs, r, false);
      const f = f0.effect === 'stimulation' ? fitRelative(cs, r, true) : f0;
      return { effect: f.effect, halfMax_nM: f.fit ? f.fit.ic50_nM : null, ci: f.fit ? f.fit.ic50_ci_nM : null };
    };
    for (const s of variantSeries) {
      const rec = getCompound(s.substance);
      const act = rec.kind === 'substance' ? rec.variants?.[s.variant] : undefined;
      const cs = concsAt(s.key, target);
      const rows = [0, ...cs].map((c) => {
        const x = pointOf(s.key, target, c);
        return { concentration_nM: c, relControl: rel(x, ctl), relYoung: rel(x, young0) };
      });
      const vrows = [0, ...vConcs].map((c) => ({ concentration_nM: c, iCaRel: vasAt(s.key, c).iCa_pA / vas0.iCa_pA }));
      const cns = half(cs, rows.slice(1).map((x) => x.relControl.lTypeCharge_pC));
      const vasc = half(vConcs, vrows.slice(1).map((x) => x.iCaRel));
      const effects: VariantExposureEffect[] = [];
      if (variantExposure) {
        for (const level of ['average', 'peak'] as const) {
          const cb = level === 'average' ? variantExposure.brainFree_nM.avg : variantExposure.brainFree_nM.max;
          const cp = level === 'average' ? variantExposure.plasmaFree_nM.avg : variantExposure.plasmaFree_nM.max;
          const x = pointOf(s.key, target, cb);
          effects.push({ level, brainFree_nM: cb, plasmaFree_nM: cp, relControl: rel(x, ctl), relYoung: rel(x, young0), occupancy: x.occupancy, vascularRel: vasAt(s.key, cp).iCa_pA / vas0.iCa_pA });
        }
      }
      activityVariants.push({
        compound: vc.compound, substance: s.substance, substanceName: rec.name, variant: s.variant,
        isDefault: rec.kind === 'substance' && rec.defaultVariant === s.variant, main: s.main,
        action: act?.action ?? 'unknown', description: act?.description ?? '',
        concentrations_nM: gridOf(s.key),
        window: therapeuticWindow(vc.compound, target, fraction, rows, vrows),
        cns, vascular: vasc,
        selectivityIndex: cns.effect === 'inhibition' && vasc.effect === 'inhibition' && cns.halfMax_nM !== null && vasc.halfMax_nM !== null ? vasc.halfMax_nM / cns.halfMax_nM : null,
        exposure: variantExposure ? { dose_mg: variantExposure.dose_mg, interval_h: variantExposure.interval_h, effects } : null,
      });
    }
  }

  // Models and assumptions.
  const models = new Map<string, ModelRef>();
  for (const r of results) for (const m of r.models) models.set(`${m.hash}|${m.label}`, m);

  return {
    options: {
      compounds, presets, concentrations_nM: concs, vascularConcentrations_nM: vConcs, pcrebFraction: fraction, trial, variants, edgeRefinements: refinements,
      variantComparison: vc ? { compound: vc.compound, substances: vc.substances.map((x) => x.id), concentrations_nM: vc.concentrations_nM } : null,
      target,
    },
    compounds: studyCompounds, ca1, vascular, fits, windows, selectivity, exposures, exposureEffects, activityVariants,
    models: [...models.values()].sort((a, b) => a.label.localeCompare(b.label)),
    assumptions,
    solver: { ca1: CA1_TOLERANCES, signalling: SIGNALLING_TOLERANCES, method: 'bdf (variable order, analytic Jacobian)' },
    stats: { simulations: tasks.length, workers: pool.workers, threads: pool.threads, wallMs: performance.now() - t0, taskMs },
  };
}

/** The steady state of one trial dose and the approach to it. */
function trialExposure(pk: PkParameters, dose: number, interval_h: number, days: number): ExposureSummary {
  const ss = steadyStatePk(pk, dose, interval_h, 96);
  const sum = summarizePk(ss);
  const range = (a: Float64Array): { min: number; avg: number; max: number } => {
    let auc = 0;
    for (let k = 1; k < a.length; k++) auc += 0.5 * (a[k] + a[k - 1]) * (ss.t_h[k] - ss.t_h[k - 1]);
    return { min: Math.min(...a), avg: auc / interval_h, max: Math.max(...a) };
  };
  const count = Math.max(1, Math.round((days * 24) / interval_h));
  const approach = simulatePk(pk, { kind: 'repeated', dose_mg: dose, interval_h, count }, { times_h: grid(0, days * 24, days * 96) });
  return {
    dose_mg: dose, interval_h,
    plasma: { ...sum, cavg_ug_per_L: sum.auc_ug_h_per_L / interval_h },
    plasmaFree_nM: range(ss.plasmaFree_nM), brainFree_nM: range(ss.brainFree_nM),
    steadyState: ss, approach,
  };
}

/** The resolved activity-variant comparison: the compound, its substances with variants, and the CA1 grid. */
interface ResolvedVariantComparison {
  readonly compound: string;
  readonly substances: readonly { readonly id: string; readonly variants: readonly string[] }[];
  readonly concentrations_nM: readonly number[];
}

function variantComparison(spec: VariantComparisonSpec | null | undefined, compounds: readonly string[]): ResolvedVariantComparison | null {
  if (spec === null) return null;
  const substancesOf = (id: string): { id: string; variants: string[] }[] => resolveCompound(id).components.flatMap((c) => {
    const rec = getCompound(c.substanceId);
    return rec.kind === 'substance' && rec.variants ? [{ id: rec.id, variants: Object.keys(rec.variants) }] : [];
  });
  let compound: string | undefined;
  if (spec?.compound !== undefined) {
    compound = getCompound(spec.compound).id;
    if (!compounds.includes(compound)) throw new PharmacologyError(`${compound} is not one of the study's compounds`, 'variantComparison.compound');
    if (substancesOf(compound).length === 0) throw new PharmacologyError(`${compound} has no substance whose activity is an assumption (no variants)`, 'variantComparison.compound');
  } else {
    compound = compounds.find((id) => substancesOf(id).length > 0);
    if (compound === undefined) return null;
  }
  const concentrations_nM = checkConcs(spec?.concentrations_nM ?? VARIANT_CONCENTRATIONS_NM, 'variantComparison.concentrations_nM');
  return { compound, substances: substancesOf(compound), concentrations_nM };
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
function collectAssumptions(
  compounds: readonly string[], presets: readonly string[], variants: Variants, fraction: number, trial: TrialSpec | null, sc: readonly StudyCompound[],
  vc: ResolvedVariantComparison | null, target: string,
): StudyAssumption[] {
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
  const vcPk = vc !== null && trial !== null && getCompound(vc.compound).pk !== undefined;
  if (vc) {
    const list = vc.substances.map((x) => `${x.id}: ${x.variants.join(', ')}`).join('; ');
    study('variants.comparison', null, undefined, `${vc.compound} is also simulated with each activity variant of its substances whose activity is unknown (${list}), in the ${target} CA1 neuron at ${vc.concentrations_nM.map(fmtNm).join(', ')} (edges refined as in the main grid) and in the vascular cell on the main vascular grid; the variant the study uses is the main result itself${vcPk && trial ? `; its exposure is the steady state of ${Math.max(...trial.doses_mg)} mg every ${trial.interval_h} h given as ${vc.compound}, under that compound's PK record` : ''}`);
  }

  // Compound numbers (binding of the study's compounds, PK of the trial compound).
  const seen = new Set<string>();
  const notes: AssumptionNote[] = [];
  // PK numbers are used for the trial compound only.
  const trialId = trial ? getCompound(trial.compound).id : undefined;
  for (const id of compounds) notes.push(...resolveCompound(id, variantsFor(id, variants)).assumptions.filter((n) => id === trialId || !n.field.startsWith(`${id}.pk.`)));
  // The compared variants' binding numbers, and the compared compound's PK when its exposure is simulated.
  if (vc) {
    for (const sub of vc.substances) {
      for (const variant of sub.variants) {
        // (The variant is the comparison's choice, listed as `study.variants.comparison`, not the user's.)
        notes.push(...resolveCompound(vc.compound, variantsFor(vc.compound, { ...variants, [sub.id]: variant })).assumptions
          .filter((n) => n.field !== `${sub.id}.variant` && (vcPk || !n.field.startsWith(`${vc.compound}.pk.`))));
      }
    }
  }
  for (const n of notes) {
    const key = `${n.field}|${n.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const v = noteValue(n);
    out.push({ name: n.field, value: v.value, ...(v.unit ? { unit: v.unit } : {}), text: n.text, kind: 'compound' });
  }

  // Model parameters resting on assumptions (the cells with every study compound attached).
  const params = new Map<string, StudyAssumption>();
  /** `onlyNew`: skip a value already listed under the name in any cell (for the variant cells, whose other parameters are the study's). */
  const addModel = (ps: readonly { name: string; value: number; unit?: string; provenance?: { assumption?: string } }[], where: string, onlyNew = false): void => {
    for (const p of ps) {
      if (!p.provenance?.assumption) continue;
      const prev = params.get(p.name);
      if (prev && prev.value === p.value) continue;
      if (onlyNew && [...params.values()].some((a) => (a.name === p.name || a.name.startsWith(`${p.name} (`)) && a.value === p.value)) continue;
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
  if (vc) {
    for (const sub of vc.substances) {
      for (const variant of sub.variants) {
        const vv = { ...variants, [sub.id]: variant };
        const where = `${sub.id} ${variant}`;
        addModel(buildCell({ ...drugCell(baseSpec('ca1', undefined, target), [vc.compound], vv).spec, input: { clamp: 'current', steps: 0, trains: 0 } }).model.parameters, where, true);
        addModel(buildCell({ ...drugCell(baseSpec('vascular'), [vc.compound], vv).spec, input: { clamp: 'current', steps: 0, trains: 0 } }).model.parameters, where, true);
      }
    }
  }
  out.push(...params.values());
  return out;
}
