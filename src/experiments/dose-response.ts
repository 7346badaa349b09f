/**
 * Concentration–response of the peak L-type current: the cell is voltage-clamped at a holding
 * potential with the drug at binding equilibrium (the modulated-receptor scheme starts at its
 * equilibrium for the holding potential, see `pharmacology/modulated-receptor.ts`), a test pulse
 * is given, and the peak inward L-type current is compared with the drug-free peak. The IC50 and
 * Hill slope are fitted with their 95 % confidence intervals (own Levenberg–Marquardt).
 *
 * Why the peak reflects equilibrium binding: DHP binding relaxes over seconds to minutes
 * (kon ≈ 1e6 /M/s, see the compound records) while the test pulse lasts tens of milliseconds,
 * so the bound fraction hardly changes during the pulse, as in the experiments of Bean (1984).
 */
import type { CellSpec, ContextName } from '../biology/contexts.js';
import { CONTEXTS } from '../biology/contexts.js';
import type { Isoform } from '../pharmacology/compound-schema.js';
import { type AssumptionNote, getCompound } from '../pharmacology/library.js';
import { PharmacologyError } from '../pharmacology/quantity.js';
import { voltageStep } from '../protocols/protocol.js';
import { runProtocol, type Trace } from '../protocols/run.js';
import { isSuccessful } from '../solve/types.js';
import { CellExperimentFailed } from './cell.js';
import { drugCell, type DrugCell } from '../pharmacology/drug-cell.js';
import { fitHill, type HillFit } from './fit/hill.js';
import { peakInward } from './readouts.js';

type Spec = Omit<CellSpec, 'input'>;

/** Default holding potentials (mV): heterologous and cardiac as in Bean's polarised condition, CA1 near rest, arterial smooth muscle near its resting potential (DESIGN: −40 to −50 mV). */
export const DEFAULT_HOLDING: Readonly<Record<ContextName, number>> = { heterologous: -80, ca1: -65, vascular: -45, cardiac: -80 };

/** Default concentrations: 1 pM to 100 µM, two per decade. */
export const DEFAULT_CONCENTRATIONS: readonly number[] = Array.from({ length: 17 }, (_, k) => Math.pow(10, -3 + k / 2));

export interface VoltageProtocolOptions {
  /** Holding potential (mV); default by context ({@link DEFAULT_HOLDING}). */
  readonly holding_mV?: number;
  /**
   * Test potential (mV); default the voltage of maximal drug-free current from −80 mV, so that
   * every holding potential is tested at the same voltage.
   */
  readonly test_mV?: number;
  /** Test pulse duration (ms, default 50). */
  readonly testDuration_ms?: number;
}

export interface DoseResponseOptions extends VoltageProtocolOptions {
  readonly compound: string;
  readonly context: ContextName;
  /** Heterologous: the expressed isoform (default cav12); CA1: the isoform whose current is measured (default both); vascular and cardiac: cav12 only. */
  readonly isoform?: Isoform;
  readonly preset?: string;
  /** Concentrations (nM) besides the drug-free control; default {@link DEFAULT_CONCENTRATIONS}. */
  readonly concentrations_nM?: readonly number[];
  /** Activity variants of substances whose activity is an assumption (`{ 'mem1003-minus': 'agonist' }`). */
  readonly variants?: Readonly<Record<string, string>>;
  /** Other compounds present at fixed concentrations (nM), e.g. Bay K 8644 with a DHP antagonist. */
  readonly background?: Readonly<Record<string, number>>;
  /** Called after each concentration is simulated (`done` of `total`), for progress display. Default: none. */
  readonly onConcentration?: (done: number, total: number, concentration_nM: number) => void;
}

export interface ResponsePoint {
  readonly concentration_nM: number;
  /** Peak inward L-type current (pA, negative inward). */
  readonly peak_pA: number;
  /** Peak relative to the drug-free control. */
  readonly response: number;
}

export interface DoseResponseResult {
  readonly compound: string;
  readonly name: string;
  readonly context: ContextName;
  readonly preset?: string;
  /** Isoforms whose current was measured. */
  readonly measured: readonly Isoform[];
  readonly holding_mV: number;
  readonly test_mV: number;
  /**
   * Whether the compound lowers (inhibition) or raises (stimulation) the peak, both at different
   * concentrations (mixed: e.g. a racemate of an agonist and an antagonist), or neither.
   */
  readonly effect: 'inhibition' | 'stimulation' | 'mixed' | 'none';
  readonly control_pA: number;
  readonly points: readonly ResponsePoint[];
  /**
   * The Hill fit; absent when the effect is below 5 % everywhere, mixed, or not described by a
   * Hill curve with its midpoint inside the tested range (±1 decade).
   */
  readonly fit?: HillFit;
  readonly ic50_nM: number | null;
  /** Response at saturation from the fit (0 = full block; above 1 for an agonist). */
  readonly bottom: number | null;
  readonly ic50_ci_nM: readonly [number, number] | null;
  readonly hill: number | null;
  readonly hill_ci: readonly [number, number] | null;
  readonly assumptions: readonly AssumptionNote[];
}

const checkMv = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PharmacologyError(`must be a number of mV, got ${String(v)}`, field);
  if (v < -150 || v > 100) throw new PharmacologyError(`${v} mV is outside −150…+100 mV`, field);
  return v;
};

/** Cell spec of a context for a voltage-clamp drug experiment. */
export function baseSpec(context: ContextName, isoform?: Isoform, preset?: string): Spec {
  if (!CONTEXTS.includes(context)) throw new PharmacologyError(`unknown context '${String(context)}' (expected ${CONTEXTS.join(', ')})`, 'context');
  if (isoform !== undefined && isoform !== 'cav12' && isoform !== 'cav13') throw new PharmacologyError(`unknown isoform '${String(isoform)}' (expected cav12 or cav13)`, 'isoform');
  if ((context === 'vascular' || context === 'cardiac') && isoform === 'cav13') throw new PharmacologyError(`the ${context} context has Cav1.2 only`, 'isoform');
  return {
    context,
    ...(preset !== undefined ? { preset } : {}),
    ...(context === 'heterologous' ? { isoform: isoform ?? 'cav12' } : {}),
  };
}

/** Peak inward current (pA) of the measured L-type isoforms during a test pulse. */
export function peakLTypeCurrent(cell: DrugCell, measured: readonly Isoform[], set: Readonly<Record<string, number>>, holding: number, test: number, duration = 50): number {
  const pre = 10;
  const tr = runProtocol(cell.spec, voltageStep(holding, test, duration, pre, 5), { dt: 0.02, set });
  if (!isSuccessful(tr.retcode)) throw new CellExperimentFailed(`test pulse ${holding} → ${test} mV`, tr);
  const I = lTypeCurrent(tr, measured);
  // Stop before the step ends: the sample at the step end already carries the tail current.
  return Math.min(0, peakInward(tr.t, I, pre + 0.01, pre + duration - 0.1).value);
}

/** The summed current of the given isoforms (pA) along a trace. */
export function lTypeCurrent(tr: Trace, isoforms: readonly Isoform[]): Float64Array {
  const area = tr.p[tr.compiled.symbols.index.get('mem.area')!.index];
  const out = new Float64Array(tr.t.length);
  for (const iso of isoforms) {
    const s = tr.series(`${iso}.I`);
    for (let k = 0; k < out.length; k++) out[k] += s[k] * area * 1e6;
  }
  return out;
}

/** Holding potential from which the default test potential is found (mV). */
export const POLARISED_HOLDING = -80;

/** The test potential of maximal drug-free current from `holding`: a 10 mV scan of −50…+40 mV refined to 2.5 mV. */
export function peakTestPotential(cell: DrugCell, measured: readonly Isoform[], holding = POLARISED_HOLDING, background: Readonly<Record<string, number>> = {}): number {
  const set = cell.concentrations(background);
  const at = new Map<number, number>();
  const peak = (v: number): number => {
    if (!at.has(v)) at.set(v, peakLTypeCurrent(cell, measured, set, holding, v));
    return at.get(v)!;
  };
  let best = 0;
  for (let v = -50; v <= 40; v += 10) if (peak(v) < peak(best)) best = v;
  for (const step of [5, 2.5]) {
    const cands = [best - step, best, best + step];
    best = cands.reduce((a, b) => (peak(b) < peak(a) ? b : a));
  }
  return best;
}

/**
 * Runs the concentration–response experiment (see the module comment).
 * @throws PharmacologyError for bad options (naming the field); CellExperimentFailed when a
 * simulation does not reach its end.
 */
export function concentrationResponse(o: DoseResponseOptions): DoseResponseResult {
  const base = baseSpec(o.context, o.isoform, o.preset);
  const holding = checkMv(o.holding_mV ?? DEFAULT_HOLDING[o.context], 'holding_mV');
  const duration = o.testDuration_ms ?? 50;
  if (!(duration > 0 && duration <= 10_000)) throw new PharmacologyError(`must be in (0, 10000] ms, got ${String(duration)}`, 'testDuration_ms');
  const concs = o.concentrations_nM ?? DEFAULT_CONCENTRATIONS;
  concs.forEach((c, i) => {
    if (typeof c !== 'number' || !Number.isFinite(c) || c <= 0) throw new PharmacologyError(`must be a positive number of nM, got ${String(c)}`, `concentrations_nM[${i}]`);
  });
  const background = o.background ?? {};
  const cell = drugCell(base, [o.compound, ...Object.keys(background)], o.variants);
  const measured: Isoform[] = o.context === 'ca1' && o.isoform ? [o.isoform] : [...cell.isoforms];
  const test = o.test_mV !== undefined ? checkMv(o.test_mV, 'test_mV') : peakTestPotential(cell, measured, POLARISED_HOLDING, background);
  const main = getCompound(o.compound).id;
  const at = (c: number): number => peakLTypeCurrent(cell, measured, cell.concentrations({ ...background, [main]: c }), holding, test, duration);
  const control = at(0);
  if (!(control < 0)) throw new PharmacologyError(`no inward L-type current at ${test} mV from ${holding} mV: choose another test potential`, 'test_mV');
  const points: ResponsePoint[] = concs.map((c, i) => {
    const pk = at(c);
    o.onConcentration?.(i + 1, concs.length, c);
    return { concentration_nM: c, peak_pA: pk, response: pk / control };
  });
  const effect = classifyEffect(points.map((p) => p.response));
  const fit = effect === 'inhibition' || effect === 'stimulation' ? fitResponse(points, effect) : undefined;
  return {
    compound: main,
    name: getCompound(main).name,
    context: o.context,
    ...(o.preset !== undefined ? { preset: o.preset } : {}),
    measured,
    holding_mV: holding,
    test_mV: test,
    effect,
    control_pA: control,
    points,
    ...(fit ? { fit } : {}),
    ic50_nM: fit ? fit.ic50_nM : null,
    bottom: fit ? fit.bottom : null,
    ic50_ci_nM: fit ? fit.ic50_ci_nM : null,
    hill: fit ? fit.hill : null,
    hill_ci: fit ? fit.hill_ci : null,
    assumptions: cell.assumptions,
  };
}

/** Inhibition/stimulation/mixed/none from the relative responses (5 % threshold). */
export function classifyEffect(responses: readonly number[]): DoseResponseResult['effect'] {
  const down = responses.some((r) => r < 0.95);
  const up = responses.some((r) => r > 1.05);
  return down && up ? 'mixed' : down ? 'inhibition' : up ? 'stimulation' : 'none';
}

/**
 * Hill fit of a monotonic response. An inhibitor is first fitted with full block at saturation
 * (the modulated-receptor limit of an antagonist); if that does not describe the data (rmse above
 * 0.02, as with partial block by a racemate whose other enantiomer activates), the saturating
 * level is fitted too. A fit whose IC50 lies more than a decade outside the tested range is
 * discarded rather than reported.
 */
export function fitResponse(points: readonly { concentration_nM: number; response: number }[], effect: 'inhibition' | 'stimulation'): HillFit | undefined {
  const data = [{ concentration_nM: 0, response: 1 }, ...points.map((p) => ({ concentration_nM: p.concentration_nM, response: p.response }))];
  const cs = points.map((p) => p.concentration_nM);
  const lo = Math.min(...cs) / 10;
  const hi = Math.max(...cs) * 10;
  const inRange = (f: HillFit): boolean => f.converged && f.ic50_nM >= lo && f.ic50_nM <= hi;
  if (effect === 'inhibition' && data.length >= 3) {
    const full = fitHill(data);
    if (inRange(full) && full.rmse <= 0.02) return full;
  }
  // Three parameters need at least four points (control included).
  if (data.length < 4) return undefined;
  const free = fitHill(data, { fitBottom: true });
  return inRange(free) ? free : undefined;
}
