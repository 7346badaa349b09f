/**
 * `ltcc runs list|show|compare`: the runs recorded in the run store.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../io/errors.js';
import { compareRuns } from '../io/store/compare.js';
import { DEFAULT_STORE, type RunRecord, RunStore, type StoredRun } from '../io/store/store.js';
import { toJson } from '../io/writers/json.js';
import { formatNumber } from '../report/plots.js';

/** Options shared by the `runs` subcommands. */
export interface RunsOptions {
  /** Store path. Default: `$LTCC_STORE`, else `out/ltcc-runs.sqlite`. */
  store?: string;
  /** Machine-readable output. Default false. */
  json?: boolean;
  /** Where output goes. Default process.stdout. */
  stdout?: { write(s: string): unknown };
}

export interface RunsListOptions extends RunsOptions {
  /** Most runs listed, newest first. Default 50. */
  limit?: string | number;
  /** Only runs of this scenario name. Default: all. */
  name?: string;
}

const storePathOf = (o: RunsOptions): string => o.store ?? process.env.LTCC_STORE ?? DEFAULT_STORE;

function withStore<T>(o: RunsOptions, missing: () => T, f: (s: RunStore) => T): T {
  const path = storePathOf(o);
  if (!existsSync(path)) return missing();
  const s = RunStore.open(path);
  try {
    return f(s);
  } finally {
    s.close();
  }
}

/** Parses a run id argument. */
export function parseRunId(text: string): number {
  if (!/^#?\d+$/.test(text.trim())) throw new InputError(`a run id is a positive whole number, got '${text}'`, undefined, 'ID');
  return Number(text.trim().replace('#', ''));
}

function getRun(s: RunStore, id: number): StoredRun {
  const r = s.get(id);
  if (!r) {
    const newest = s.list({ limit: 1 })[0];
    throw new InputError(`no run #${id} in the store${newest ? ` (the newest is #${newest.id})` : ' (it is empty)'}`, s.path);
  }
  return r;
}

/** Pads columns of text into an aligned table. */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (right[i] ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n') + '\n';
}

const num = (x: number | undefined): string => (x === undefined ? '' : Number.isNaN(x) ? 'NaN' : formatNumber(x, 4));
const shortHash = (h: string): string => h.slice(0, 12);
const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** `ltcc runs list`. */
export function runsListCommand(o: RunsListOptions): void {
  const out = o.stdout ?? process.stdout;
  const limit = o.limit === undefined ? 50 : Number(o.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new InputError(`must be a positive whole number, got '${o.limit}'`, undefined, '--limit');
  const runs = withStore(o, (): RunRecord[] => [], (s) => s.list({ limit, ...(o.name !== undefined ? { name: o.name } : {}) }));
  if (o.json) {
    out.write(toJson(runs));
    return;
  }
  if (runs.length === 0) {
    out.write(`no runs recorded in ${storePathOf(o)}\n`);
    return;
  }
  out.write(textTable(
    ['id', 'name', 'status', 'finished', 'wall (s)', 'model', 'seed', 'output'],
    runs.map((r) => [String(r.id), r.name, r.status, when(r.finished), (r.wallMs / 1000).toFixed(2), shortHash(r.modelHash), String(r.seed), r.outDir || '(none kept)']),
    [true, false, false, false, true, false, true, false],
  ));
}

/** `ltcc runs show ID`. */
export function runsShowCommand(idText: string, o: RunsOptions): void {
  const out = o.stdout ?? process.stdout;
  const id = parseRunId(idText);
  const r = withStore(o, () => { throw new InputError('no run store here yet (no run has been recorded)', storePathOf(o)); }, (s) => getRun(s, id));
  if (o.json) {
    out.write(toJson(r));
    return;
  }
  const m = r.manifest;
  const lines = [
    `run #${r.run.id}: ${r.run.name} (${r.run.status})${r.run.message ? ` — ${r.run.message}` : ''}`,
    `  source:     ${m.source ?? ''}`,
    `  context:    ${m.context ?? ''} / ${m.preset ?? ''}`,
    `  model hash: ${r.run.modelHash}`,
    `  version:    ${r.run.version}, seed ${r.run.seed}`,
    `  solver:     ${m.solver ? `${m.solver.method}, rtol ${num(m.solver.rtol)}, atol ${num(m.solver.atol)}; ${m.solver.retcode}, ${m.solver.stats?.steps ?? '?'} steps` : ''}`,
    `  started:    ${when(r.run.started)}, wall time ${(r.run.wallMs / 1000).toFixed(2)} s`,
    `  output:     ${r.run.outDir || '(none kept)'}`,
  ];
  out.write(`${lines.join('\n')}\n`);
  if (r.summaries.length) {
    out.write('\n');
    out.write(textTable(['output', 'unit', 'min', 'max', 'final', 'time of max', 'mean'],
      r.summaries.map((x) => [x.output, x.unit && x.unit !== 'dimensionless' ? x.unit : '', num(x.min), num(x.max), num(x.final), num(x.tMax), num(x.mean)]),
      [false, false, true, true, true, true, true]));
  }
  if (m.assumptions?.length) out.write(`\n${m.assumptions.length} parameter values rest on assumptions (see the manifest or report).\n`);
}

/** `ltcc runs compare A B`. */
export function runsCompareCommand(aText: string, bText: string, o: RunsOptions): void {
  const out = o.stdout ?? process.stdout;
  const a = parseRunId(aText);
  const b = parseRunId(bText);
  const c = withStore(o, () => { throw new InputError('no run store here yet (no run has been recorded)', storePathOf(o)); }, (s) => compareRuns(getRun(s, a), getRun(s, b)));
  if (o.json) {
    out.write(toJson(c));
    return;
  }
  const show = (v: unknown): string => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));
  out.write(`run #${a} → run #${b}\n\nsettings that differ:\n`);
  out.write(c.settings.length ? textTable(['setting', `#${a}`, `#${b}`], c.settings.map((x) => [x.path, show(x.a), show(x.b)])) : '  none\n');
  out.write('\nsummaries (b − a):\n');
  if (c.summaries.length === 0) out.write('  none\n');
  else {
    out.write(textTable(['output', 'unit', `max #${a}`, `max #${b}`, 'Δ max', 'Δ max %', `final #${a}`, `final #${b}`, 'Δ final', 'Δ mean'],
      c.summaries.map((x) => [
        x.output, x.unit ?? '', num(x.a?.max), num(x.b?.max), num(x.delta.max), Number.isFinite(x.relative.max) ? (100 * x.relative.max).toFixed(1) : '',
        num(x.a?.final), num(x.b?.final), num(x.delta.final), num(x.delta.mean),
      ]),
      [false, false, true, true, true, true, true, true, true, true]));
  }
}
