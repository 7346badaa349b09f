/**
 * Static plots without a browser: Observable Plot draws the marks into a linkedom document,
 * the frame (title, legend, colour bar) is plain SVG drawn here, and resvg renders PNG.
 *
 * Every plot function takes one plain options object and returns a standalone SVG string
 * (deterministic: fixed class names, coordinates rounded to 3 decimals). Axis labels carry
 * units as `label (unit)`.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { Resvg } from '@resvg/resvg-js';

/** Colour-blind-safe categorical palette (Okabe & Ito 2008), black last. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'] as const;

/** Font used for text in SVG and PNG output. */
export const FONT_FAMILY = 'DejaVu Sans, Arial, Helvetica, sans-serif';

/** Size and title shared by every plot. */
export interface PlotFrame {
  /** Title drawn above the plot. Default: none. */
  title?: string;
  /** Width of the whole figure (px). Default 640. */
  width?: number;
  /** Height of the plotting area, without title and legend (px). Default 320. */
  height?: number;
}

/** One line of a time-course plot. */
export interface TraceSeries {
  /** Legend entry. */
  name: string;
  /** Time points (ascending). */
  t: ArrayLike<number>;
  /** Values, same length as `t`. */
  y: ArrayLike<number>;
}

export interface TracePlotOptions extends PlotFrame {
  series: readonly TraceSeries[];
  /** Quantity on the vertical axis, e.g. `[Ca²⁺]`. */
  yLabel: string;
  /** Unit of the values, e.g. `uM`. Default: none. */
  yUnit?: string;
  /** Unit of time. Default `ms`. */
  timeUnit?: string;
  /** Logarithmic vertical axis (values must be > 0). Default false. */
  yLog?: boolean;
  /** Most points drawn per series; longer series are reduced keeping each bucket's min and max. Default 2000. */
  maxPoints?: number;
}

/** One compound (or condition) of a concentration–response plot. */
export interface ConcentrationResponseSeries {
  name: string;
  /** Concentrations (> 0), in `concentrationUnit`. */
  concentrations: ArrayLike<number>;
  /** Response at each concentration. */
  responses: ArrayLike<number>;
  /** The fitted curve sampled at ascending concentrations, with an optional confidence band. */
  fit?: {
    x: ArrayLike<number>;
    y: ArrayLike<number>;
    /** Lower edge of the confidence band at each x. */
    lower?: ArrayLike<number>;
    /** Upper edge of the confidence band at each x. */
    upper?: ArrayLike<number>;
  };
  /** Half-maximal concentration to mark with a dashed vertical line. Default: none. */
  ic50?: number;
}

export interface ConcentrationResponsePlotOptions extends PlotFrame {
  series: readonly ConcentrationResponseSeries[];
  /** What is measured, e.g. `peak ICa`. */
  responseLabel: string;
  /** Unit of the response, e.g. `% of control`. Default: none. */
  responseUnit?: string;
  /** Unit of concentration. Default `µM`. */
  concentrationUnit?: string;
}

/** One curve of an I–V or activation plot. */
export interface VoltageSeries {
  name: string;
  /** Membrane (or test) potentials (mV). */
  voltage: ArrayLike<number>;
  /** Current (I–V) or normalised conductance/availability (activation, inactivation). */
  value: ArrayLike<number>;
  /** A fitted curve drawn as a line (the points are drawn as dots). Default: the points are joined. */
  fit?: { voltage: ArrayLike<number>; value: ArrayLike<number> };
}

export interface IvPlotOptions extends PlotFrame {
  series: readonly VoltageSeries[];
  /** Unit of current. Default `pA`. */
  currentUnit?: string;
  /** Label of the current axis. Default `I`. */
  currentLabel?: string;
}

export interface ActivationPlotOptions extends PlotFrame {
  series: readonly VoltageSeries[];
  /** Label of the vertical axis. Default `G/Gmax`. */
  yLabel?: string;
}

export interface HeatmapPlotOptions extends PlotFrame {
  /** Values of the horizontal parameter (columns). */
  x: readonly number[];
  /** Values of the vertical parameter (rows). */
  y: readonly number[];
  /** Read-out per cell, row-major: `z[i * x.length + j]` belongs to `y[i]`, `x[j]`. NaN cells are drawn grey. */
  z: ArrayLike<number>;
  xLabel: string;
  xUnit?: string;
  yLabel: string;
  yUnit?: string;
  /** Name of the read-out, for the colour bar. */
  zLabel: string;
  zUnit?: string;
  /** Print each cell's value when the grid has at most this many cells. Default 100. */
  annotateUpTo?: number;
}

/** `label (unit)`, or the label alone. */
export const withUnit = (label: string, unit?: string): string => (unit && unit !== 'dimensionless' ? `${label} (${unit})` : label);

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Rounds every decimal number with more than 3 decimals in an SVG string to 3 decimals. */
export function roundSvgNumbers(svg: string): string {
  return svg.replace(/-?\d+\.\d{4,}(?:e-?\d+)?/g, (m) => {
    const r = Math.round(Number(m) * 1000) / 1000;
    return String(Object.is(r, -0) ? 0 : r);
  });
}

/** Significant-digit formatting for tick and cell labels. */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(digits)));
}

/**
 * Reduces a series to at most `max` points: the range is cut into max/2 buckets and each keeps
 * its minimum and maximum (in time order), so spikes stay visible.
 */
export function decimate(t: ArrayLike<number>, y: ArrayLike<number>, max: number): { t: number[]; y: number[] } {
  const n = Math.min(t.length, y.length);
  if (n <= max) return { t: Array.from({ length: n }, (_, i) => t[i]), y: Array.from({ length: n }, (_, i) => y[i]) };
  const buckets = Math.max(1, Math.floor(max / 2));
  const ot: number[] = [];
  const oy: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets);
    let iMin = lo;
    let iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (y[i] < y[iMin]) iMin = i;
      if (y[i] > y[iMax]) iMax = i;
    }
    for (const i of iMin <= iMax ? [iMin, iMax] : [iMax, iMin]) {
      if (ot.length && ot[ot.length - 1] === t[i] && oy[oy.length - 1] === y[i]) continue;
      ot.push(t[i]);
      oy.push(y[i]);
    }
  }
  return { t: ot, y: oy };
}

const LEGEND_ROW = 18;
const TITLE_H = 26;

interface LegendItem { name: string; color: string; dashed?: boolean }

/** Height of the legend block for `items` at `width`. */
function legendLayout(items: readonly LegendItem[], width: number): { x: number; y: number; item: LegendItem }[] {
  const out: { x: number; y: number; item: LegendItem }[] = [];
  let x = 40;
  let y = 0;
  for (const item of items) {
    const w = 28 + item.name.length * 7 + 16;
    if (x + w > width - 10 && x > 40) {
      x = 40;
      y += LEGEND_ROW;
    }
    out.push({ x, y, item });
    x += w;
  }
  return out;
}

/** Wraps the plot's SVG with a white background, a title and a legend, as one SVG document. */
function frame(plotSvg: string, o: { title?: string; width: number; height: number; legend?: readonly LegendItem[]; extra?: { svg: string; height: number } }): string {
  const titleH = o.title ? TITLE_H : 0;
  const legend = o.legend && o.legend.length > 1 ? legendLayout(o.legend, o.width) : [];
  const legendH = legend.length ? legend[legend.length - 1].y + LEGEND_ROW + 6 : 0;
  const extraH = o.extra ? o.extra.height : 0;
  const total = titleH + o.height + legendH + extraH;
  const inner = plotSvg
    .replace(/^<svg /, `<svg x="0" y="${titleH}" `)
    .replace(/ class="[^"]*"/g, '')
    .replace(/<style>[\s\S]*?<\/style>/g, '');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${total}" viewBox="0 0 ${o.width} ${total}" font-family="${FONT_FAMILY}" font-size="11" color="#222">`,
    `<rect x="0" y="0" width="${o.width}" height="${total}" fill="white"/>`,
  ];
  if (o.title) parts.push(`<text x="${o.width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">${esc(o.title)}</text>`);
  parts.push(inner);
  const ly = titleH + o.height + 4;
  for (const { x, y, item } of legend) {
    const yy = ly + y + LEGEND_ROW / 2;
    parts.push(`<line x1="${x}" x2="${x + 22}" y1="${yy}" y2="${yy}" stroke="${item.color}" stroke-width="2.5"${item.dashed ? ' stroke-dasharray="4,3"' : ''}/>`);
    parts.push(`<text x="${x + 28}" y="${yy + 4}" fill="#222">${esc(item.name)}</text>`);
  }
  if (o.extra) parts.push(`<g transform="translate(0, ${titleH + o.height + legendH})">${o.extra.svg}</g>`);
  parts.push('</svg>');
  return roundSvgNumbers(parts.join('\n'));
}

/** Runs Observable Plot in a fresh linkedom document and returns the SVG markup. */
function render(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const el = Plot.plot({ ...options, document: document as unknown as Plot.PlotOptions['document'], className: 'ltcc-plot' });
  const html = (el as unknown as { outerHTML: string }).outerHTML;
  if (!html.startsWith('<svg')) throw new Error('internal: the plot produced HTML instead of SVG (a legend or title was passed to Plot)');
  return html;
}

/** Log-axis tick labels: decades only, in plain numbers (0.001, 0.01, …, 10) rather than SI prefixes. */
const decadeFormat = (d: number): string => {
  const l = Math.log10(d);
  return Math.abs(l - Math.round(l)) < 1e-9 ? formatNumber(d) : '';
};

const colorOf = (i: number): string => PALETTE[i % PALETTE.length];
const finiteRows = <T extends Record<string, number>>(rows: T[], keys: readonly (keyof T)[]): T[] => rows.filter((r) => keys.every((k) => Number.isFinite(r[k])));

/** Time courses: one line per series, time on x. */
export function tracePlot(o: TracePlotOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 320;
  const max = o.maxPoints ?? 2000;
  const marks: Plot.Markish[] = [];
  o.series.forEach((s, i) => {
    const d = decimate(s.t, s.y, max);
    const rows = finiteRows(d.t.map((t, k) => ({ t, y: d.y[k] })), ['t', 'y']).filter((r) => !o.yLog || r.y > 0);
    marks.push(Plot.line(rows, { x: 't', y: 'y', stroke: colorOf(i), strokeWidth: 1.5 }));
  });
  const svg = render({
    width, height, marginLeft: 60, marginRight: 20,
    x: { label: withUnit('time', o.timeUnit ?? 'ms'), grid: true },
    y: { label: withUnit(o.yLabel, o.yUnit), grid: true, ...(o.yLog ? { type: 'log' as const, tickFormat: decadeFormat } : {}) },
    marks,
  });
  return frame(svg, { ...(o.title ? { title: o.title } : {}), width, height, legend: o.series.map((s, i) => ({ name: s.name, color: colorOf(i) })) });
}

/** Concentration–response: points, fitted curve and confidence band on a log concentration axis. */
export function concentrationResponsePlot(o: ConcentrationResponsePlotOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 360;
  const marks: Plot.Markish[] = [];
  o.series.forEach((s, i) => {
    const c = colorOf(i);
    const f = s.fit;
    if (f?.lower && f.upper) {
      const band = finiteRows(Array.from({ length: f.x.length }, (_, k) => ({ x: f.x[k], lo: f.lower![k], hi: f.upper![k] })), ['x', 'lo', 'hi']).filter((r) => r.x > 0);
      marks.push(Plot.areaY(band, { x: 'x', y1: 'lo', y2: 'hi', fill: c, fillOpacity: 0.18 }));
    }
    if (f) {
      const line = finiteRows(Array.from({ length: f.x.length }, (_, k) => ({ x: f.x[k], y: f.y[k] })), ['x', 'y']).filter((r) => r.x > 0);
      marks.push(Plot.line(line, { x: 'x', y: 'y', stroke: c, strokeWidth: 2 }));
    }
    const pts = finiteRows(Array.from({ length: s.concentrations.length }, (_, k) => ({ x: s.concentrations[k], y: s.responses[k] })), ['x', 'y']).filter((r) => r.x > 0);
    marks.push(Plot.dot(pts, { x: 'x', y: 'y', fill: c, stroke: 'white', r: 3.5 }));
    if (s.ic50 !== undefined && s.ic50 > 0 && Number.isFinite(s.ic50)) marks.push(Plot.ruleX([s.ic50], { stroke: c, strokeDasharray: '4,3' }));
  });
  const unit = o.concentrationUnit ?? 'µM';
  const svg = render({
    width, height, marginLeft: 60, marginRight: 20, marginBottom: 36,
    x: { type: 'log', label: withUnit('concentration', unit), grid: true, tickFormat: decadeFormat },
    y: { label: withUnit(o.responseLabel, o.responseUnit), grid: true },
    marks,
  });
  return frame(svg, { ...(o.title ? { title: o.title } : {}), width, height, legend: o.series.map((s, i) => ({ name: s.name, color: colorOf(i) })) });
}

function voltagePlot(o: PlotFrame & { series: readonly VoltageSeries[] }, yLabel: string, zeroLines: boolean, yDomain?: [number, number]): string {
  const width = o.width ?? 560;
  const height = o.height ?? 360;
  const marks: Plot.Markish[] = [];
  if (zeroLines) marks.push(Plot.ruleY([0], { stroke: '#888' }), Plot.ruleX([0], { stroke: '#888' }));
  o.series.forEach((s, i) => {
    const c = colorOf(i);
    const pts = finiteRows(Array.from({ length: s.voltage.length }, (_, k) => ({ v: s.voltage[k], y: s.value[k] })), ['v', 'y']);
    if (s.fit) {
      const f = s.fit;
      marks.push(Plot.line(finiteRows(Array.from({ length: f.voltage.length }, (_, k) => ({ v: f.voltage[k], y: f.value[k] })), ['v', 'y']), { x: 'v', y: 'y', stroke: c, strokeWidth: 2 }));
    } else {
      marks.push(Plot.line(pts, { x: 'v', y: 'y', stroke: c, strokeWidth: 1.5 }));
    }
    marks.push(Plot.dot(pts, { x: 'v', y: 'y', fill: c, r: 3 }));
  });
  const svg = render({
    width, height, marginLeft: 60, marginRight: 20,
    x: { label: 'V (mV)', grid: true },
    y: { label: yLabel, grid: true, ...(yDomain ? { domain: yDomain } : {}) },
    marks,
  });
  return frame(svg, { ...(o.title ? { title: o.title } : {}), width, height, legend: o.series.map((s, i) => ({ name: s.name, color: colorOf(i) })) });
}

/** Current–voltage relation, with the axes through zero. */
export function ivPlot(o: IvPlotOptions): string {
  return voltagePlot(o, withUnit(o.currentLabel ?? 'I', o.currentUnit ?? 'pA'), true);
}

/** Activation (or steady-state inactivation) curves: normalised values from 0 to 1 against voltage. */
export function activationPlot(o: ActivationPlotOptions): string {
  return voltagePlot(o, o.yLabel ?? 'G/Gmax', false, [0, 1.05]);
}

/** A two-parameter sweep as a heat map, with a colour bar. */
export function heatmapPlot(o: HeatmapPlotOptions): string {
  const nx = o.x.length;
  const ny = o.y.length;
  if (o.z.length !== nx * ny) throw new RangeError(`heat map: z has ${o.z.length} values, expected ${nx} × ${ny} = ${nx * ny}`);
  const width = o.width ?? 560;
  const height = o.height ?? 400;
  const rows: { x: string; y: string; z: number }[] = [];
  for (let i = 0; i < ny; i++) for (let j = 0; j < nx; j++) rows.push({ x: formatNumber(o.x[j]), y: formatNumber(o.y[i]), z: o.z[i * nx + j] });
  const finite = rows.map((r) => r.z).filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi0 = finite.length ? Math.max(...finite) : 1;
  const hi = hi0 > lo ? hi0 : lo + 1;
  const color = Plot.scale({ color: { type: 'linear', scheme: 'viridis', domain: [lo, hi] } });
  const fill = (z: number): string => (Number.isFinite(z) ? String(color.apply(z)) : '#ccc');
  const marks: Plot.Markish[] = [Plot.cell(rows, { x: 'x', y: 'y', fill: (r: { z: number }) => fill(r.z), inset: 0.5 })];
  if (rows.length <= (o.annotateUpTo ?? 100)) {
    marks.push(Plot.text(rows, {
      x: 'x', y: 'y', text: (r: { z: number }) => formatNumber(r.z),
      fill: (r: { z: number }) => (Number.isFinite(r.z) && (r.z - lo) / (hi - lo) > 0.6 ? '#222' : 'white'),
    }));
  }
  const svg = render({
    width, height, marginLeft: 70, marginBottom: 40, marginRight: 20,
    x: { type: 'band', padding: 0, domain: o.x.map((v) => formatNumber(v)), label: withUnit(o.xLabel, o.xUnit) },
    y: { type: 'band', padding: 0, domain: [...o.y].reverse().map((v) => formatNumber(v)), label: withUnit(o.yLabel, o.yUnit) },
    marks,
  });
  // Colour bar: a gradient from lo to hi with its two ends labelled.
  const barW = Math.min(300, width - 140);
  // Ids must stay unique when several heat maps are inlined into one page.
  let h = 2166136261;
  for (const ch of `${o.xLabel}|${o.yLabel}|${o.zLabel}|${o.title ?? ''}|${lo}|${hi}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const gid = `ltcc-colorbar-${h.toString(16)}`;
  const stops = Array.from({ length: 11 }, (_, k) => `<stop offset="${k * 10}%" stop-color="${fill(lo + (k / 10) * (hi - lo))}"/>`).join('');
  const bar = [
    `<defs><linearGradient id="${gid}" x1="0" x2="1" y1="0" y2="0">${stops}</linearGradient></defs>`,
    `<text x="70" y="16" fill="#222">${esc(withUnit(o.zLabel, o.zUnit))}</text>`,
    `<text x="70" y="36" text-anchor="start" fill="#222">${esc(formatNumber(lo))}</text>`,
    `<rect x="${110}" y="24" width="${barW}" height="14" fill="url(#${gid})" stroke="#888" stroke-width="0.5"/>`,
    `<text x="${110 + barW + 6}" y="36" text-anchor="start" fill="#222">${esc(formatNumber(hi0))}</text>`,
  ].join('');
  return frame(svg, { ...(o.title ? { title: o.title } : {}), width, height, extra: { svg: bar, height: 46 } });
}

/** One curve of a {@link linePlot}. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface LinePlotOptions extends PlotFrame {
  series: readonly LineSeries[];
  xLabel: string;
  /** Unit of x. Default: none. */
  xUnit?: string;
  yLabel: string;
  /** Unit of y. Default: none. */
  yUnit?: string;
  /** Logarithmic x axis (x must be > 0). Default false. */
  xLog?: boolean;
}

/** A read-out against a swept parameter: dots joined by lines, one colour per series. */
export function linePlot(o: LinePlotOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 320;
  const marks: Plot.Markish[] = [];
  o.series.forEach((s, i) => {
    const rows = finiteRows(Array.from({ length: s.x.length }, (_, k) => ({ x: s.x[k], y: s.y[k] })), ['x', 'y']).filter((r) => !o.xLog || r.x > 0);
    marks.push(Plot.line(rows, { x: 'x', y: 'y', stroke: colorOf(i), strokeWidth: 1.5 }), Plot.dot(rows, { x: 'x', y: 'y', fill: colorOf(i), r: 3 }));
  });
  const svg = render({
    width, height, marginLeft: 60, marginRight: 20,
    x: { label: withUnit(o.xLabel, o.xUnit), grid: true, ...(o.xLog ? { type: 'log' as const, tickFormat: decadeFormat } : {}) },
    y: { label: withUnit(o.yLabel, o.yUnit), grid: true },
    marks,
  });
  return frame(svg, { ...(o.title ? { title: o.title } : {}), width, height, legend: o.series.map((s, i) => ({ name: s.name, color: colorOf(i) })) });
}

export interface BarPlotOptions extends PlotFrame {
  /** One bar per category, top to bottom (e.g. intact, then each knock-out). */
  categories: readonly string[];
  values: ArrayLike<number>;
  /** What the bars measure. */
  label: string;
  unit?: string;
}

/** Horizontal bars with their values printed, e.g. a read-out per knock-out. */
export function barPlot(o: BarPlotOptions): string {
  if (o.values.length !== o.categories.length) throw new RangeError(`bar plot: ${o.values.length} values for ${o.categories.length} categories`);
  const width = o.width ?? 560;
  const height = o.height ?? Math.max(120, 40 + 28 * o.categories.length);
  const rows = o.categories.map((c, i) => ({ c, v: o.values[i] })).filter((r) => Number.isFinite(r.v));
  const longest = Math.max(...o.categories.map((c) => c.length), 4);
  const svg = render({
    width, height, marginLeft: Math.min(220, 12 + longest * 7), marginRight: 60,
    x: { label: withUnit(o.label, o.unit), grid: true },
    y: { type: 'band', domain: [...o.categories], label: null },
    marks: [
      Plot.barX(rows, { x: 'v', y: 'c', fill: PALETTE[0] }),
      Plot.text(rows, { x: 'v', y: 'c', text: (r: { v: number }) => formatNumber(r.v), textAnchor: 'start', dx: 4, fill: '#222' }),
      Plot.ruleX([0], { stroke: '#888' }),
    ],
  });
  return frame(svg, { ...(o.title ? { title: o.title } : {}), width, height });
}

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Pixel density: 2 renders a 640-px-wide plot as 1280 px. Default 2. */
  scale?: number;
}

/** Renders an SVG string to PNG bytes (white background, system fonts). */
export function svgToPng(svg: string, o: PngOptions = {}): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: o.scale ?? 2 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(r.render().asPng());
}
