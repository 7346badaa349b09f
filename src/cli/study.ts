/**
 * `ltcc study [--out DIR] [--quick] [--json]`: the default study (what `npm start` runs) —
 * (Rac)-MEM 1003, (+)-MEM 1003, the (−)-enantiomer and nimodipine in young and aged CA1
 * neurons and in arterial smooth muscle: concentration–response of Ca²⁺ load, sAHP, pCREB,
 * c-fos and the vascular Cav1.2 current, the therapeutic window, the CNS/vascular selectivity
 * index, the free brain concentrations of the trial doses, and the racemate's window,
 * selectivity and trial-dose effects under each activity assumption of the (−)-enantiomer.
 * Writes `report.html`, CSV/JSON tables, plots (SVG, PNG), `study.json` and `manifest.json` to
 * the output folder (staged and moved into place when complete), records the run in the run
 * store, and prints a summary.
 */
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { type Ca1Key, type StudyResult, type VariantExposureEffect, type VariantRow, CA1_READOUTS, DEFAULT_PCREB_FRACTION, QUICK_CONCENTRATIONS_NM, QUICK_VASCULAR_CONCENTRATIONS_NM, fmtNm, runStudy } from '../experiments/study.js';
import { StudyInterrupted } from '../experiments/study-pool.js';
import { StudySimulationFailed } from '../experiments/study-tasks.js';
import { InputError } from '../io/errors.js';
import { MANIFEST_FORMAT, type AssumptionUsed, type FileEntry, type RunManifest, type SummaryRow } from '../io/store/manifest.js';
import { DEFAULT_STORE, RunStore } from '../io/store/store.js';
import { StagedDir, writeFileAtomic } from '../io/writers/atomic.js';
import { toCsv } from '../io/writers/csv.js';
import { tableToJson, toJson } from '../io/writers/json.js';
import type { Column, Table } from '../io/writers/table.js';
import { svgToPng } from '../report/plots.js';
import { type StudyFigure, renderStudyReport, studyFigures } from '../report/study-report.js';
import { VERSION } from '../version.js';
import { SimulationFailed } from './errors.js';
import { isQuiet, startProgress } from './progress.js';

export interface StudyCommandOptions {
  /** Output folder. Default `out/study`. */
  out?: string;
  /** One concentration per decade (about half the simulations). Default false. */
  quick?: boolean;
  /** Print the result summary as JSON on stdout. Default false. */
  json?: boolean;
  /** Fraction of the young pCREB rise the window keeps (string from the command line). Default 0.5. */
  pcrebFraction?: string;
  /** Worker threads (string from the command line). Default: the available parallelism. */
  jobs?: string;
  /** Run store path, or false for none. Default `$LTCC_STORE` or `out/ltcc-runs.sqlite`. */
  store?: string | false;
  /** Also write PNG copies of the plots. Default true. */
  png?: boolean;
}

/** Where text goes (stdout, or a buffer in tests). */
export interface StudySink {
  write(s: string): unknown;
}

/** What the command produced. */
export interface StudyOutcome {
  readonly result: StudyResult;
  readonly outDir: string;
  readonly manifest: RunManifest;
  readonly id?: number;
}

const READOUT_FILE: Readonly<Record<Ca1Key, string>> = { caLoad_uM_s: 'ca_load', ahpArea_mV_s: 'sahp', pcrebRise: 'pcreb', cfosRise: 'cfos', lTypeCharge_pC: 'ltype_entry' };

const fmtOr = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : fmtNm(x));
const nOrNaN = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);

/** The study's tables (one CSV/JSON pair each). */
export function studyTables(r: StudyResult): { name: string; description: string; table: Table }[] {
  const ca1Cols: Column[] = [
    { name: 'compound', values: r.ca1.map((x) => x.compound) },
    { name: 'computed_as', values: r.ca1.map((x) => r.compounds.find((c) => c.id === x.compound)?.sameBindingAs ?? x.compound) },
    { name: 'preset', values: r.ca1.map((x) => x.preset) },
    { name: 'concentration', unit: 'nM', values: r.ca1.map((x) => x.concentration_nM) },
    { name: 'occupancy_rest', values: r.ca1.map((x) => x.occupancy) },
    { name: 'ltype_charge', unit: 'pC', values: r.ca1.map((x) => x.lTypeCharge_pC) },
    { name: 'ca_load', unit: 'uM*s', values: r.ca1.map((x) => x.caLoad_uM_s) },
    { name: 'train_spikes', values: r.ca1.map((x) => x.trainSpikes) },
    { name: 'sahp_area', unit: 'mV*s', values: r.ca1.map((x) => x.ahpArea_mV_s) },
    { name: 'ahp_amplitude', unit: 'mV', values: r.ca1.map((x) => x.ahpAmplitude_mV) },
    { name: 'burst_spikes', values: r.ca1.map((x) => x.burstSpikes) },
    { name: 'pcreb_baseline', unit: 'fraction', values: r.ca1.map((x) => x.pcrebBaseline) },
    { name: 'pcreb_rise', unit: 'fraction', values: r.ca1.map((x) => x.pcrebRise) },
    { name: 'cfos_baseline', unit: 'relative', values: r.ca1.map((x) => x.cfosBaseline) },
    { name: 'cfos_rise', unit: 'relative', values: r.ca1.map((x) => x.cfosRise) },
    { name: 'occupancy_depolarised', values: r.ca1.map((x) => x.occupancyDepolarised) },
    ...CA1_READOUTS.map((ro) => ({ name: `${READOUT_FILE[ro.key]}_rel_control`, values: r.ca1.map((x) => x.relControl[ro.key]) })),
    ...CA1_READOUTS.map((ro) => ({ name: `${READOUT_FILE[ro.key]}_rel_young`, values: r.ca1.map((x) => x.relYoung[ro.key]) })),
  ];
  const vas: Table = { columns: [
    { name: 'compound', values: r.vascular.map((x) => x.compound) },
    { name: 'concentration', unit: 'nM', values: r.vascular.map((x) => x.concentration_nM) },
    { name: 'occupancy', values: r.vascular.map((x) => x.occupancy) },
    { name: 'cav12_ica', unit: 'pA', values: r.vascular.map((x) => x.iCa_pA) },
    { name: 'cav12_ica_rel', values: r.vascular.map((x) => x.iCaRel) },
    { name: 'ca_cyt', unit: 'uM', values: r.vascular.map((x) => x.caCyt_uM) },
    { name: 'ca_cyt_rel', values: r.vascular.map((x) => x.caCytRel) },
    { name: 'v', unit: 'mV', values: r.vascular.map((x) => x.v_mV) },
  ] };
  const fits: Table = { columns: [
    { name: 'compound', values: r.fits.map((x) => x.compound) },
    { name: 'context', values: r.fits.map((x) => x.context) },
    { name: 'preset', values: r.fits.map((x) => x.preset) },
    { name: 'readout', values: r.fits.map((x) => x.readout) },
    { name: 'effect', values: r.fits.map((x) => x.effect) },
    { name: 'ic50', unit: 'nM', values: r.fits.map((x) => nOrNaN(x.fit?.ic50_nM)) },
    { name: 'ic50_ci_low', unit: 'nM', values: r.fits.map((x) => nOrNaN(x.fit?.ic50_ci_nM[0])) },
    { name: 'ic50_ci_high', unit: 'nM', values: r.fits.map((x) => nOrNaN(x.fit?.ic50_ci_nM[1])) },
    { name: 'hill', values: r.fits.map((x) => nOrNaN(x.fit?.hill)) },
    { name: 'bottom', values: r.fits.map((x) => nOrNaN(x.fit?.bottom)) },
    { name: 'rmse', values: r.fits.map((x) => nOrNaN(x.fit?.rmse)) },
  ] };
  const win: Table = { columns: [
    { name: 'compound', values: r.windows.map((x) => x.compound) },
    { name: 'preset', values: r.windows.map((x) => x.preset) },
    { name: 'pcreb_fraction', values: r.windows.map((x) => x.pcrebFraction) },
    { name: 'status', values: r.windows.map((x) => x.status) },
    { name: 'lower', unit: 'nM', values: r.windows.map((x) => nOrNaN(x.lower_nM)) },
    { name: 'upper', unit: 'nM', values: r.windows.map((x) => nOrNaN(x.upper_nM)) },
    { name: 'width', values: r.windows.map((x) => nOrNaN(x.width)) },
    { name: 'sahp_rel_young_at_lower', values: r.windows.map((x) => nOrNaN(x.atLower?.sahpRelYoung)) },
    { name: 'pcreb_rel_young_at_lower', values: r.windows.map((x) => nOrNaN(x.atLower?.pcrebRelYoung)) },
    { name: 'cfos_rel_young_at_lower', values: r.windows.map((x) => nOrNaN(x.atLower?.cfosRelYoung)) },
    { name: 'vascular_ica_rel_at_lower', values: r.windows.map((x) => nOrNaN(x.atLower?.vascularRel)) },
    { name: 'detail', values: r.windows.map((x) => x.detail) },
  ] };
  const presets = r.options.presets;
  const sel: Table = { columns: [
    { name: 'compound', values: r.selectivity.map((x) => x.compound) },
    ...presets.flatMap((p) => [
      { name: `cns_ic50_${p}`, unit: 'nM', values: r.selectivity.map((x) => nOrNaN(x.cns[p]?.ic50_nM)) },
      { name: `cns_ic50_${p}_ci_low`, unit: 'nM', values: r.selectivity.map((x) => nOrNaN(x.cns[p]?.ci?.[0])) },
      { name: `cns_ic50_${p}_ci_high`, unit: 'nM', values: r.selectivity.map((x) => nOrNaN(x.cns[p]?.ci?.[1])) },
    ]),
    { name: 'vascular_ic50', unit: 'nM', values: r.selectivity.map((x) => nOrNaN(x.vascularIc50_nM)) },
    { name: 'vascular_ic50_ci_low', unit: 'nM', values: r.selectivity.map((x) => nOrNaN(x.vascularCi?.[0])) },
    { name: 'vascular_ic50_ci_high', unit: 'nM', values: r.selectivity.map((x) => nOrNaN(x.vascularCi?.[1])) },
    ...presets.map((p) => ({ name: `selectivity_index_${p}`, values: r.selectivity.map((x) => nOrNaN(x.index[p])) })),
  ] };
  const av = r.activityVariants;
  const atLevel = (x: VariantRow, level: 'average' | 'peak'): VariantExposureEffect | undefined => x.exposure?.effects.find((e) => e.level === level);
  const variantsTable: Table = { columns: [
    { name: 'compound', values: av.map((x) => x.compound) },
    { name: 'substance', values: av.map((x) => x.substance) },
    { name: 'variant', values: av.map((x) => x.variant) },
    { name: 'action', values: av.map((x) => x.action) },
    { name: 'default', values: av.map((x) => String(x.isDefault)) },
    { name: 'used_by_study', values: av.map((x) => String(x.main)) },
    { name: 'preset', values: av.map((x) => x.window.preset) },
    { name: 'window_status', values: av.map((x) => x.window.status) },
    { name: 'window_lower', unit: 'nM', values: av.map((x) => nOrNaN(x.window.lower_nM)) },
    { name: 'window_upper', unit: 'nM', values: av.map((x) => nOrNaN(x.window.upper_nM)) },
    { name: 'cns_effect', values: av.map((x) => x.cns.effect) },
    { name: 'cns_half_max', unit: 'nM', values: av.map((x) => nOrNaN(x.cns.halfMax_nM)) },
    { name: 'vascular_effect', values: av.map((x) => x.vascular.effect) },
    { name: 'vascular_half_max', unit: 'nM', values: av.map((x) => nOrNaN(x.vascular.halfMax_nM)) },
    { name: 'selectivity_index', values: av.map((x) => nOrNaN(x.selectivityIndex)) },
    { name: 'dose', unit: 'mg', values: av.map((x) => nOrNaN(x.exposure?.dose_mg)) },
    { name: 'interval', unit: 'h', values: av.map((x) => nOrNaN(x.exposure?.interval_h)) },
    ...(['average', 'peak'] as const).flatMap((level) => [
      { name: `brain_free_${level}`, unit: 'nM', values: av.map((x) => nOrNaN(atLevel(x, level)?.brainFree_nM)) },
      { name: `ca_load_rel_control_${level}`, values: av.map((x) => nOrNaN(atLevel(x, level)?.relControl.caLoad_uM_s)) },
      { name: `pcreb_rel_young_${level}`, values: av.map((x) => nOrNaN(atLevel(x, level)?.relYoung.pcrebRise)) },
      { name: `vascular_ica_rel_${level}`, values: av.map((x) => nOrNaN(atLevel(x, level)?.vascularRel)) },
    ]),
    { name: 'detail', values: av.map((x) => x.window.detail) },
  ] };
  const out = [
    { name: 'ca1', description: 'CA1 read-outs per compound, preset and concentration (CSV/JSON)', table: { columns: ca1Cols } },
    { name: 'vascular', description: 'vascular read-outs per compound and concentration (CSV/JSON)', table: vas },
    { name: 'fits', description: 'Hill fits (IC50, 95 % CI, slope, bottom) per read-out (CSV/JSON)', table: fits },
    { name: 'window', description: 'therapeutic window per compound (CSV/JSON)', table: win },
    { name: 'selectivity', description: 'CNS/vascular selectivity index per compound (CSV/JSON)', table: sel },
  ];
  if (av.length) out.push({ name: 'variants', description: 'window, selectivity and trial-dose effects of the compared compound under each activity variant (CSV/JSON)', table: variantsTable });
  if (r.exposures.length) {
    const pk = r.exposures.flatMap((e) => Array.from(e.approach.t_h, (t, k) => ({ dose: e.dose_mg, t, p: e.approach.plasma_ug_per_L[k], f: e.approach.plasmaFree_nM[k], b: e.approach.brainFree_nM[k] })));
    out.push({ name: 'pk', description: 'PK of the trial doses from the first dose: plasma total, free plasma, free brain (CSV/JSON)', table: { columns: [
      { name: 'dose', unit: 'mg', values: pk.map((x) => x.dose) },
      { name: 'time', unit: 'h', values: pk.map((x) => x.t) },
      { name: 'plasma_total', unit: 'ug/L', values: pk.map((x) => x.p) },
      { name: 'plasma_free', unit: 'nM', values: pk.map((x) => x.f) },
      { name: 'brain_free', unit: 'nM', values: pk.map((x) => x.b) },
    ] } });
    const ee = r.exposureEffects;
    out.push({ name: 'exposure', description: 'steady-state exposure of the trial doses and the simulated effects at it (CSV/JSON)', table: { columns: [
      { name: 'dose', unit: 'mg', values: ee.map((x) => x.dose_mg) },
      { name: 'level', values: ee.map((x) => x.level) },
      { name: 'brain_free', unit: 'nM', values: ee.map((x) => x.brainFree_nM) },
      { name: 'plasma_free', unit: 'nM', values: ee.map((x) => x.plasmaFree_nM) },
      { name: 'preset', values: ee.map((x) => x.preset) },
      { name: 'occupancy', values: ee.map((x) => x.occupancy) },
      ...CA1_READOUTS.map((ro) => ({ name: `${READOUT_FILE[ro.key]}_rel_control`, values: ee.map((x) => x.relControl[ro.key]) })),
      ...CA1_READOUTS.map((ro) => ({ name: `${READOUT_FILE[ro.key]}_rel_young`, values: ee.map((x) => x.relYoung[ro.key]) })),
      { name: 'vascular_ica_rel', values: ee.map((x) => x.vascularRel) },
      { name: 'vascular_occupancy', values: ee.map((x) => x.vascularOccupancy) },
    ] } });
  }
  return out;
}

/** The main numbers as manifest summary rows (value in min/max/final/mean), so `ltcc runs compare` compares studies. */
function summaryRows(r: StudyResult): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const add = (output: string, unit: string, v: number | null): void => {
    const x = v === null ? NaN : v;
    rows.push({ output, unit, min: x, max: x, final: x, tMax: NaN, mean: x });
  };
  for (const w of r.windows) {
    add(`window_lower:${w.compound}`, 'nM', w.lower_nM);
    add(`window_upper:${w.compound}`, 'nM', w.upper_nM);
  }
  for (const s of r.selectivity) for (const p of r.options.presets) add(`selectivity_index_${p}:${s.compound}`, 'dimensionless', s.index[p]);
  for (const e of r.exposures) {
    add(`brain_free_avg:${e.dose_mg}mg`, 'nM', e.brainFree_nM.avg);
    add(`brain_free_max:${e.dose_mg}mg`, 'nM', e.brainFree_nM.max);
  }
  for (const x of r.exposureEffects) add(`ca_load_rel_control_${x.level}:${x.dose_mg}mg`, 'dimensionless', x.relControl.caLoad_uM_s);
  for (const v of r.activityVariants) {
    const id = `${v.compound}[${v.substance}=${v.variant}]`;
    add(`window_lower:${id}`, 'nM', v.window.lower_nM);
    add(`window_upper:${id}`, 'nM', v.window.upper_nM);
    add(`selectivity_index_${v.window.preset}:${id}`, 'dimensionless', v.selectivityIndex);
    for (const e of v.exposure?.effects ?? []) add(`ca_load_rel_control_${e.level}:${v.exposure!.dose_mg}mg:${id}`, 'dimensionless', e.relControl.caLoad_uM_s);
  }
  return rows;
}

/** SHA-256 over the sorted hashes of the study's models. */
export function combinedHash(r: StudyResult): string {
  const h = createHash('sha256');
  for (const x of [...new Set(r.models.map((m) => m.hash))].sort()) h.update(x);
  return h.digest('hex');
}

function manifestOf(r: StudyResult, o: { started: Date; wallMs: number; files: FileEntry[]; command: string; quick: boolean; png: boolean }): RunManifest & { study: unknown } {
  const assumptions: AssumptionUsed[] = r.assumptions.map((a) => ({ name: a.name, value: a.value === null ? NaN : a.value, ...(a.unit ? { unit: a.unit } : {}), assumption: a.text }));
  const files = (prefix: string): string[] => o.files.filter((f) => f.path.startsWith(prefix)).map((f) => f.path);
  return {
    format: MANIFEST_FORMAT,
    name: 'default-study',
    description: 'MEM 1003 enantiomers and nimodipine: CA1 young/aged and vascular concentration–response, therapeutic window, selectivity, trial-dose exposure',
    source: o.command,
    status: 'ok',
    scenario: { ...r.options, quick: o.quick, png: o.png },
    context: 'ca1, vascular',
    preset: r.options.presets.join(', '),
    modelHash: combinedHash(r),
    model: { name: `default study (${r.models.length} compiled models, listed under study.models)`, states: Math.max(...r.models.map((m) => m.states)), parameters: 0, observables: 0, timeUnit: 'ms' },
    version: VERSION,
    seed: 0,
    solver: {
      method: 'bdf', rtol: r.solver.ca1.rtol, atol: r.solver.ca1.atol, retcode: 'Success',
      message: `CA1 firing rtol ${r.solver.ca1.rtol} atol ${r.solver.ca1.atol}; signalling rtol ${r.solver.signalling.rtol} atol ${r.solver.signalling.atol}; vascular rtol 1e-6 atol 1e-8`,
      tReached: 0, stats: { simulations: r.stats.simulations, workers: r.stats.workers },
    },
    started: o.started.toISOString(),
    finished: new Date().toISOString(),
    wallMs: Math.round(o.wallMs),
    summary: summaryRows(r),
    assumptions,
    experiments: [
      { name: 'CA1 concentration–response (firing and signalling)', type: 'concentration-response', runs: r.ca1.length, failed: 0, files: files('tables/ca1') },
      { name: 'vascular concentration–response', type: 'concentration-response', runs: r.vascular.length, failed: 0, files: files('tables/vascular') },
      { name: 'therapeutic window and selectivity', type: 'analysis', runs: r.windows.length, failed: 0, files: [...files('tables/window'), ...files('tables/selectivity')] },
      { name: 'trial-dose exposure', type: 'pk', runs: r.exposureEffects.length, failed: 0, files: [...files('tables/pk'), ...files('tables/exposure')] },
      ...(r.activityVariants.length ? [{ name: `activity variants of ${r.options.variantComparison?.substances.join(', ') ?? ''} in ${r.options.variantComparison?.compound ?? ''}`, type: 'analysis', runs: r.activityVariants.length, failed: 0, files: files('tables/variants') }] : []),
    ],
    files: o.files,
    warnings: [],
    study: { models: r.models, compounds: r.compounds, stats: r.stats },
  };
}

/** The printed summary. */
function summaryText(r: StudyResult, outDir: string, id: number | undefined, wallMs: number): string {
  const name = (c: string): string => r.compounds.find((x) => x.id === c)?.name ?? c;
  const lines: string[] = [];
  const f = r.options.pcrebFraction;
  lines.push(`ltcc study: ${r.stats.simulations} simulations in ${(wallMs / 1000).toFixed(1)} s (${r.stats.workers} ${r.stats.threads ? 'worker threads' : 'thread'})${id !== undefined ? `, run #${id}` : ''}`);
  lines.push('  MEM 1003 potency and PK are DHP-class assumptions (nimodipine\'s values): see the report\'s assumptions.');
  lines.push(`  Therapeutic window (${r.options.target} CA1: Ca²⁺ load ≤ young, pCREB ≥ ${Math.round(100 * f)} % of young), free concentration:`);
  for (const w of r.windows) {
    const c = r.compounds.find((x) => x.id === w.compound)!;
    const win = w.status === 'interval' ? `${fmtNm(w.lower_nM!)} – ${w.upper_nM !== null ? fmtNm(w.upper_nM) : `> ${fmtNm(r.options.concentrations_nM[r.options.concentrations_nM.length - 1])}`}` : 'empty';
    const s = r.selectivity.find((x) => x.compound === w.compound)!;
    lines.push(`    ${name(w.compound).padEnd(16)} ${win.padEnd(20)} selectivity index ${s.index[r.options.target] !== null && s.index[r.options.target] !== undefined ? s.index[r.options.target]!.toPrecision(2) : '—'} (vascular IC50 ${fmtOr(s.vascularIc50_nM)}, CNS IC50 ${fmtOr(s.cns[r.options.target]?.ic50_nM)})${c.sameBindingAs ? ' [same binding numbers]' : ''}`);
  }
  if (r.options.trial && r.exposures.length) {
    lines.push(`  Trial doses of ${name(r.options.trial.compound)} (steady state, free brain min / avg / peak; effects at the peak):`);
    for (const e of r.exposures) {
      const pk = r.exposureEffects.find((x) => x.dose_mg === e.dose_mg && x.level === 'peak');
      lines.push(`    ${`${e.dose_mg} mg every ${e.interval_h} h`.padEnd(16)} ${fmtNm(e.brainFree_nM.min)} / ${fmtNm(e.brainFree_nM.avg)} / ${fmtNm(e.brainFree_nM.max)}`
        + (pk ? `; ${r.options.target} Ca²⁺ load ${((pk.relControl.caLoad_uM_s - 1) * 100).toFixed(0)} %, vascular Cav1.2 current ${((pk.vascularRel - 1) * 100).toFixed(0)} %` : ''));
    }
  }
  if (r.activityVariants.length) {
    const v0 = r.activityVariants[0];
    const dose = v0.exposure;
    lines.push(`  ${name(v0.compound)} under each activity of ${v0.substanceName} (window; selectivity index${dose ? `; ${r.options.target} Ca²⁺ load at the ${dose.dose_mg} mg every ${dose.interval_h} h peak` : ''}):`);
    for (const v of r.activityVariants) {
      const w = v.window;
      const win = w.status === 'interval' ? `${fmtNm(w.lower_nM!)} – ${w.upper_nM !== null ? fmtNm(w.upper_nM) : `> ${fmtNm(v.concentrations_nM[v.concentrations_nM.length - 1])}`}` : 'empty';
      const pk = v.exposure?.effects.find((e) => e.level === 'peak');
      lines.push(`    ${`${v.variant}${v.main ? ' *' : ''}`.padEnd(20)} ${win.padEnd(20)} ${v.selectivityIndex !== null ? v.selectivityIndex.toPrecision(2) : `— (CNS ${v.cns.effect})`}${pk ? `; ${pk.relControl.caLoad_uM_s >= 1 ? '+' : ''}${((pk.relControl.caLoad_uM_s - 1) * 100).toFixed(0)} %` : ''}`);
    }
    lines.push('    (* the assumption the rest of the study uses)');
  }
  lines.push(`  report: ${relative(process.cwd(), resolve(outDir, 'report.html')) || 'report.html'}`);
  return `${lines.join('\n')}\n`;
}

function parseFraction(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || !(v > 0 && v <= 1)) throw new InputError(`'${s}' is not a fraction in (0, 1] (e.g. 0.5 for 50 %)`, undefined, '--pcreb-fraction');
  return v;
}

function parseJobs(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const v = Number(s);
  if (!Number.isInteger(v) || v < 1 || v > 64) throw new InputError(`'${s}' is not a number of worker threads (1–64)`, undefined, '--jobs');
  return v;
}

/** Runs the study, writes its output and prints the summary. */
export async function studyCommand(o: StudyCommandOptions, out: StudySink = process.stdout, err: StudySink = process.stderr): Promise<StudyOutcome> {
  const started = new Date();
  const t0 = performance.now();
  const quiet = isQuiet();
  const fraction = parseFraction(o.pcrebFraction);
  const jobs = parseJobs(o.jobs);
  const outDir = resolve(o.out ?? 'out/study');
  const png = o.png !== false;
  const storePath = o.store === false ? undefined : typeof o.store === 'string' ? o.store : process.env.LTCC_STORE ?? DEFAULT_STORE;
  const command = [
    'ltcc study', ...(o.quick ? ['--quick'] : []), ...(fraction !== undefined && fraction !== DEFAULT_PCREB_FRACTION ? [`--pcreb-fraction ${fraction}`] : []),
    ...(o.out && o.out !== 'out/study' ? [`--out ${o.out}`] : []), ...(jobs !== undefined ? [`--jobs ${jobs}`] : []),
  ].join(' ');

  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(1);
    err.write('\nltcc: interrupted; stopping the study (press Ctrl-C again to stop at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let progress: ReturnType<typeof startProgress> | undefined;
  let result: StudyResult;
  try {
    result = await runStudy({
      ...(o.quick ? { concentrations_nM: QUICK_CONCENTRATIONS_NM, vascularConcentrations_nM: QUICK_VASCULAR_CONCENTRATIONS_NM } : {}),
      ...(fraction !== undefined ? { pcrebFraction: fraction } : {}),
      ...(jobs !== undefined ? { workers: jobs } : {}),
      signal: abort.signal,
      onProgress: (done, total, note) => {
        progress ??= startProgress('study', total, { quiet: quiet || o.json === true });
        progress.tick(1, note);
      },
    });
  } catch (e) {
    if (e instanceof StudyInterrupted) throw new SimulationFailed('interrupted: no results were written');
    if (e instanceof StudySimulationFailed) throw new SimulationFailed(`${e.message}\nNo results were written.`);
    throw e;
  } finally {
    progress?.done();
    process.off('SIGINT', onSigint);
  }

  // Output: staged, then moved into place.
  const staged = new StagedDir(outDir);
  const files: FileEntry[] = [];
  const write = (name: string, data: string | Uint8Array, description: string): void => {
    writeFileAtomic(staged.file(name), data);
    files.push({ path: name, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length, description });
  };
  let manifest: RunManifest & { study: unknown };
  try {
    for (const t of studyTables(result)) {
      write(`tables/${t.name}.csv`, toCsv(t.table), t.description.replace('CSV/JSON', 'CSV'));
      write(`tables/${t.name}.json`, toJson(tableToJson(t.table)), t.description.replace('CSV/JSON', 'JSON'));
    }
    write('study.json', toJson(result), 'the complete study result (typed tables, PK profiles, fits, assumptions)');
    const figures: StudyFigure[] = studyFigures(result);
    for (const f of figures) {
      write(`plots/${f.file}.svg`, f.svg, `plot: ${f.title} (SVG)`);
      if (png) write(`plots/${f.file}.png`, svgToPng(f.svg), `plot: ${f.title} (PNG)`);
    }
    const finished = new Date();
    const html = renderStudyReport(result, figures, {
      version: VERSION, started: started.toISOString(), finished: finished.toISOString(), wallMs: performance.now() - t0, seed: 0, command,
      modelHash: combinedHash(result), files: [...files], ...(storePath ? { store: storePath } : {}),
    });
    write('report.html', html, 'the study report: window, selectivity, trial exposure, plots, assumptions');
    manifest = manifestOf(result, { started, wallMs: performance.now() - t0, files, command, quick: o.quick === true, png });
    writeFileAtomic(staged.file('manifest.json'), toJson(manifest));
    staged.commit();
    let id: number | undefined;
    if (storePath) {
      let store: RunStore | undefined;
      try {
        store = RunStore.open(storePath);
        id = store.record(manifest, outDir);
      } catch (e) {
        throw new InputError(`the results were written to ${outDir}, but the run could not be recorded in the store: ${(e as Error).message}`, storePath);
      } finally {
        store?.close();
      }
    }
    if (o.json) {
      out.write(toJson({
        id: id ?? null, outDir, report: resolve(outDir, 'report.html'), wallMs: manifest.wallMs,
        windows: result.windows, selectivity: result.selectivity,
        exposures: result.exposures.map((e) => ({ dose_mg: e.dose_mg, interval_h: e.interval_h, brainFree_nM: e.brainFree_nM, plasmaFree_nM: e.plasmaFree_nM, plasma: e.plasma })),
        exposureEffects: result.exposureEffects, activityVariants: result.activityVariants, options: result.options, stats: result.stats,
      }));
    } else if (!quiet) out.write(summaryText(result, outDir, id, manifest.wallMs));
    return { result, outDir, manifest, ...(id !== undefined ? { id } : {}) };
  } catch (e) {
    staged.discard();
    throw e;
  }
}
