/**
 * The report of the default study (`out/study/report.html`): one self-contained page a
 * pharmacologist can show at a meeting — the assumptions warning first, the main numbers
 * (therapeutic window, trial exposures, selectivity), then the figures (window per compound,
 * PK of the trial doses, concentration–response per read-out with compounds as series, young
 * vs aged vs vascular), the fitted IC50s, every assumption, and the run record.
 */
import type { FileEntry } from '../io/store/manifest.js';
import { type FitRow, type HalfMaximal, type StudyResult, type VariantExposureEffect, type VariantRow, CA1_READOUTS, fmtNm } from '../experiments/study.js';
import { hillResponse } from '../experiments/fit/hill.js';
import { escapeHtml } from './html.js';
import { type ConcentrationResponseSeries, concentrationResponsePlot, formatNumber, tracePlot } from './plots.js';

/** A figure of the study report. */
export interface StudyFigure {
  /** File name without extension (`plots/<file>.svg`). */
  readonly file: string;
  readonly title: string;
  readonly svg: string;
  readonly caption: string;
  /** Report section the figure belongs to. */
  readonly section: 'window' | 'pk' | 'readouts' | 'selectivity';
}

/** Run facts shown at the end of the report. */
export interface StudyRunInfo {
  readonly version: string;
  readonly started: string;
  readonly finished: string;
  readonly wallMs: number;
  /** Combined hash of the study's models. */
  readonly modelHash: string;
  readonly seed: number;
  readonly runId?: number;
  readonly store?: string;
  /** Files written (paths relative to the output folder). */
  readonly files: readonly FileEntry[];
  /** Options given on the command line, e.g. `--quick`. */
  readonly command: string;
}

const pct = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(digits)} %`);
const nm = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : fmtNm(x));
const num = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : formatNumber(x, d));

/** Series of the study: one per distinct binding (compounds with identical binding share one). */
function seriesCompounds(r: StudyResult): { id: string; name: string; members: string[] }[] {
  const out: { id: string; name: string; members: string[] }[] = [];
  for (const c of r.compounds) {
    const host = out.find((s) => s.id === (c.sameBindingAs ?? c.id));
    if (host) {
      host.members.push(c.id);
      host.name = `${host.name} = ${c.name}`;
    } else out.push({ id: c.id, name: c.name, members: [c.id] });
  }
  return out;
}

const nameOf = (r: StudyResult, id: string): string => r.compounds.find((c) => c.id === id)?.name ?? id;

/** Log-spaced concentrations covering the tested range (and a bit beyond). */
function fitGrid(concs: readonly number[]): number[] {
  const lo = Math.log10(Math.min(...concs) / 2);
  const hi = Math.log10(Math.max(...concs) * 2);
  return Array.from({ length: 80 }, (_, k) => 10 ** (lo + ((hi - lo) * k) / 79));
}

/**
 * The fitted curve (×`scale`, in %) with the envelope of the curves at the ends of the IC50 and
 * Hill-slope intervals as band; or, when no Hill curve describes the points (no fit, or an RMS
 * residual above 5 %), straight segments joining the points (the interpolation the study uses).
 */
function curveOf(fit: FitRow | undefined, concs: readonly number[], pts: readonly number[], scale: number): ConcentrationResponseSeries['fit'] {
  const f = fit?.fit;
  if (!f || f.rmse > 0.05) return { x: [...concs], y: [...pts] };
  const x = fitGrid(concs);
  const at = (c: number, ic: number, h: number): number => 100 * scale * hillResponse(c, ic, h, f.bottom, f.top);
  const corners = [f.ic50_ci_nM[0], f.ic50_ci_nM[1]].flatMap((i) => [f.hill_ci[0], f.hill_ci[1]].map((h) => [i, h] as const))
    .filter(([i, h]) => Number.isFinite(i) && i > 0 && Number.isFinite(h) && h > 0);
  const band = corners.length === 4
    ? { lower: x.map((c) => Math.min(...corners.map(([i, h]) => at(c, i, h)))), upper: x.map((c) => Math.max(...corners.map(([i, h]) => at(c, i, h)))) }
    : {};
  return { x, y: x.map((c) => at(c, f.ic50_nM, f.hill)), ...band };
}

const fitFor = (r: StudyResult, compound: string, context: 'ca1' | 'vascular', preset: string, readout: string): FitRow | undefined =>
  r.fits.find((f) => f.compound === compound && f.context === context && f.preset === preset && f.readout === readout);

/** A shaded vertical band from x0 to x1 as a series without points (legend entry `name`). */
function bandSeries(name: string, x0: number, x1: number, yTop: number): ConcentrationResponseSeries {
  return { name, concentrations: [], responses: [], fit: { x: [x0, x1], y: [NaN, NaN], lower: [0, 0], upper: [yTop, yTop] } };
}

/** Every figure of the study report. */
export function studyFigures(r: StudyResult): StudyFigure[] {
  const figs: StudyFigure[] = [];
  const concs = r.options.concentrations_nM;
  const vConcs = r.options.vascularConcentrations_nM;
  const target = r.options.target;
  const f = r.options.pcrebFraction;
  const groups = seriesCompounds(r);
  const trialId = r.options.trial ? r.compounds.find((c) => c.id === r.options.trial!.compound)?.id : undefined;
  const exp = r.exposures;
  const expLo = exp.length ? Math.min(...exp.map((e) => e.brainFree_nM.min)) : NaN;
  const expHi = exp.length ? Math.max(...exp.map((e) => e.brainFree_nM.max)) : NaN;
  const doses = exp.map((e) => e.dose_mg).join('/');

  // 1. The window per compound.
  for (const g of groups) {
    const w = r.windows.find((x) => x.compound === g.id)!;
    const rows = r.ca1.filter((x) => x.compound === g.id && x.preset === target && x.concentration_nM > 0);
    const vrows = r.vascular.filter((x) => x.compound === g.id && x.concentration_nM > 0);
    const cs = rows.map((x) => x.concentration_nM);
    const load = rows.map((x) => 100 * x.relYoung.caLoad_uM_s);
    const creb = rows.map((x) => 100 * x.relYoung.pcrebRise);
    const vas = vrows.map((x) => 100 * x.iCaRel);
    const yTop = Math.max(110, ...load, ...creb) * 1.05;
    const series: ConcentrationResponseSeries[] = [
      { name: `${target} Ca²⁺ load (% of young)`, concentrations: cs, responses: load, fit: { x: cs, y: load } },
      { name: `${target} pCREB (% of young)`, concentrations: cs, responses: creb, fit: { x: cs, y: creb } },
      { name: 'vascular Cav1.2 current (% of drug-free)', concentrations: vConcs, responses: vas, fit: { x: [...vConcs], y: vas } },
    ];
    if (w.status === 'interval' && w.lower_nM !== null) series.push(bandSeries('therapeutic window', w.lower_nM, w.upper_nM ?? concs[concs.length - 1], yTop));
    else series.push({ name: 'therapeutic window: empty', concentrations: [], responses: [] });
    const showExp = g.members.includes(trialId ?? '') && exp.length > 0;
    if (showExp) series.push(bandSeries(`trial ${doses} mg: free brain Cmin–Cmax`, expLo, expHi, yTop));
    const title = `${g.name}: therapeutic window (${target} CA1)`;
    figs.push({
      file: `window-${g.id}`, section: 'window', title,
      svg: concentrationResponsePlot({ title, series, responseLabel: 'read-out', responseUnit: '%', concentrationUnit: 'nM', width: 620, height: 330 }),
      caption: `Shaded: ${w.status === 'interval' ? `the window ${nm(w.lower_nM)} – ${w.upper_nM !== null ? nm(w.upper_nM) : `> ${nm(concs[concs.length - 1])}`}` : 'no window'}, where the ${target} Ca²⁺ load is at or below the young level (100 %) and the ${target} pCREB rise at or above ${Math.round(100 * f)} % of young. Extra points near the edges are the bisection steps.`
        + (showExp ? ` Orange: free brain concentrations of ${doses} mg twice daily at steady state (PK assumption).` : '')
        + ' Lines join the simulated points (the interpolation used for the edges).',
    });
  }

  // 2. PK of the trial doses.
  if (r.options.trial && exp.length) {
    const t = r.options.trial;
    const w = r.windows.find((x) => x.compound === trialId);
    const series = exp.map((e) => ({ name: `${e.dose_mg} mg every ${e.interval_h} h: free brain`, t: e.approach.t_h, y: e.approach.brainFree_nM }));
    const t0 = exp[0].approach.t_h;
    if (w?.lower_nM) series.push({ name: `window lower edge (${nm(w.lower_nM)})`, t: t0, y: Float64Array.from(t0, () => w.lower_nM!) });
    if (w?.upper_nM) series.push({ name: `window upper edge (${nm(w.upper_nM)})`, t: t0, y: Float64Array.from(t0, () => w.upper_nM!) });
    const title = `${nameOf(r, t.compound)}: free brain concentration of the trial doses`;
    figs.push({
      file: 'pk-trial-doses', section: 'pk', title,
      svg: tracePlot({ title, series, yLabel: 'free brain concentration', yUnit: 'nM', timeUnit: 'h', yLog: true, width: 900, height: 300 }),
      caption: `Oral dosing from the first dose (${t.days ?? 3} days shown). Free brain = Kp,uu × fu × plasma concentration. Every PK parameter of MEM 1003 is an assumption (nimodipine's label values).`,
    });
  }

  // 3. Concentration–response per read-out, compounds as series.
  const presets = r.options.presets;
  for (const ro of CA1_READOUTS) {
    for (const preset of presets) {
      const series: ConcentrationResponseSeries[] = groups.map((g) => {
        const rows = r.ca1.filter((x) => x.compound === g.id && x.preset === preset && x.concentration_nM > 0);
        const ctl = r.ca1.find((x) => x.compound === g.id && x.preset === preset && x.concentration_nM === 0)!;
        const scale = ctl.relYoung[ro.key];
        const pts = rows.map((x) => 100 * x.relYoung[ro.key]);
        const fit = fitFor(r, g.id, 'ca1', preset, ro.key);
        const cs = rows.map((x) => x.concentration_nM);
        return { name: g.name, concentrations: cs, responses: pts, fit: curveOf(fit, cs, pts, scale) };
      });
      const title = `${ro.label} — ${preset} CA1`;
      figs.push({
        file: `cr-${ro.key.replace(/_.*/, '')}-${preset}`, section: 'readouts', title,
        svg: concentrationResponsePlot({ title, series, responseLabel: ro.label, responseUnit: '% of young drug-free', concentrationUnit: 'nM', width: 500, height: 300 }),
        caption: `${ro.description}; 100 % = the young neuron without drug. Curves: Hill fits with the 95 % band from the IC50 and slope intervals (straight segments where no Hill curve fits within 5 %).`,
      });
    }
  }
  for (const [key, label, unit] of [['iCa_pA', 'Cav1.2 Ca²⁺ current', 'iCaRel'], ['caCyt_uM', 'cytosolic Ca²⁺', 'caCytRel']] as const) {
    const series: ConcentrationResponseSeries[] = groups.map((g) => {
      const rows = r.vascular.filter((x) => x.compound === g.id && x.concentration_nM > 0);
      const pts = rows.map((x) => 100 * x[unit]);
      return { name: g.name, concentrations: vConcs, responses: pts, fit: curveOf(fitFor(r, g.id, 'vascular', 'default', key), vConcs, pts, 1) };
    });
    const title = `Vascular smooth muscle: ${label} at rest`;
    figs.push({
      file: `cr-vascular-${key.replace(/_.*/, '')}`, section: 'readouts', title,
      svg: concentrationResponsePlot({ title, series, responseLabel: label, responseUnit: '% of drug-free', concentrationUnit: 'nM', width: 500, height: 300 }),
      caption: `Arterial smooth-muscle cell at its resting potential (${num(r.vascular.find((x) => x.concentration_nM === 0)?.v_mV, 3)} mV in this model), drug at binding equilibrium.`,
    });
  }

  // 4. Young vs aged vs vascular per compound: L-type Ca²⁺ entry.
  for (const g of groups) {
    const series: ConcentrationResponseSeries[] = presets.map((preset) => {
      const rows = r.ca1.filter((x) => x.compound === g.id && x.preset === preset && x.concentration_nM > 0);
      const pts = rows.map((x) => 100 * x.relControl.lTypeCharge_pC);
      const cs = rows.map((x) => x.concentration_nM);
      return { name: `${preset} CA1: L-type Ca²⁺ entry (5 Hz)`, concentrations: cs, responses: pts, fit: curveOf(fitFor(r, g.id, 'ca1', preset, 'lTypeCharge_pC'), cs, pts, 1) };
    });
    const vrows = r.vascular.filter((x) => x.compound === g.id && x.concentration_nM > 0);
    const vpts = vrows.map((x) => 100 * x.iCaRel);
    series.push({ name: 'vascular: Cav1.2 current at rest', concentrations: vConcs, responses: vpts, fit: curveOf(fitFor(r, g.id, 'vascular', 'default', 'iCa_pA'), vConcs, vpts, 1) });
    const s = r.selectivity.find((x) => x.compound === g.id)!;
    const title = `${g.name}: neuron vs vessel`;
    figs.push({
      file: `selectivity-${g.id}`, section: 'selectivity', title,
      svg: concentrationResponsePlot({ title, series, responseLabel: 'L-type Ca²⁺ entry', responseUnit: '% of drug-free', concentrationUnit: 'nM', width: 500, height: 300 }),
      caption: `Selectivity index (vascular IC50 / CNS IC50): ${presets.map((p) => `${p} ${num(s.index[p], 2)}`).join(', ')}. Below 1: the vessel is blocked at lower concentrations than the neuron. Relative block is a property of the channel and its voltage, not of its density, so the young and aged neuron curves nearly coincide.`,
    });
  }
  return figs;
}

// ---------------------------------------------------------------------------------------------
// HTML

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #222; margin: 0; background: #f3f4f6; line-height: 1.45; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 36px 48px; background: white; }
h1 { font-size: 1.65em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 34px 0 10px; border-bottom: 2px solid #dde1e6; padding-bottom: 4px; }
h3 { font-size: 1.02em; margin: 20px 0 6px; }
p.sub { color: #555; margin: 0 0 14px; }
.warn { border-left: 6px solid #D55E00; background: #fff3ea; padding: 10px 16px; margin: 14px 0 18px; }
.warn strong { color: #8a3500; }
.warn ul { margin: 6px 0 0 0; padding-left: 20px; }
.keys { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; margin: 10px 0 6px; }
.key { border: 1px solid #dde1e6; border-radius: 6px; padding: 10px 14px; background: #fafbfc; }
.key .v { font-size: 1.35em; font-weight: 700; color: #0b3d6b; }
.key .l { color: #555; font-size: 0.86em; }
table { border-collapse: collapse; font-size: 0.86em; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 9px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.shared td { color: #666; }
tr.main td { background: #f4f8ff; }
.figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(500px, 1fr)); gap: 6px 22px; }
.figs.wide { grid-template-columns: 1fr; }
figure { margin: 6px 0 14px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.85em; }
.note { color: #555; font-size: 0.88em; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.85em; font-weight: 600; }
.interval { background: #d9f2e3; color: #11622f; }
.empty { background: #fbe0dc; color: #8a1c0c; }
`;

function table(head: readonly string[] | null, rows: readonly (readonly string[])[], numeric: readonly boolean[] = [], rowClass?: (i: number) => string): string {
  const th = head ? `<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : '';
  const tr = rows.map((r, i) => `<tr${rowClass?.(i) ? ` class="${rowClass(i)}"` : ''}>${r.map((c, j) => `<td${numeric[j] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>${th}<tbody>\n${tr}\n</tbody></table>`;
}

const e = escapeHtml;

function figureHtml(f: StudyFigure): string {
  const svg = f.svg.replace(/<\?xml[^>]*\?>\s*/g, '').replace(/<!DOCTYPE[^>]*>\s*/gi, '');
  return `<figure role="img" aria-label="${e(f.title)}">\n${svg}<figcaption>${e(f.caption)}</figcaption></figure>`;
}

/** The window of a variant row in words: `26 nM – 237 nM`, `empty (…)`. */
function windowWords(w: VariantRow['window'], maxC: number): string {
  if (w.status === 'interval') return `${nm(w.lower_nM)} – ${w.upper_nM !== null ? nm(w.upper_nM) : `> ${nm(maxC)}`}`;
  return w.lower_nM === null ? 'empty (the Ca²⁺ load never falls to the young level)' : 'empty (pCREB is lost before the Ca²⁺ load reaches the young level)';
}

/** A half-maximal concentration with its direction. */
const halfMax = (h: HalfMaximal): string => (h.effect === 'none' ? 'no effect' : h.halfMax_nM === null ? `${h.effect}, no fit` : `${h.effect === 'inhibition' ? 'IC50' : 'EC50 (rise)'} ${nm(h.halfMax_nM)}`);

/** Change from drug-free in %, signed; as a factor from twofold up. */
const change = (x: number): string => (!Number.isFinite(x) ? '—' : x >= 2 ? `${formatNumber(x, 2)}×` : `${x >= 1 ? '+' : '−'}${Math.abs(100 * (x - 1)).toFixed(0)} %`);

/** What each activity variant of the compared compound's substances changes: one sentence and one table. */
function variantSection(r: StudyResult): string {
  const rows = r.activityVariants;
  const target = r.options.target;
  const vc = r.options.variantComparison!;
  const name = nameOf(r, vc.compound);
  const sub = rows[0].substanceName;
  const maxC = (v: VariantRow): number => v.concentrations_nM[v.concentrations_nM.length - 1];
  const peakOf = (v: VariantRow): VariantExposureEffect | undefined => v.exposure?.effects.find((x) => x.level === 'peak');
  const main = rows.find((v) => v.main);
  const others = rows.filter((v) => !v.main);
  const dose = rows[0].exposure;
  const ordered = main ? [main, ...others] : others;
  const clause = (v: VariantRow, i: number): string => {
    const words = v.variant.replace(/-/g, ' ');
    const p = peakOf(v);
    const load = p ? (i === 0 && dose
      ? ` and ${dose.dose_mg} mg every ${dose.interval_h} h changes the ${e(target)} Ca²⁺ load by ${change(p.relControl.caLoad_uM_s)} at its steady-state peak free brain concentration (${nm(p.brainFree_nM)})`
      : ` and that dose changes the load by ${change(p.relControl.caLoad_uM_s)}`) : '';
    return `${i === 0 ? `If ${e(sub)}` : 'if it'} is ${v.action === 'inactive' ? words : `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`}${v.main ? ' (the assumption of the rest of this study)' : ''}, the window is ${windowWords(v.window, maxC(v))}${load}`;
  };
  const sentence = `The activity of ${e(sub)} was never published, so ${e(name)}'s numbers rest on an assumption. ${ordered.map(clause).join('; ')}.`;
  const grid = (v: VariantRow): string => v.concentrations_nM.map((c) => nm(c)).join(', ');
  const note = `Each row simulates ${e(name)} with one activity of ${e(sub)}: the window (same criteria as above: ${e(target)} Ca²⁺ load ≤ young, pCREB ≥ ${Math.round(100 * r.options.pcrebFraction)} % of young), the half-maximal concentrations of the ${e(target)} L-type Ca²⁺ entry and the vascular Cav1.2 current (Hill fits, bottom 0 for a fall; for a rise the plateau is fitted and the half-maximal concentration is an EC50), the selectivity index (defined for two inhibitions), and the effects at ${dose ? `the steady state of ${dose.dose_mg} mg every ${dose.interval_h} h given as ${e(name)} (its PK record)` : 'no trial dose'}. The row the study uses is the main result (CA1 grid ${main ? grid(main) : '—'}); the others use ${others.length ? grid(others[0]) : '—'} with the window edges refined the same way, and the main vascular grid.`;
  const head = [
    `${sub} assumed`, 'window', 'lower edge', 'upper edge', `${target} L-type Ca²⁺ entry`, 'vascular Cav1.2 current', `selectivity index (${target})`,
    ...(dose ? [`${target} Ca²⁺ load, avg / peak (change from drug-free)`, `${target} pCREB, avg / peak (% of young)`, 'vascular Cav1.2 current, avg / peak (change from drug-free)'] : []),
  ];
  const body = rows.map((v) => {
    const avg = v.exposure?.effects.find((x) => x.level === 'average');
    const pk = peakOf(v);
    return [
      `<strong>${e(v.variant)}</strong>${v.main ? ' <span class="note">(used by this study)</span>' : ''}<br><span class="note">${e(v.description)}</span>`,
      `<span class="status ${v.window.status}">${v.window.status}</span>`,
      nm(v.window.lower_nM), v.window.upper_nM !== null ? nm(v.window.upper_nM) : `> ${nm(maxC(v))}`,
      halfMax(v.cns), halfMax(v.vascular), num(v.selectivityIndex, 2),
      ...(dose ? [
        avg && pk ? `${change(avg.relControl.caLoad_uM_s)} / ${change(pk.relControl.caLoad_uM_s)}` : '—',
        avg && pk ? `${pct(avg.relYoung.pcrebRise)} / ${pct(pk.relYoung.pcrebRise)}` : '—',
        avg && pk ? `${change(avg.vascularRel)} / ${change(pk.vascularRel)}` : '—',
      ] : []),
    ];
  });
  return [
    `<h3 id="activity-variants">What the ${e(sub)} activity changes for ${e(name)}</h3>`,
    `<p>${sentence}</p>`,
    `<p class="note">${note}</p>`,
    table(head, body, head.map((_, i) => i >= 2), (i) => (rows[i].main ? 'main' : '')),
  ].join('\n');
}

/** Renders the study report page. */
export function renderStudyReport(r: StudyResult, figures: readonly StudyFigure[], info: StudyRunInfo): string {
  const target = r.options.target;
  const f = r.options.pcrebFraction;
  const fPct = `${Math.round(100 * f)} %`;
  const trial = r.options.trial;
  const trialName = trial ? nameOf(r, trial.compound) : '';
  const minus = r.compounds.find((c) => c.id === 'mem1003-minus');
  const shared = r.compounds.filter((c) => c.sameBindingAs);
  const vascV = r.vascular.find((x) => x.concentration_nM === 0)?.v_mV;
  const byFig = (s: StudyFigure['section']): string => figures.filter((x) => x.section === s).map(figureHtml).join('\n');
  const parts: string[] = [
    '<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>MEM 1003 default study — ltcc report</title>', `<style>${CSS}</style>`, '</head>', '<body><main>',
    '<h1>MEM 1003 and nimodipine in young and aged CA1 neurons and in arterial smooth muscle</h1>',
    `<p class="sub">The default study of ltcc ${e(info.version)}: ${e(r.compounds.map((c) => c.name).join(', '))}; CA1 presets ${e(r.options.presets.join(' and '))}; the vascular cell. ${r.stats.simulations} simulations in ${(info.wallMs / 1000).toFixed(1)} s (${r.stats.workers} ${r.stats.threads ? 'worker threads' : 'thread'}), ${e(info.finished)}.</p>`,
  ];

  // Assumptions first.
  const warn: string[] = [
    '<strong>MEM 1003 potency, isoform selectivity and pharmacokinetics were never published.</strong> Every MEM 1003 number in this study is a <strong>DHP-class assumption</strong>: the binding affinities and the PK parameters are nimodipine\'s. The results show what a nimodipine-like DHP would do at MEM 1003\'s doses, not measured MEM 1003 pharmacology.',
    '<ul>',
  ];
  for (const c of shared) warn.push(`<li>${e(c.name)} has the same binding numbers as ${e(nameOf(r, c.sameBindingAs!))}: their cell-level curves are one simulation and coincide by construction.</li>`);
  if (minus) warn.push(`<li>The activity of the (−)-enantiomer is unknown; this study uses the library's default assumption: <em>${e(Object.values(minus.variants).join(', ') || 'default')}</em> (a DHP antagonist 4.1-fold weaker than (+)-MEM 1003, the enantiomer ratio of lercanidipine). The racemate's numbers depend on it${r.activityVariants.length ? ': the table <a href="#activity-variants">what the (−)-enantiomer\'s activity changes</a> shows the racemate under each alternative' : ''}.</li>`);
  warn.push(`<li>pCREB and c-fos are read after a 40 mM K⁺ depolarisation (3 min), Ca²⁺ load and the sAHP during 5 Hz firing: the window compares two protocols: the K⁺ protocol is the one the signalling was validated with, the firing protocols are those of this library's cell pharmacology experiments.</li>`);
  if (vascV !== undefined) warn.push(`<li>The vascular cell of this model rests at ${num(vascV, 3)} mV. DHP potency rises steeply with depolarisation (inactivated-state binding), so the vascular IC50 and the selectivity index depend on this resting potential.</li>`);
  warn.push('</ul>');
  parts.push(`<div class="warn">${warn.join('\n')}</div>`);

  // Key numbers.
  parts.push('<h2>Main results</h2>');
  const keyCards: string[] = [];
  const wRef = r.windows.find((w) => w.compound === r.compounds[0].id);
  if (wRef) keyCards.push(`<div class="key"><div class="l">Therapeutic window, ${e(nameOf(r, wRef.compound))} (${e(target)} CA1, pCREB ≥ ${fPct} of young)</div><div class="v">${wRef.status === 'interval' ? `${nm(wRef.lower_nM)} – ${wRef.upper_nM !== null ? nm(wRef.upper_nM) : '> ' + nm(r.options.concentrations_nM[r.options.concentrations_nM.length - 1])}` : 'empty'}</div><div class="l">free concentration</div></div>`);
  const top = r.exposures[r.exposures.length - 1];
  if (trial && top) {
    const wT = r.windows.find((w) => w.compound === trial.compound);
    keyCards.push(`<div class="key"><div class="l">${e(trialName)} ${top.dose_mg} mg twice daily, free brain (steady state)</div><div class="v">${nm(top.brainFree_nM.avg)} avg, ${nm(top.brainFree_nM.max)} peak</div><div class="l">${wT?.lower_nM ? `window starts ${formatNumber(wT.lower_nM / top.brainFree_nM.max, 2)}× above the peak` : ''}</div></div>`);
    const eff = r.exposureEffects.find((x) => x.dose_mg === top.dose_mg && x.level === 'peak');
    if (eff) keyCards.push(`<div class="key"><div class="l">At that peak: ${e(target)} Ca²⁺ load / vascular Cav1.2 current</div><div class="v">${pct(eff.relControl.caLoad_uM_s - 1)} / ${pct(eff.vascularRel - 1)}</div><div class="l">change from drug-free (${e(target)} load stays at ${pct(eff.relYoung.caLoad_uM_s)} of young)</div></div>`);
  }
  const sRef = r.selectivity.find((s) => s.compound === r.compounds[0].id);
  if (sRef) keyCards.push(`<div class="key"><div class="l">CNS/vascular selectivity index, ${e(nameOf(r, sRef.compound))} (${e(target)})</div><div class="v">${num(sRef.index[target], 2)}</div><div class="l">vascular IC50 ${nm(sRef.vascularIc50_nM)} / CNS IC50 ${nm(sRef.cns[target]?.ic50_nM)}</div></div>`);
  parts.push(`<div class="keys">${keyCards.join('')}</div>`);

  parts.push(`<h3>Therapeutic window and selectivity</h3>`);
  parts.push(`<p class="note">Window: free concentrations at which the ${e(target)} neuron's Ca²⁺ load during 5 Hz firing is at or below the young drug-free load while its pCREB rise stays at or above <strong>${fPct}</strong> of the young drug-free rise (the fraction is a parameter: <code>ltcc study --pcreb-fraction</code>). Edges by log-linear interpolation between simulated concentrations after ${r.options.edgeRefinements} bisection step${r.options.edgeRefinements === 1 ? '' : 's'} (the geometric midpoint of the bracketing concentrations is simulated). Selectivity index = vascular IC50 (Cav1.2 current at rest) / CNS IC50 (L-type Ca²⁺ entry during firing); below 1 means vessels are blocked first.</p>`);
  parts.push(table(
    ['compound', 'window', 'lower edge', 'upper edge', 'width', `at lower edge: sAHP / pCREB / c-fos (% of young)`, 'at lower edge: vascular Cav1.2 current', `CNS IC50 (${r.options.presets.join(' / ')})`, 'vascular IC50', `selectivity index (${r.options.presets.join(' / ')})`],
    r.compounds.map((c) => {
      const w = r.windows.find((x) => x.compound === c.id)!;
      const s = r.selectivity.find((x) => x.compound === c.id)!;
      return [
        e(c.name) + (c.sameBindingAs ? ` <span class="note">(as ${e(nameOf(r, c.sameBindingAs))})</span>` : ''),
        `<span class="status ${w.status}">${w.status}</span>`,
        nm(w.lower_nM), w.upper_nM !== null ? nm(w.upper_nM) : `> ${nm(r.options.concentrations_nM[r.options.concentrations_nM.length - 1])}`,
        w.width !== null ? `${formatNumber(w.width, 2)}×` : '—',
        w.atLower ? `${pct(w.atLower.sahpRelYoung)} / ${pct(w.atLower.pcrebRelYoung)} / ${pct(w.atLower.cfosRelYoung)}` : '—',
        w.atLower ? `${pct(w.atLower.vascularRel)} of drug-free` : '—',
        r.options.presets.map((p) => nm(s.cns[p]?.ic50_nM)).join(' / '), nm(s.vascularIc50_nM),
        r.options.presets.map((p) => num(s.index[p], 2)).join(' / '),
      ];
    }),
    [false, false, true, true, true, true, true, true, true, true],
    (i) => (r.compounds[i].sameBindingAs ? 'shared' : ''),
  ));

  if (r.activityVariants.length) parts.push(variantSection(r));

  if (trial && r.exposures.length) {
    parts.push(`<h3>The trial doses (${e(trialName)})</h3>`);
    parts.push(`<p class="note">${e(trial.source)}. Steady state under the compound's PK record (every MEM 1003 PK parameter is nimodipine's, an assumption). The cell read-outs are simulated at the steady-state average and peak free concentrations: ${e(target)} CA1 at the free brain, the vascular cell at the free plasma concentration.</p>`);
    parts.push(table(
      ['dose', 'plasma total Cmax / Cavg / Cmin (µg/L)', 'free plasma min / avg / peak', 'free brain min / avg / peak', 'lower window edge / free brain peak'],
      r.exposures.map((ex) => {
        const w = r.windows.find((x) => x.compound === trial.compound);
        return [
          `${ex.dose_mg} mg every ${ex.interval_h} h`,
          `${num(ex.plasma.cmax_ug_per_L)} / ${num(ex.plasma.cavg_ug_per_L)} / ${num(ex.plasma.cmin_ug_per_L)}`,
          `${nm(ex.plasmaFree_nM.min)} / ${nm(ex.plasmaFree_nM.avg)} / ${nm(ex.plasmaFree_nM.max)}`,
          `${nm(ex.brainFree_nM.min)} / ${nm(ex.brainFree_nM.avg)} / ${nm(ex.brainFree_nM.max)}`,
          w?.lower_nM ? `${formatNumber(w.lower_nM / ex.brainFree_nM.max, 2)}×` : '—',
        ];
      }),
      [false, true, true, true, true],
    ));
    parts.push(table(
      ['dose', 'level', 'free brain', `${target} L-type occupancy at rest`, `${target} Ca²⁺ load: % of ${target} drug-free / of young`, `${target} sAHP (% of young)`, `${target} pCREB (% of young)`, `${target} c-fos (% of young)`, 'free plasma', 'vascular occupancy', 'vascular Cav1.2 current (% of drug-free)'],
      r.exposureEffects.map((x) => [
        `${x.dose_mg} mg`, x.level, nm(x.brainFree_nM), pct(x.occupancy, 1),
        `${pct(x.relControl.caLoad_uM_s)} / ${pct(x.relYoung.caLoad_uM_s)}`, pct(x.relYoung.ahpArea_mV_s), pct(x.relYoung.pcrebRise), pct(x.relYoung.cfosRise),
        nm(x.plasmaFree_nM), pct(x.vascularOccupancy), pct(x.vascularRel),
      ]),
      [false, false, true, true, true, true, true, true, true, true, true],
    ));
  }

  parts.push('<h2>Therapeutic window per compound</h2>', `<div class="figs">${byFig('window')}</div>`);
  parts.push('<h2>Pharmacokinetics of the trial doses</h2>', `<div class="figs wide">${byFig('pk')}</div>`);
  parts.push('<h2>Concentration–response by read-out</h2>', `<p class="note">CA1 read-outs in % of the <em>young</em> drug-free neuron, so the ${e(target)} curves start above 100 % where aging raises the read-out. Compounds as series; free concentration on a log axis (nM).</p>`, `<div class="figs">${byFig('readouts')}</div>`);
  parts.push('<h2>Neuron vs vessel</h2>', `<div class="figs">${byFig('selectivity')}</div>`);

  // Fits.
  parts.push('<h2>Fitted half-maximal concentrations</h2>');
  parts.push('<p class="note">Hill fits of each read-out relative to the same cell\'s drug-free value (top fixed at 1; bottom fitted for Ca²⁺ load, sAHP and vascular cytosolic Ca²⁺, which do not vanish at full L-type block, fixed at 0 otherwise), 95 % confidence intervals from the asymptotic covariance. A large RMS residual means the Hill equation describes the curve poorly; read the points then.</p>');
  const label = (key: string): string => CA1_READOUTS.find((x) => x.key === key)?.label ?? (key === 'iCa_pA' ? 'Cav1.2 Ca²⁺ current' : key === 'caCyt_uM' ? 'cytosolic Ca²⁺' : key);
  parts.push(table(
    ['compound', 'cell', 'read-out', 'effect', 'IC50', '95 % CI', 'Hill slope', 'bottom', 'RMS residual'],
    r.fits.filter((x) => !r.compounds.find((c) => c.id === x.compound)?.sameBindingAs).map((x) => [
      e(nameOf(r, x.compound)) + (r.compounds.some((c) => c.sameBindingAs === x.compound) ? ` = ${e(r.compounds.filter((c) => c.sameBindingAs === x.compound).map((c) => c.name).join(', '))}` : ''),
      x.context === 'ca1' ? `CA1 ${e(x.preset)}` : 'vascular', e(label(x.readout)), x.effect,
      nm(x.fit?.ic50_nM), x.fit ? `${nm(x.fit.ic50_ci_nM[0])} – ${nm(x.fit.ic50_ci_nM[1])}` : '—', num(x.fit?.hill, 3), num(x.fit?.bottom, 3), num(x.fit?.rmse, 2),
    ]),
    [false, false, false, false, true, true, true, true, true],
  ));

  // Assumptions.
  parts.push('<h2>Assumptions</h2>');
  const study = r.assumptions.filter((a) => a.kind === 'study');
  const comp = r.assumptions.filter((a) => a.kind === 'compound');
  const model = r.assumptions.filter((a) => a.kind === 'model');
  parts.push('<h3>Choices of this study</h3>', `<ul>${study.map((a) => `<li><code>${e(a.name)}</code>: ${e(a.text)}</li>`).join('')}</ul>`);
  parts.push('<h3>Compound numbers resting on assumptions</h3>', '<p class="note">From the compound records. MEM 1003 entries are DHP-class assumptions (nimodipine\'s values).</p>');
  parts.push(table(['field', 'value', 'unit', 'assumption'], comp.map((a) => [`<code>${e(a.name)}</code>`, num(a.value, 4), e(a.unit ?? ''), e(a.text)]), [false, true, false, false]));
  parts.push(`<details><summary>Model parameters resting on assumptions (${model.length})</summary>`);
  parts.push(table(['parameter', 'value', 'unit', 'assumption'], model.map((a) => [`<code>${e(a.name)}</code>`, num(a.value, 4), e(a.unit ?? ''), e(a.text)]), [false, true, false, false]));
  parts.push('</details>');
  const notes = [...new Set(r.compounds.flatMap((c) => c.notes))];
  if (notes.length) parts.push('<h3>Notes of the compound records</h3>', `<ul>${notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`);

  // Run record.
  parts.push('<h2>Run</h2>');
  parts.push(table(null, [
    ['command', `<code>${e(info.command)}</code>`],
    ['ltcc version', e(info.version)],
    ['started / finished', `${e(info.started)} / ${e(info.finished)}`],
    ['wall time', `${(info.wallMs / 1000).toFixed(1)} s (${r.stats.simulations} simulations on ${r.stats.workers} ${r.stats.threads ? 'worker threads' : 'thread'})`],
    ['solver', `${e(r.solver.method)}; CA1 firing rtol ${r.solver.ca1.rtol}, atol ${r.solver.ca1.atol}; signalling rtol ${r.solver.signalling.rtol}, atol ${r.solver.signalling.atol}; vascular rtol 1e-6, atol 1e-8`],
    ['seed', `${info.seed} (no random numbers are drawn: same inputs, same numbers)`],
    ['combined model hash', `<code>${e(info.modelHash)}</code>`],
    ['run store', info.runId !== undefined ? `run #${info.runId} in <code>${e(info.store ?? '')}</code>` : info.store ? `recorded in <code>${e(info.store)}</code> once the files were in place (<code>ltcc runs list</code>)` : 'not recorded'],
  ]));
  parts.push('<h3>Models</h3>', table(['model', 'states', 'SHA-256 of the model'], r.models.map((m) => [e(m.label), String(m.states), `<code>${e(m.hash)}</code>`]), [false, true, false]));
  if (info.files.length) parts.push('<h3>Files</h3>', table(['file', 'bytes', 'content'], info.files.map((x) => [`<code>${e(x.path)}</code>`, String(x.bytes), e(x.description)]), [false, true, false]));
  parts.push(`<p class="note">Written by ltcc ${e(info.version)} on ${e(info.finished)}. Same command, same version: same numbers.</p>`);
  parts.push('</main></body>', '</html>', '');
  return parts.join('\n');
}
