/**
 * CaMKII frequency decoding (De Koninck & Schulman 1998 Science 279:227, qualitative): purified
 * CaMKII superfused with Ca²⁺/CaM pulses turns the pulse frequency into graded autonomous
 * activity. Here the bulk CaMKII of the signalling (the same equations and rates as in the
 * cell) sees square Ca²⁺ pulses with free CaM held constant (superfusion), no phosphatase (a
 * purified enzyme), and a fixed number of pulses at each frequency; the read-out is the
 * T286-phosphorylated (autonomous) fraction right after the last pulse.
 *
 * The pulse amplitude, width, number and CaM concentration of the original figure were not
 * retrievable; the defaults below are assumptions chosen to sit inside the range the paper
 * describes (Ca²⁺ spikes of fixed amplitude and duration at up to a few Hz).
 */
import { compile } from '../compile/compile.js';
import type { CompiledModel } from '../compile/compiled.js';
import { ModelBuilder } from '../model/builder.js';
import { BiologyError } from '../biology/errors.js';
import { calmodulin } from '../biology/signalling/calmodulin.js';
import { camkii } from '../biology/signalling/camkii.js';
import { simulate } from '../solve/simulate.js';
import { isSuccessful } from '../solve/types.js';
import { SignallingRunFailed } from './signalling.js';

/** Options of {@link frequencyDecoding} (each optional; defaults are assumptions, see module comment). */
export interface FrequencyDecodingOptions {
  /** Pulse frequencies (Hz). Default 0.1, 0.2, 0.5, 1, 2, 3, 4 (the period must exceed the width). */
  frequencies?: readonly number[];
  /** Pulses per run. Default 10. */
  pulses?: number;
  /** Pulse width (ms). Default 200. */
  width?: number;
  /** Ca²⁺ during a pulse (µM). Default 50. */
  caPulse?: number;
  /** Ca²⁺ between pulses (µM). Default 0.05. */
  caRest?: number;
  /** Free CaM in the superfusate (µM). Default 0.1. */
  cam?: number;
}

/** One point of the frequency–response. */
export interface FrequencyPoint {
  readonly frequency: number;
  /** T286-phosphorylated fraction after the last pulse. */
  readonly autonomy: number;
  /** Largest CaM-bound fraction reached. */
  readonly peakBound: number;
}

export interface FrequencyDecodingResult {
  readonly points: readonly FrequencyPoint[];
  readonly options: Required<FrequencyDecodingOptions>;
}

const DEFAULTS: Required<FrequencyDecodingOptions> = {
  frequencies: [0.1, 0.2, 0.5, 1, 2, 3, 4],
  pulses: 10,
  width: 200,
  caPulse: 50,
  caRest: 0.05,
  cam: 0.1,
};

/** The in-vitro model: CaM and bulk CaMKII driven by `pulse.*` parameters. */
function invitroModel(): CompiledModel {
  const b = new ModelBuilder('camkii-in-vitro', { timeUnit: 'ms', description: 'purified CaMKII under Ca²⁺/CaM pulses' });
  const s = b.component('pulse');
  for (const [k, v, u] of [['on', 0, 'dimensionless'], ['amp', 50, 'uM'], ['rest', 0.05, 'uM']] as const) {
    s.parameter(k, v, { unit: u, assumption: 'set by the frequency-decoding experiment' });
  }
  // Pulses are integrated piecewise (`on` switched between segments), so the right-hand side
  // has no discontinuity inside a solve.
  s.assigned('ca', 'rest + (amp - rest)*on', { unit: 'uM', description: 'superfusate Ca²⁺' });
  calmodulin(b, 'sig.cam', { open: 'pulse.ca', sub: 'pulse.ca', cyt: 'pulse.ca', nuc: 'pulse.ca' });
  camkii(b, 'sig.camkii', 'sig.cam', { open: '0' });
  return compile(b.build(), { discontinuityRoots: false });
}

const positive = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new BiologyError(`must be a positive number, got ${String(v)}`, field);
  return v;
};

/** Autonomy after a fixed number of Ca²⁺/CaM pulses, at each frequency. */
export function frequencyDecoding(o: FrequencyDecodingOptions = {}): FrequencyDecodingResult {
  const opt: Required<FrequencyDecodingOptions> = { ...DEFAULTS, ...o };
  if (!Array.isArray(opt.frequencies) || opt.frequencies.length === 0) throw new BiologyError('must be a non-empty list of frequencies (Hz)', 'frequencies');
  opt.frequencies.forEach((f, i) => positive(f, `frequencies[${i}]`));
  if (!Number.isInteger(opt.pulses) || opt.pulses < 1) throw new BiologyError(`must be a whole number ≥ 1, got ${String(opt.pulses)}`, 'pulses');
  positive(opt.width, 'width');
  positive(opt.caPulse, 'caPulse');
  positive(opt.cam, 'cam');
  if (!(opt.caRest >= 0)) throw new BiologyError(`must be ≥ 0, got ${String(opt.caRest)}`, 'caRest');
  const cm = invitroModel();
  const idx = (n: string): number => cm.symbols.index.get(n)!.index;
  const points = opt.frequencies.map((f) => {
    const period = 1000 / f;
    if (opt.width >= period) throw new BiologyError(`pulse width ${opt.width} ms is not shorter than the period ${period.toFixed(1)} ms at ${f} Hz`, 'width');
    const p = new Float64Array(cm.p0);
    p[idx('pulse.amp')] = opt.caPulse;
    p[idx('pulse.rest')] = opt.caRest;
    // Superfusion holds free CaM at its concentration: CaMKII is immobilised at a negligible amount.
    p[idx('sig.cam.total')] = opt.cam;
    p[idx('sig.camkii.total_bulk')] = 1e-6;
    // A purified enzyme: no phosphatase.
    p[idx('sig.camkii.kdeph')] = 0;
    const n = cm.n;
    const iB = idx('sig.camkii.B'), iP = idx('sig.camkii.P'), iA = idx('sig.camkii.A');
    const y = new Float64Array(n);
    p[idx('pulse.on')] = 0;
    cm.init(0, p, y);
    let t = 0;
    let peakBound = 0;
    for (let k = 0; k < opt.pulses; k++) {
      for (const on of k === opt.pulses - 1 ? [1] : [1, 0]) {
        p[idx('pulse.on')] = on;
        const dt = on ? opt.width : period - opt.width;
        const r = simulate(cm, { t0: t, tEnd: t + dt, p, y0: y, saveAt: [t + dt], rtol: 1e-7, atol: 1e-12, recordDerived: false });
        if (!isSuccessful(r.retcode)) throw new SignallingRunFailed(`${f} Hz, pulse ${k + 1}: simulation stopped at t = ${r.tReached} ms: ${r.message}`);
        y.set(r.y.subarray(r.y.length - n));
        t += dt;
        peakBound = Math.max(peakBound, y[iB] + y[iP]);
      }
    }
    const last = y;
    return { frequency: f, autonomy: last[iP] + last[iA], peakBound };
  });
  return { points, options: opt };
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const r3 = (x: number): string => String(Math.round(x * 1000) / 1000);

/**
 * A standalone SVG line plot of autonomy (%) against pulse frequency (Hz, log axis). Hand-written
 * (the plotting library lives in a higher layer) and deterministic: coordinates rounded to 3
 * decimals.
 */
export function frequencyDecodingSvg(res: FrequencyDecodingResult, title = 'CaMKII frequency decoding'): string {
  const W = 560, H = 360, L = 64, R = 20, T = 40, B = 52;
  const pts = res.points;
  const fx = pts.map((p) => Math.log10(p.frequency));
  const xmin = Math.floor(Math.min(...fx)), xmax = Math.ceil(Math.max(...fx));
  const ymax = Math.max(10, Math.ceil((100 * Math.max(...pts.map((p) => p.autonomy))) / 10) * 10);
  const X = (lf: number): number => L + ((lf - xmin) / (xmax - xmin || 1)) * (W - L - R);
  const Y = (pct: number): number => H - B - (pct / ymax) * (H - T - B);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`);
  out.push(`<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`);
  out.push(`<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`);
  for (let d = xmin; d <= xmax; d++) {
    const x = r3(X(d));
    out.push(`<line x1="${x}" y1="${H - B}" x2="${x}" y2="${H - B + 5}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${H - B + 18}" text-anchor="middle">${String(10 ** d)}</text>`);
  }
  for (let v = 0; v <= ymax; v += ymax / 5) {
    const y = r3(Y(v));
    out.push(`<line x1="${L - 5}" y1="${y}" x2="${L}" y2="${y}" stroke="black"/>`);
    out.push(`<text x="${L - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${r3(v)}</text>`);
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">pulse frequency (Hz)</text>`);
  out.push(`<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">autonomy after ${res.options.pulses} pulses (%)</text>`);
  const poly = pts.map((p, i) => `${r3(X(fx[i]))},${r3(Y(100 * p.autonomy))}`).join(' ');
  out.push(`<polyline fill="none" stroke="#0072B2" stroke-width="2" points="${poly}"/>`);
  for (let i = 0; i < pts.length; i++) out.push(`<circle cx="${r3(X(fx[i]))}" cy="${r3(Y(100 * pts[i].autonomy))}" r="3" fill="#0072B2"/>`);
  out.push('</svg>');
  return out.join('\n');
}
