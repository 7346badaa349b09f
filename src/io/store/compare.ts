/**
 * Comparison of two stored runs: which settings differ (scenario fields, model hash, version,
 * seed, solver settings) and how every summary number changed.
 */
import type { SummaryRow } from './manifest.js';
import type { StoredRun } from './store.js';

/** A setting that differs; `undefined` on one side means absent there. */
export interface SettingChange {
  /** Dotted path, e.g. `scenario.parameters["ca.g"]`, `solver.rtol`. */
  readonly path: string;
  readonly a: unknown;
  readonly b: unknown;
}

export const SUMMARY_METRICS = ['min', 'max', 'final', 'tMax', 'mean'] as const;
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

/** The summaries of one output in both runs. */
export interface SummaryChange {
  readonly output: string;
  readonly unit?: string;
  readonly a?: SummaryRow;
  readonly b?: SummaryRow;
  /** b − a per metric (NaN when either side lacks the output). */
  readonly delta: Readonly<Record<SummaryMetric, number>>;
  /** (b − a)/|a| per metric (NaN when a is 0 or absent). */
  readonly relative: Readonly<Record<SummaryMetric, number>>;
}

export interface RunComparison {
  readonly a: number;
  readonly b: number;
  readonly settings: readonly SettingChange[];
  readonly summaries: readonly SummaryChange[];
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Flattens nested objects and arrays to `path → leaf value`. */
export function flatten(value: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, IDENT.test(k) ? (prefix ? `${prefix}.${k}` : k) : `${prefix}[${JSON.stringify(k)}]`, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** The settings of a run that decide its numbers. */
function settingsOf(r: StoredRun): Record<string, unknown> {
  const m = r.manifest;
  const s = m.solver;
  return {
    scenario: m.scenario,
    context: m.context,
    preset: m.preset,
    modelHash: m.modelHash,
    version: m.version,
    seed: m.seed,
    solver: s ? { method: s.method, rtol: s.rtol, atol: s.atol, maxSteps: s.maxSteps, hmax: s.hmax } : undefined,
  };
}

const same = (x: unknown, y: unknown): boolean => Object.is(x, y) || JSON.stringify(x) === JSON.stringify(y);

/** Compares run `a` with run `b`. */
export function compareRuns(a: StoredRun, b: StoredRun): RunComparison {
  const fa = flatten(settingsOf(a));
  const fb = flatten(settingsOf(b));
  const settings: SettingChange[] = [];
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    const va = fa.get(path);
    const vb = fb.get(path);
    if (!same(va, vb)) settings.push({ path, a: va, b: vb });
  }
  const byA = new Map(a.summaries.map((s) => [s.output, s]));
  const byB = new Map(b.summaries.map((s) => [s.output, s]));
  const outputs = [...new Set([...byA.keys(), ...byB.keys()])];
  const summaries = outputs.map((output): SummaryChange => {
    const sa = byA.get(output);
    const sb = byB.get(output);
    const delta = {} as Record<SummaryMetric, number>;
    const relative = {} as Record<SummaryMetric, number>;
    for (const k of SUMMARY_METRICS) {
      const x = sa ? sa[k] : NaN;
      const y = sb ? sb[k] : NaN;
      delta[k] = y - x;
      relative[k] = x !== 0 ? (y - x) / Math.abs(x) : NaN;
    }
    const unit = sa?.unit ?? sb?.unit;
    return { output, ...(unit !== undefined ? { unit } : {}), ...(sa ? { a: sa } : {}), ...(sb ? { b: sb } : {}), delta, relative };
  });
  return { a: a.run.id, b: b.run.id, settings, summaries };
}
