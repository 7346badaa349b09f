/**
 * `report.html`: one self-contained page (inline CSS and SVG, no scripts, no external
 * resources) with the run's summary, plots, tables, the validation status of the targets the
 * run touches, and the assumptions the model relied on.
 */
import type { AssumptionUsed, FileEntry, RunManifest } from '../io/store/manifest.js';
import type { Table } from '../io/writers/table.js';
import { tableRows } from '../io/writers/table.js';
import { formatNumber } from './plots.js';

/** A plot in the report. */
export interface ReportFigure {
  /** What the plot shows (its accessible name; the SVG carries its own visible title). */
  title: string;
  /** A standalone SVG (as the plot functions return). */
  svg: string;
  /** One or two sentences under the plot. Default: none. */
  caption?: string;
}

/** A table in the report. */
export interface ReportTable {
  title: string;
  table: Table;
  caption?: string;
  /** Most rows shown (the files hold all of them). Default 50. */
  maxRows?: number;
}

/** The state of one published validation target that the run touches. */
export interface ValidationStatus {
  /** Target id in the validation catalogue. */
  id: string;
  /** What is compared, in a sentence. */
  description: string;
  status: 'pass' | 'fail' | 'not-run';
  /** Simulated vs published value, tolerance. Default: none. */
  detail?: string;
  /** The publication (author year, figure). Default: none. */
  source?: string;
}

/** Everything the report shows. */
export interface ReportInput {
  manifest: RunManifest;
  figures?: readonly ReportFigure[];
  tables?: readonly ReportTable[];
  /** Validation targets the run touches. Default: none (the section says so). */
  validation?: readonly ValidationStatus[];
  /** Extra remarks shown under the summary (e.g. what an experiment could not do). Default: none. */
  notes?: readonly string[];
}

/** Escapes text for HTML. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #222; margin: 0; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; background: white; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 1em; margin: 20px 0 6px; }
p.sub { color: #555; margin: 0 0 16px; }
table { border-collapse: collapse; font-size: 0.88em; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: "DejaVu Sans Mono", monospace; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 0.92em; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; }
pre { background: #f6f7f9; padding: 10px; overflow-x: auto; border-radius: 4px; }
div.figures { display: flex; flex-wrap: wrap; gap: 8px 24px; }
figure { margin: 8px 0 16px; flex: 1 1 460px; max-width: 640px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.85em; font-weight: 600; }
.ok, .pass { background: #d9f2e3; color: #11622f; }
.failed, .fail { background: #fbe0dc; color: #8a1c0c; }
.interrupted, .not-run { background: #eee; color: #555; }
.note { color: #555; font-size: 0.9em; }
`;

const fmt = (v: unknown): string => {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e9 ? String(v) : formatNumber(v, 4);
  if (v === undefined || v === null) return '—';
  return String(v);
};

function htmlTable(head: readonly string[], rows: readonly (readonly unknown[])[], numeric: readonly boolean[] = []): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${escapeHtml(fmt(c))}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function tableSection(t: ReportTable): string {
  const n = tableRows(t.table);
  const max = t.maxRows ?? 50;
  const head = t.table.columns.map((c) => (c.unit && c.unit !== 'dimensionless' ? `${c.name} (${c.unit})` : c.name));
  const numeric = t.table.columns.map((c) => c.values.length > 0 && typeof c.values[0] === 'number');
  const rows: unknown[][] = [];
  for (let i = 0; i < Math.min(n, max); i++) rows.push(t.table.columns.map((c) => c.values[i]));
  const more = n > max ? `<p class="note">First ${max} of ${n} rows; the files hold all of them.</p>` : '';
  return `<h3>${escapeHtml(t.title)}</h3>\n${htmlTable(head, rows, numeric)}${more}${t.caption ? `<p class="note">${escapeHtml(t.caption)}</p>` : ''}`;
}

/** Inline SVG without an XML declaration or DOCTYPE. */
const inlineSvg = (svg: string): string => svg.replace(/<\?xml[^>]*\?>\s*/g, '').replace(/<!DOCTYPE[^>]*>\s*/gi, '');

function assumptionsSection(list: readonly AssumptionUsed[]): string {
  if (list.length === 0) return '<p>The model uses no parameter marked as an assumption.</p>';
  return `<p>${list.length} parameter value${list.length === 1 ? '' : 's'} of this run rest${list.length === 1 ? 's' : ''} on an assumption rather than a published source:</p>\n`
    + htmlTable(['parameter', 'value', 'unit', 'assumption'], list.map((a) => [a.name + (a.overridden ? ' (set by the scenario)' : ''), a.value, a.unit ?? '', a.assumption]), [false, true, false, false]);
}

function validationSection(list: readonly ValidationStatus[]): string {
  if (list.length === 0) return '<p>This run touches no target of the validation catalogue.</p>';
  return htmlTable(['target', 'what', 'status', 'detail', 'source'], list.map((v) => [v.id, v.description, v.status, v.detail ?? '', v.source ?? '']))
    .replace(/<td>(pass|fail|not-run)<\/td>/g, '<td><span class="status $1">$1</span></td>');
}

function filesSection(files: readonly FileEntry[]): string {
  if (files.length === 0) return '';
  return `<h2>Files</h2>\n${htmlTable(['file', 'size (bytes)', 'content'], files.map((f) => [f.path, f.bytes, f.description]), [false, true, false])}`;
}

/** Renders the report page. */
export function renderReport(input: ReportInput): string {
  const m = input.manifest;
  const s = m.solver;
  const stats = s?.stats ?? {};
  const facts: [string, string][] = [
    ['status', `<span class="status ${escapeHtml(m.status)}">${escapeHtml(m.status)}</span>`],
    ['scenario', `<code>${escapeHtml(m.source)}</code>`],
    ['context / preset', `${escapeHtml(m.context)} / ${escapeHtml(m.preset)}`],
    ['model', `${escapeHtml(m.model.name)}: ${m.model.states} states, ${m.model.parameters} parameters, ${m.model.observables} observables`],
    ['model hash', `<code>${escapeHtml(m.modelHash)}</code>`],
    ['ltcc version', escapeHtml(m.version)],
    ['seed', String(m.seed)],
    ['solver', s ? `${escapeHtml(s.method)}, rtol ${fmt(s.rtol)}, atol ${fmt(s.atol)}${s.maxSteps ? `, maxSteps ${s.maxSteps}` : ''}${s.hmax ? `, hmax ${fmt(s.hmax)}` : ''}` : '—'],
    ['solver result', s ? `${escapeHtml(s.retcode)}${s.message ? ` — ${escapeHtml(s.message)}` : ''}; ${fmt(stats.steps)} steps, ${fmt(stats.nf)} rhs and ${fmt(stats.nJ)} Jacobian evaluations` : '—'],
    ['started', escapeHtml(m.started)],
    ['wall time', `${(m.wallMs / 1000).toFixed(2)} s`],
  ];
  const summaryRows = m.summary.map((r) => [r.output, r.unit ?? '', r.min, r.max, r.final, r.tMax, r.mean]);
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(m.name)} — ltcc report</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    `<h1>${escapeHtml(m.name)}</h1>`,
    `<p class="sub">${m.description ? escapeHtml(m.description) : 'ltcc simulation report'}</p>`,
    '<h2>Run</h2>',
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`,
    ...(input.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`),
  ];
  if (m.warnings.length) parts.push(`<h3>Model warnings</h3><ul>${m.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`);
  parts.push('<h2>Summary</h2>');
  parts.push(summaryRows.length
    ? htmlTable(['output', 'unit', 'min', 'max', 'final', `time of max (${m.model.timeUnit ?? 'ms'})`, 'mean'], summaryRows, [false, false, true, true, true, true, true])
    : '<p>No outputs.</p>');
  if ((input.figures ?? []).length) {
    parts.push('<h2>Plots</h2>', '<div class="figures">');
    for (const f of input.figures ?? []) {
      parts.push(`<figure role="img" aria-label="${escapeHtml(f.title)}">\n${inlineSvg(f.svg)}${f.caption ? `<figcaption>${escapeHtml(f.caption)}</figcaption>` : ''}</figure>`);
    }
    parts.push('</div>');
  }
  if ((input.tables ?? []).length) {
    parts.push('<h2>Tables</h2>');
    for (const t of input.tables ?? []) parts.push(tableSection(t));
  }
  parts.push('<h2>Validation</h2>', validationSection(input.validation ?? []));
  parts.push('<h2>Assumptions</h2>', assumptionsSection(m.assumptions));
  parts.push('<h2>Scenario as run</h2>', `<pre>${escapeHtml(JSON.stringify(m.scenario, null, 2))}</pre>`);
  parts.push(filesSection(m.files));
  parts.push(`<p class="note">Written by ltcc ${escapeHtml(m.version)} on ${escapeHtml(m.finished)}. Every number can be reproduced from the scenario above, the model hash and the seed.</p>`);
  parts.push('</main></body>', '</html>', '');
  return parts.join('\n');
}
