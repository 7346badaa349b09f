/**
 * `ltcc run <scenario.yaml|scenario.json|model.xml>`: load and check the scenario, build the
 * model through the context registry, compile, simulate, run the scenario's experiments, and
 * write time courses (CSV, Parquet), summaries (CSV, JSON), plots (SVG, PNG), `report.html` and
 * `manifest.json` to the output folder, then record the run in the run store.
 *
 * Consistency: the output folder is staged under a hidden name and renamed into place only when
 * every file is written; the store gets one transactional record when the run ends. A failed
 * simulation (or Ctrl-C) leaves the previous output folder untouched and no complete-looking
 * files; the store records the failed or interrupted run.
 */
import { statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { compile } from '../compile/compile.js';
import type { CompiledModel } from '../compile/compiled.js';
import { InputError } from '../io/errors.js';
import { type LoadedScenario, type ResolvedScenario, loadScenario, scenarioFromObject } from '../io/scenario/loader.js';
import { hintFor } from '../io/scenario/hints.js';
import {
  type BuildRequest, type BuildResult, type BuiltModel, type ContextEntry, type ContextRegistry, RequestError, combineRegistries, contextFromModel, createRegistry, modelOf,
} from '../io/scenario/registry.js';
import { type ExperimentSpec, type ReadoutSpec, valuesOf } from '../io/scenario/schema.js';
import { toyContext } from '../io/scenario/toy-context.js';
import { MANIFEST_FORMAT, type AssumptionUsed, type FileEntry, type RunManifest, type RunStatus, type SummaryRow } from '../io/store/manifest.js';
import { DEFAULT_STORE, RunStore } from '../io/store/store.js';
import { StagedDir } from '../io/writers/atomic.js';
import { toCsv } from '../io/writers/csv.js';
import { tableToJson, toJson } from '../io/writers/json.js';
import { toParquet } from '../io/writers/parquet.js';
import type { Column, Table } from '../io/writers/table.js';
import { writeFileAtomic } from '../io/writers/atomic.js';
import { num } from '../math/ast.js';
import type { Model } from '../model/ir.js';
import { ModelError } from '../model/errors.js';
import { fitHill, hillResponse } from '../experiments/fit/hill.js';
import { type ReportFigure, type ReportTable, type ValidationStatus, renderReport } from '../report/html.js';
import { barPlot, concentrationResponsePlot, heatmapPlot, linePlot, svgToPng, tracePlot } from '../report/plots.js';
import { type SimulationResult, simulate } from '../solve/simulate.js';
import { isSuccessful } from '../solve/types.js';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { VERSION } from '../version.js';
import { SimulationFailed } from './errors.js';
import { isQuiet, startProgress } from './progress.js';

/** Options of `ltcc run`. */
export interface RunCommandOptions {
  /** `path=value` overrides of scenario fields. Default: none. */
  set?: string[];
  /** Output folder. Default `out/<scenario name>`. */
  out?: string;
  /** Run store path, or false for none. Default: `$LTCC_STORE`, else `out/ltcc-runs.sqlite`. */
  store?: string | false;
  /** Print the result as JSON on stdout. Default false. */
  json?: boolean;
  /** Also render every plot as PNG (SVG is always written). Default true. */
  png?: boolean;
  /** Print nothing but errors (and `--json` output). Default: the global `--quiet`. */
  quiet?: boolean;
}

/** A fitted concentration–response curve. */
export interface ConcentrationResponseFit {
  /** Half-maximal concentration (µM) and its confidence interval. */
  ic50: number;
  ic50Ci?: readonly [number, number];
  hill: number;
  hillCi?: readonly [number, number];
  top: number;
  bottom: number;
  /** The curve (and band) sampled at ascending concentrations. */
  curve: { x: ArrayLike<number>; y: ArrayLike<number>; lower?: ArrayLike<number>; upper?: ArrayLike<number> };
}

/** Fits a Hill curve to responses (% of control) at concentrations (µM), or returns undefined when it cannot. */
export type ConcentrationResponseFitter = (concentrations: readonly number[], responses: readonly number[], confidence: number) => ConcentrationResponseFit | undefined;

/**
 * The default concentration–response fit: a Hill curve (IC50, Hill slope, bottom; top fixed at
 * 100 % of control) with confidence intervals. The band drawn is the envelope of the curves
 * whose IC50 and Hill slope lie at the ends of their intervals.
 */
export const hillFitter: ConcentrationResponseFitter = (concentrations, responses, confidence) => {
  let fit;
  try {
    fit = fitHill(concentrations.map((c, i) => ({ concentration_nM: c * 1000, response: responses[i] / 100 })), { fitBottom: true, level: confidence });
  } catch {
    return undefined;
  }
  if (!fit.converged || !Number.isFinite(fit.ic50_nM)) return undefined;
  const lo = Math.log10(Math.min(...concentrations) / 2);
  const hi = Math.log10(Math.max(...concentrations) * 2);
  const x = Array.from({ length: 80 }, (_, k) => 10 ** (lo + ((hi - lo) * k) / 79));
  const at = (c: number, ic50: number, h: number): number => 100 * hillResponse(c * 1000, ic50, h, fit.bottom, fit.top);
  const corners = [fit.ic50_ci_nM[0], fit.ic50_ci_nM[1]].flatMap((i) => [fit.hill_ci[0], fit.hill_ci[1]].map((h) => [i, h] as const))
    .filter(([i, h]) => Number.isFinite(i) && i > 0 && Number.isFinite(h) && h > 0);
  const band = corners.length === 4
    ? { lower: x.map((c) => Math.min(...corners.map(([i, h]) => at(c, i, h)))), upper: x.map((c) => Math.max(...corners.map(([i, h]) => at(c, i, h)))) }
    : {};
  return {
    ic50: fit.ic50_nM / 1000, ic50Ci: [fit.ic50_ci_nM[0] / 1000, fit.ic50_ci_nM[1] / 1000], hill: fit.hill, hillCi: fit.hill_ci,
    top: 100 * fit.top, bottom: 100 * fit.bottom,
    curve: { x, y: x.map((c) => at(c, fit.ic50_nM, fit.hill)), ...band },
  };
};

/** What the run needs from the layers above io (injectable for tests and for later layers). */
export interface RunDependencies {
  /** Contexts. Default: {@link defaultRegistry}. */
  registry?: ContextRegistry;
  /** Validation targets the run touches. Default: none. */
  validation?: (manifest: RunManifest) => readonly ValidationStatus[];
  /** Curve fit for concentration–response experiments. Default: {@link hillFitter}. */
  fitConcentrationResponse?: ConcentrationResponseFitter;
  /** Where messages go. Default: process.stdout / process.stderr. */
  stdout?: { write(s: string): unknown };
  stderr?: { write(s: string): unknown };
  /** Installs the Ctrl-C handler; returns its removal. Default: `process.on('SIGINT')`. */
  onInterrupt?: (handler: () => void) => () => void;
}

/** What a finished run produced. */
export interface RunOutcome {
  /** Run id in the store (undefined without a store). */
  readonly id?: number;
  readonly outDir: string;
  readonly manifest: RunManifest;
}

/** The built-in cell contexts (`heterologous`, `ca1`, `vascular`, `cardiac`) plus the `toy-cell` demonstration context. */
export async function defaultRegistry(): Promise<ContextRegistry> {
  // Loaded on demand: the cell models are not needed by commands that run no scenario.
  const { contextRegistry } = await import('../io/scenario/biology-registry.js');
  return combineRegistries(contextRegistry, createRegistry([toyContext()]));
}

const MODEL_EXTENSIONS = ['.xml', '.sbml'];

/** Imports an SBML file through the SBML layer (loaded on demand). */
async function importModelFile(file: string): Promise<{ model: Model; warnings: readonly string[] }> {
  const spec = '../io/sbml/import.js';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('cannot run an SBML model: the SBML importer is not available in this build', file);
  }
  const reader = mod.readSbmlFile;
  if (typeof reader !== 'function') throw new InputError('cannot run an SBML model: the SBML importer is not available in this build', file);
  const r = (reader as (path: string) => { model: Model; warnings?: readonly string[] } | Model)(file);
  return 'model' in r ? { model: r.model, warnings: r.warnings ?? [] } : { model: r, warnings: [] };
}

/** Loads a scenario file, or wraps a model file in a scenario of its own. */
async function load(file: string, sets: readonly string[], registry: ContextRegistry): Promise<{ loaded: LoadedScenario; warnings: readonly string[] }> {
  try {
    if (statSync(file).isDirectory()) throw new InputError('is a folder; expected a scenario (.yaml, .yml, .json) or SBML model (.xml) file', file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read the file (${(e as Error).message})`, file);
  }
  if (!MODEL_EXTENSIONS.includes(extname(file).toLowerCase())) return { loaded: loadScenario(file, { registry, sets }), warnings: [] };
  const { model, warnings } = await importModelFile(file);
  if (!sets.some((s) => /^\s*duration\s*=/.test(s))) {
    throw new InputError("a model file has no protocol: give the simulated time with --set duration=<time> (in the model's time unit)", file, 'duration');
  }
  const name = basename(file, extname(file)).replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'model';
  const ctx = contextFromModel('sbml', model, `SBML model ${basename(file)}`);
  const loaded = scenarioFromObject({ name, description: `SBML model ${basename(file)}`, context: 'sbml' }, file, {
    registry: combineRegistries(createRegistry([ctx]), registry), sets,
  });
  return { loaded, warnings };
}

/** The compiled model of one build request, with parameters and the start state. */
interface Prepared {
  readonly model: Model;
  readonly compiled: CompiledModel;
  readonly p: Float64Array;
  readonly tstops: readonly number[];
  readonly y0?: Float64Array;
  /** The start state for other parameter values (e.g. a sweep point), when the context settles the cell. */
  readonly settle?: (p: Float64Array) => Float64Array;
  /** Scenario overrides that do not exist in this model (e.g. removed by a knock-out). */
  readonly skipped: readonly string[];
}

/** A parameter value outside its bounds, as a sentence, or undefined when it is allowed. */
export function boundsProblem(model: Model, path: string, value: number): string | undefined {
  const def = model.parameters.find((q) => q.name === path);
  const b = def?.bounds;
  if (!b || (value >= b[0] && value <= b[1])) return undefined;
  const unit = def.unit && def.unit !== 'dimensionless' ? ` (${def.unit})` : '';
  if (b[0] === 0 && b[1] === Infinity) return `'${path}' must not be negative, got ${value}${unit}`;
  if (b[0] > 0 && b[0] < 1e-300 && b[1] === Infinity) return `'${path}' must be positive, got ${value}${unit}`;
  return `${value} is outside the allowed range [${b[0]}, ${b[1]}] of '${path}'${unit}`;
}

/** The model a context builds for a request; problems of the request are reported at their scenario field. */
function buildFor(loaded: LoadedScenario, ctx: ContextEntry, req: BuildRequest): BuildResult {
  try {
    return ctx.build(req);
  } catch (e) {
    if (e instanceof RequestError) loaded.fail(e.path, e.detail, e.hint);
    throw e;
  }
}

/** The start state from a context's `initialState`; a failed settling is a failed simulation. */
function startState(built: BuiltModel, compiled: CompiledModel, p: Float64Array): Float64Array | undefined {
  try {
    return built.initialState?.(compiled, p);
  } catch (e) {
    if (e instanceof InputError || e instanceof ModelError) throw e;
    throw new SimulationFailed((e as Error).message);
  }
}

function prepare(loaded: LoadedScenario, ctx: ContextEntry, req: BuildRequest, strict: boolean): Prepared {
  const built: BuildResult = buildFor(loaded, ctx, req);
  const model = modelOf(built);
  const extra = 'model' in built ? built : undefined;
  const compiled = compile(model, extra?.noDiscontinuityRoots ? { discontinuityRoots: false } : {});
  const p = new Float64Array(compiled.p0);
  const set = (path: string, value: number, field: (string | number)[] | undefined): boolean => {
    const r = compiled.symbols.index.get(path);
    if (!r || r.kind !== 'parameter') {
      if (field) loaded.fail(field, `the model has no parameter '${path}'`, hintFor(path, compiled.symbols.parameters), true);
      return false;
    }
    const problem = field ? boundsProblem(model, path, value) : undefined;
    if (field && problem) loaded.fail(field, problem);
    p[r.index] = value;
    return true;
  };
  for (const [k, v] of Object.entries(extra?.parameters ?? {})) {
    if (!set(k, v, undefined)) throw new Error(`context '${ctx.id}' sets parameter '${k}', which its model does not have`);
  }
  const skipped: string[] = [];
  for (const [k, v] of Object.entries(loaded.scenario.parameters ?? {})) {
    if (!set(k, v, strict ? ['parameters', k] : undefined)) skipped.push(k);
  }
  const y0 = extra ? startState(extra, compiled, p) : undefined;
  const settle = extra?.initialState ? (q: Float64Array): Float64Array => startState(extra, compiled, q)! : undefined;
  return { model, compiled, p, tstops: extra?.tstops ?? [], ...(y0 ? { y0 } : {}), ...(settle ? { settle } : {}), skipped };
}

/** Output times 0, Δ, 2Δ, …, duration. */
export function outputTimes(duration: number, interval: number): Float64Array {
  const n = Math.floor(duration / interval + 1e-9);
  const t = Array.from({ length: n + 1 }, (_, i) => Math.min(duration, i * interval));
  if (t[t.length - 1] < duration) t.push(duration);
  return Float64Array.from(t);
}

/** The values of a named quantity at every output time. */
export function seriesOf(sim: SimulationResult, name: string): Float64Array {
  const cm = sim.model;
  const r = cm.symbols.index.get(name);
  if (!r) throw new Error(`no quantity '${name}' in the model`);
  const m = sim.t.length;
  const out = new Float64Array(m);
  const pick = (arr: Float64Array | undefined, stride: number): void => {
    if (!arr) throw new Error(`'${name}' was not recorded`);
    for (let k = 0; k < m; k++) out[k] = arr[k * stride + r.index];
  };
  if (r.kind === 'state') pick(sim.y, cm.n);
  else if (r.kind === 'assigned') pick(sim.assigned, cm.nAssigned);
  else if (r.kind === 'observable') pick(sim.observables, cm.nObservables);
  else if (sim.parameters) pick(sim.parameters, cm.nParams);
  else out.fill(cm.p0[r.index]);
  return out;
}

/** Min, max, final, time of max and time-weighted mean of a series. */
export function summarise(output: string, unit: string | undefined, t: ArrayLike<number>, y: ArrayLike<number>): SummaryRow {
  let min = Infinity;
  let max = -Infinity;
  let tMax = NaN;
  let area = 0;
  for (let k = 0; k < y.length; k++) {
    if (y[k] < min) min = y[k];
    if (y[k] > max) {
      max = y[k];
      tMax = t[k];
    }
    if (k > 0) area += 0.5 * (y[k] + y[k - 1]) * (t[k] - t[k - 1]);
  }
  const span = t.length > 1 ? t[t.length - 1] - t[0] : 0;
  const anyNaN = Array.prototype.some.call(y, (v: number) => Number.isNaN(v));
  return {
    output, ...(unit ? { unit } : {}),
    min: anyNaN ? NaN : min, max: anyNaN ? NaN : max, final: y.length ? y[y.length - 1] : NaN, tMax: anyNaN ? NaN : tMax,
    mean: span > 0 ? area / span : y.length ? y[0] : NaN,
  };
}

/** One read-out of a series: the statistic over the analysis window. */
export function readout(t: ArrayLike<number>, y: ArrayLike<number>, r: ReadoutSpec): number {
  const from = r.from ?? -Infinity;
  const to = r.to ?? Infinity;
  const ts: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < t.length; k++) if (t[k] >= from && t[k] <= to) { ts.push(t[k]); ys.push(y[k]); }
  if (ys.length === 0) return NaN;
  switch (r.measure) {
    case 'max': return Math.max(...ys);
    case 'min': return Math.min(...ys);
    case 'final': return ys[ys.length - 1];
    case 'mean':
    case 'auc': {
      let a = 0;
      for (let k = 1; k < ys.length; k++) a += 0.5 * (ys[k] + ys[k - 1]) * (ts[k] - ts[k - 1]);
      if (r.measure === 'auc') return a;
      const span = ts[ts.length - 1] - ts[0];
      return span > 0 ? a / span : ys[0];
    }
  }
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'x';
const readoutName = (r: ReadoutSpec): string => `${r.measure} ${r.observable}${r.from !== undefined || r.to !== undefined ? ` [${r.from ?? 0}, ${r.to ?? 'end'}]` : ''}`;
const unitOf = (model: Model, name: string): string | undefined =>
  [...model.observables, ...model.states, ...model.assigned, ...model.parameters].find((q) => q.name === name)?.unit;
const readoutUnit = (model: Model, r: ReadoutSpec, timeUnit: string): string | undefined => {
  const u = unitOf(model, r.observable);
  if (r.measure !== 'auc') return u;
  return u && u !== 'dimensionless' ? `${u}·${timeUnit}` : timeUnit;
};

/**
 * Seeds for the simulations of a run: the base run uses the scenario seed itself, every further
 * simulation (in the fixed order of the experiments and their points) the next number of a
 * xoroshiro128+ stream seeded with it, so each point has its own reproducible stream.
 */
export function seedStream(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformInt(rng, 0, 0xffffffff);
}

/** Thrown inside the run when Ctrl-C was pressed. */
class Interrupted extends Error {}

/** A table and plots of one experiment. */
interface ExperimentOutput {
  name: string;
  type: ExperimentSpec['type'];
  table: Table;
  figures: ReportFigure[];
  runs: number;
  notes: string[];
}

interface SimContext {
  loaded: LoadedScenario;
  ctx: ContextEntry;
  scenario: ResolvedScenario;
  saveAt: Float64Array;
  /** Runs one simulation; throws SimulationFailed naming `what` on failure. */
  run(prep: Prepared, p: Float64Array, what: string): SimulationResult;
  /** Called after each simulation of an experiment (progress, Ctrl-C). */
  step(note: string): Promise<void>;
  timeUnit: string;
  fit?: ConcentrationResponseFitter;
}

function requestOf(s: ResolvedScenario): BuildRequest {
  return {
    preset: s.preset, components: s.components ?? {}, compounds: s.compounds ?? [], ...(s.protocol ? { protocol: s.protocol } : {}),
    signalling: s.signalling, duration: s.duration,
  };
}

/** Number of simulations an experiment needs. */
function experimentSize(e: ExperimentSpec): number {
  switch (e.type) {
    case 'sweep': return valuesOf(e).length;
    case 'grid': return valuesOf(e.x).length * valuesOf(e.y).length;
    case 'concentration-response': return valuesOf(e).length + 1;
    case 'knockouts': return e.components.length + 1;
  }
}

/** Checks every swept parameter value against its bounds before anything is simulated. */
function checkExperimentValues(loaded: LoadedScenario, model: Model): void {
  const check = (parameter: string, o: { values?: readonly number[]; range?: { from: number; to: number } }, base: (string | number)[]): void => {
    if (o.values) {
      o.values.forEach((v, j) => {
        const problem = boundsProblem(model, parameter, v);
        if (problem) loaded.fail([...base, 'values', j], problem);
      });
    } else if (o.range) {
      for (const end of ['from', 'to'] as const) {
        const problem = boundsProblem(model, parameter, o.range[end]);
        if (problem) loaded.fail([...base, 'range', end], problem);
      }
    }
  };
  (loaded.scenario.experiments ?? []).forEach((e, i) => {
    if (e.type === 'sweep') check(e.parameter, e, ['experiments', i]);
    if (e.type === 'grid') {
      check(e.x.parameter, e.x, ['experiments', i, 'x']);
      check(e.y.parameter, e.y, ['experiments', i, 'y']);
    }
  });
}

async function runExperiment(e: ExperimentSpec, index: number, base: Prepared, sc: SimContext): Promise<ExperimentOutput> {
  const model = base.model;
  const tu = sc.timeUnit;
  const measureAll = (sim: SimulationResult, rs: readonly ReadoutSpec[]): number[] => rs.map((r) => readout(sim.t, seriesOf(sim, r.observable), r));
  const paramIndex = (path: string, field: (string | number)[]): number => {
    const r = base.compiled.symbols.index.get(path);
    if (!r || r.kind !== 'parameter') sc.loaded.fail(field, `the model has no parameter '${path}'`, hintFor(path, base.compiled.symbols.parameters));
    return r!.index;
  };
  switch (e.type) {
    case 'sweep': {
      const idx = paramIndex(e.parameter, ['experiments', index, 'parameter']);
      const values = valuesOf(e);
      const results: number[][] = [];
      for (const v of values) {
        const p = new Float64Array(base.p);
        p[idx] = v;
        const sim = sc.run(base, p, `${e.parameter} = ${v}`);
        results.push(measureAll(sim, e.readouts));
        await sc.step(`${e.parameter} = ${v}`);
      }
      const pu = unitOf(model, e.parameter);
      const columns: Column[] = [
        { name: e.parameter, ...(pu ? { unit: pu } : {}), values },
        ...e.readouts.map((r, j) => ({ name: readoutName(r), ...(readoutUnit(model, r, tu) ? { unit: readoutUnit(model, r, tu)! } : {}), values: results.map((row) => row[j]) })),
      ];
      const name = e.name ?? `sweep of ${e.parameter}`;
      const positive = values.every((v) => v > 0);
      const logX = positive && e.range?.scale === 'log';
      const figures = e.readouts.map((r, j) => ({
        title: `${name}: ${readoutName(r)}`,
        svg: linePlot({ title: `${name}: ${readoutName(r)}`, series: [{ name: readoutName(r), x: values, y: results.map((row) => row[j]) }], xLabel: e.parameter, ...(pu ? { xUnit: pu } : {}), yLabel: readoutName(r), ...(readoutUnit(model, r, tu) ? { yUnit: readoutUnit(model, r, tu) } : {}), xLog: logX }),
      }));
      return { name, type: e.type, table: { columns }, figures, runs: values.length, notes: [] };
    }
    case 'grid': {
      const ix = paramIndex(e.x.parameter, ['experiments', index, 'x', 'parameter']);
      const iy = paramIndex(e.y.parameter, ['experiments', index, 'y', 'parameter']);
      const xs = valuesOf(e.x);
      const ys = valuesOf(e.y);
      const z = new Float64Array(xs.length * ys.length);
      const colX: number[] = [];
      const colY: number[] = [];
      const colZ: number[] = [];
      for (let i = 0; i < ys.length; i++) {
        for (let j = 0; j < xs.length; j++) {
          const p = new Float64Array(base.p);
          p[ix] = xs[j];
          p[iy] = ys[i];
          const what = `${e.x.parameter} = ${xs[j]}, ${e.y.parameter} = ${ys[i]}`;
          const sim = sc.run(base, p, what);
          const v = readout(sim.t, seriesOf(sim, e.readout.observable), e.readout);
          z[i * xs.length + j] = v;
          colX.push(xs[j]);
          colY.push(ys[i]);
          colZ.push(v);
          await sc.step(what);
        }
      }
      const xu = unitOf(model, e.x.parameter);
      const yu = unitOf(model, e.y.parameter);
      const zu = readoutUnit(model, e.readout, tu);
      const name = e.name ?? `${e.x.parameter} × ${e.y.parameter}`;
      return {
        name, type: e.type, runs: z.length, notes: [],
        table: { columns: [
          { name: e.x.parameter, ...(xu ? { unit: xu } : {}), values: colX },
          { name: e.y.parameter, ...(yu ? { unit: yu } : {}), values: colY },
          { name: readoutName(e.readout), ...(zu ? { unit: zu } : {}), values: colZ },
        ] },
        figures: [{
          title: `${name}: ${readoutName(e.readout)}`,
          svg: heatmapPlot({ title: `${name}: ${readoutName(e.readout)}`, x: xs, y: ys, z, xLabel: e.x.parameter, ...(xu ? { xUnit: xu } : {}), yLabel: e.y.parameter, ...(yu ? { yUnit: yu } : {}), zLabel: readoutName(e.readout), ...(zu ? { zUnit: zu } : {}) }),
        }],
      };
    }
    case 'knockouts': {
      const conditions = ['intact', ...e.components];
      const results: number[][] = [];
      const notes: string[] = [];
      for (const c of conditions) {
        const req = requestOf(sc.scenario);
        const prep = c === 'intact' ? base : prepare(sc.loaded, sc.ctx, { ...req, components: { ...req.components, [c]: { knockout: true } } }, false);
        if (prep.skipped.length) notes.push(`knock-out of ${c}: parameter overrides not applicable (${prep.skipped.join(', ')})`);
        const sim = sc.run(prep, prep.p, `knock-out of ${c}`);
        results.push(measureAll(sim, e.readouts));
        await sc.step(`knock-out of ${c}`);
      }
      const columns: Column[] = [{ name: 'condition', values: conditions }];
      e.readouts.forEach((r, j) => {
        const u = readoutUnit(model, r, tu);
        const vals = results.map((row) => row[j]);
        columns.push({ name: readoutName(r), ...(u ? { unit: u } : {}), values: vals });
        columns.push({ name: `${readoutName(r)} vs intact`, unit: '%', values: vals.map((v) => (100 * v) / vals[0]) });
      });
      const name = e.name ?? 'knock-outs';
      const figures = e.readouts.map((r, j) => ({
        title: `${name}: ${readoutName(r)}`,
        svg: barPlot({ title: `${name}: ${readoutName(r)}`, categories: conditions, values: results.map((row) => row[j]), label: readoutName(r), ...(readoutUnit(model, r, tu) ? { unit: readoutUnit(model, r, tu) } : {}) }),
      }));
      return { name, type: e.type, table: { columns }, figures, runs: conditions.length, notes };
    }
    case 'concentration-response': {
      const concs = valuesOf(e);
      const req = requestOf(sc.scenario);
      const others = req.compounds.filter((c) => c.id !== e.compound);
      const results: number[][] = [];
      for (const c of [0, ...concs]) {
        const prep = prepare(sc.loaded, sc.ctx, { ...req, compounds: [...others, { id: e.compound, concentration: c }] }, false);
        const sim = sc.run(prep, prep.p, `${e.compound} at ${c} µM`);
        results.push(measureAll(sim, e.readouts));
        await sc.step(`${e.compound} at ${c} µM`);
      }
      const control = results[0];
      const rows = results.slice(1);
      const columns: Column[] = [{ name: 'concentration', unit: 'µM', values: concs }];
      const figures: ReportFigure[] = [];
      const notes: string[] = [];
      const confidence = e.fit?.confidence ?? 0.95;
      e.readouts.forEach((r, j) => {
        const u = readoutUnit(model, r, tu);
        const vals = rows.map((row) => row[j]);
        const pct = vals.map((v) => (100 * v) / control[j]);
        columns.push({ name: readoutName(r), ...(u ? { unit: u } : {}), values: vals });
        columns.push({ name: `${readoutName(r)} vs control`, unit: '%', values: pct });
        const fit = sc.fit?.(concs, pct, confidence);
        if (fit) {
          notes.push(`${readoutName(r)}: IC50 ${fit.ic50.toPrecision(3)} µM${fit.ic50Ci ? ` (${Math.round(confidence * 100)} % CI ${fit.ic50Ci[0].toPrecision(3)}–${fit.ic50Ci[1].toPrecision(3)})` : ''}, Hill slope ${fit.hill.toPrecision(3)}`);
        }
        figures.push({
          title: `${e.name ?? e.compound}: ${readoutName(r)}`,
          svg: concentrationResponsePlot({
            title: `${e.name ?? e.compound}: ${readoutName(r)}`,
            series: [{ name: e.compound, concentrations: concs, responses: pct, ...(fit ? { fit: fit.curve, ic50: fit.ic50 } : {}) }],
            responseLabel: readoutName(r), responseUnit: '% of control',
          }),
          caption: fit
            ? `Hill fit: IC50 ${fit.ic50.toPrecision(3)} µM${fit.ic50Ci ? ` (${Math.round(confidence * 100)} % CI ${fit.ic50Ci[0].toPrecision(3)}–${fit.ic50Ci[1].toPrecision(3)})` : ''}, Hill slope ${fit.hill.toPrecision(3)}; the band spans the curves at the ends of the intervals.`
            : 'Points only: the Hill fit did not converge on these points.',
        });
      });
      return { name: e.name ?? `${e.compound} concentration–response`, type: e.type, table: { columns }, figures, runs: concs.length + 1, notes };
    }
  }
}

/** Groups outputs by unit so each trace plot has one y unit. */
function traceGroups(outputs: readonly string[], model: Model): { unit?: string; names: string[] }[] {
  const groups = new Map<string, { unit?: string; names: string[] }>();
  for (const o of outputs) {
    const u = unitOf(model, o);
    const key = u ?? '';
    if (!groups.has(key)) groups.set(key, { ...(u ? { unit: u } : {}), names: [] });
    groups.get(key)!.names.push(o);
  }
  return [...groups.values()];
}

/** Runs one scenario end to end. */
export async function runScenario(file: string, opts: RunCommandOptions = {}, deps: RunDependencies = {}): Promise<RunOutcome> {
  const started = new Date();
  const t0 = performance.now();
  const quiet = opts.quiet ?? isQuiet();
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const registry = deps.registry ?? (await defaultRegistry());
  const { loaded, warnings: importWarnings } = await load(file, opts.set ?? [], registry);
  const s = loaded.scenario;
  const ctx = loaded.context;
  const outDir = resolve(opts.out ?? join('out', s.name));
  const storePath = opts.store === false ? undefined : (opts.store ?? process.env.LTCC_STORE ?? DEFAULT_STORE);

  // Fail fast on outputs that cannot be written, before any simulation.
  new StagedDir(outDir).discard();
  const store = storePath !== undefined ? RunStore.open(storePath) : undefined;
  /** Records a failed or interrupted run; a store problem must not hide the original failure. */
  const recordEnd = (m: RunManifest, message: string): string => {
    if (!store) return '';
    try {
      return `; the store records the run as #${store.record(m, '', message)} (${m.status})`;
    } catch (e) {
      return `; the run could not be recorded in the store (${(e as Error).message})`;
    }
  };
  try {
    const base = prepare(loaded, ctx, requestOf(s), true);
    const model = base.model;
    checkExperimentValues(loaded, model);
    const timeUnit = model.meta?.timeUnit ?? 'ms';
    const outputs = s.outputs.observables ?? (model.observables.length ? model.observables.map((o) => o.name) : model.states.map((st) => st.name));
    outputs.forEach((o, i) => {
      if (!base.compiled.symbols.index.has(o)) {
        loaded.fail(['outputs', 'observables', i], `the model has no quantity '${o}'`, hintFor(o, [...base.compiled.symbols.index.keys()]));
      }
    });
    const saveAt = outputTimes(s.duration, s.outputs.interval);
    const nextSeed = seedStream(s.seed);
    let first = true;
    const runSim = (prep: Prepared, p: Float64Array, what: string): SimulationResult => {
      const seed = first ? s.seed : nextSeed();
      first = false;
      // Other parameter values (a sweep point) start from the cell settled with those values.
      const y0 = p !== prep.p && prep.settle ? prep.settle(p) : prep.y0;
      const sim = simulate(prep.compiled, {
        tEnd: s.duration, saveAt, p, rtol: s.solver.rtol, atol: s.solver.atol, method: s.solver.method, seed,
        ...(y0 ? { y0 } : {}),
        ...(prep.tstops.length ? { tstops: prep.tstops } : {}),
        ...(s.solver.maxSteps !== undefined ? { maxSteps: s.solver.maxSteps } : {}),
        ...(s.solver.hmax !== undefined ? { hmax: s.solver.hmax } : {}),
      });
      if (!isSuccessful(sim.retcode)) {
        const err = new SimulationFailed(`the simulation (${what}) failed at t = ${sim.tReached} ${timeUnit} of ${s.duration}: ${sim.retcode}${sim.message ? ` — ${sim.message}` : ''}`);
        (err as SimulationFailed & { sim?: SimulationResult }).sim = sim;
        throw err;
      }
      return sim;
    };

    const assumptions: AssumptionUsed[] = model.parameters
      .filter((q) => q.provenance?.assumption)
      .map((q) => {
        const i = base.compiled.symbols.index.get(q.name)!.index;
        const overridden = s.parameters?.[q.name] !== undefined;
        return { name: q.name, value: base.p[i], ...(q.unit ? { unit: q.unit } : {}), assumption: q.provenance!.assumption!, ...(overridden ? { overridden } : {}) };
      });

    const manifestOf = (status: RunStatus, sim: SimulationResult | undefined, summary: SummaryRow[], files: FileEntry[], experiments: RunManifest['experiments']): RunManifest => {
      const finished = new Date();
      return {
        format: MANIFEST_FORMAT, name: s.name, ...(s.description ? { description: s.description } : {}),
        source: file, status, scenario: s, context: ctx.id, preset: s.preset, modelHash: base.compiled.hash,
        model: { name: model.name, states: base.compiled.n, parameters: base.compiled.nParams, observables: base.compiled.nObservables, timeUnit },
        version: VERSION, seed: s.seed,
        solver: {
          method: s.solver.method, rtol: s.solver.rtol, atol: s.solver.atol,
          ...(s.solver.maxSteps !== undefined ? { maxSteps: s.solver.maxSteps } : {}),
          ...(s.solver.hmax !== undefined ? { hmax: s.solver.hmax } : {}),
          retcode: sim ? String(sim.retcode) : 'not run', message: sim?.message ?? '', tReached: sim?.tReached ?? 0,
          stats: sim ? { ...sim.stats } : {},
        },
        started: started.toISOString(), finished: finished.toISOString(), wallMs: Math.round(performance.now() - t0),
        summary, assumptions, experiments, files, warnings: [...importWarnings, ...base.compiled.warnings],
      };
    };

    // Base simulation. Ctrl-C here ends the process at once (nothing has been written yet).
    let sim: SimulationResult;
    try {
      sim = runSim(base, base.p, 'base run');
    } catch (e) {
      if (e instanceof SimulationFailed) {
        const failedSim = (e as SimulationFailed & { sim?: SimulationResult }).sim;
        const rec = recordEnd(manifestOf('failed', failedSim, [], [], []), e.message);
        throw new SimulationFailed(`${e.message}\nNothing was written to ${relative(process.cwd(), outDir) || '.'}${rec}.`);
      }
      throw e;
    }

    // From here on Ctrl-C stops after the current simulation and keeps the store consistent.
    let interrupted = false;
    const staged = new StagedDir(outDir);
    const handler = (): void => {
      if (interrupted) {
        staged.discard();
        process.exit(1);
      }
      interrupted = true;
      stderr.write('\nltcc: interrupted; stopping after the current simulation (press Ctrl-C again to stop at once)\n');
    };
    const remove = deps.onInterrupt ? deps.onInterrupt(handler) : ((): (() => void) => { process.on('SIGINT', handler); return () => process.off('SIGINT', handler); })();
    const checkpoint = async (): Promise<void> => {
      await new Promise((r) => setImmediate(r));
      if (interrupted) throw new Interrupted();
    };

    const files: FileEntry[] = [];
    const write = (name: string, data: string | Uint8Array, description: string): void => {
      const path = staged.file(name);
      writeFileAtomic(path, data);
      files.push({ path: name, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length, description });
    };
    const experimentsDone: { name: string; type: string; runs: number; failed: number; files: string[] }[] = [];
    try {
      // Time courses and summary.
      const t = sim.t;
      const cols: Column[] = [{ name: 'time', unit: timeUnit, values: t }];
      const summary: SummaryRow[] = [];
      for (const o of outputs) {
        const y = seriesOf(sim, o);
        const u = unitOf(model, o);
        cols.push({ name: o, ...(u ? { unit: u } : {}), values: y });
        summary.push(summarise(o, u, t, y));
      }
      const tc: Table = { columns: cols };
      write('timecourse.csv', toCsv(tc), 'time courses of the outputs (CSV)');
      write('timecourse.parquet', toParquet(tc, { scenario: s.name, model_hash: base.compiled.hash, ltcc_version: VERSION, seed: String(s.seed) }), 'time courses of the outputs (Parquet)');
      const sumTable: Table = { columns: [
        { name: 'output', values: summary.map((r) => r.output) },
        { name: 'unit', values: summary.map((r) => r.unit ?? '') },
        { name: 'min', values: summary.map((r) => r.min) },
        { name: 'max', values: summary.map((r) => r.max) },
        { name: 'final', values: summary.map((r) => r.final) },
        { name: 'time_of_max', unit: timeUnit, values: summary.map((r) => r.tMax) },
        { name: 'mean', values: summary.map((r) => r.mean) },
      ] };
      write('summary.csv', toCsv(sumTable), 'per output: min, max, final, time of max, mean (CSV)');
      write('summary.json', toJson(summary), 'per output: min, max, final, time of max, mean (JSON)');

      const figures: ReportFigure[] = [];
      const addFigure = (fileBase: string, f: ReportFigure): void => {
        write(`plots/${fileBase}.svg`, f.svg, `plot: ${f.title} (SVG)`);
        if (opts.png !== false) write(`plots/${fileBase}.png`, svgToPng(f.svg), `plot: ${f.title} (PNG)`);
        figures.push(f);
      };
      for (const g of traceGroups(outputs, model)) {
        const title = g.names.join(', ');
        addFigure(`trace-${slug(g.names.join('-'))}`, {
          title,
          svg: tracePlot({ title, series: g.names.map((n) => ({ name: n, t, y: seriesOf(sim, n) })), yLabel: g.names.length === 1 ? g.names[0] : 'value', ...(g.unit ? { yUnit: g.unit } : {}), timeUnit }),
        });
      }

      // Experiments.
      const tables: ReportTable[] = [];
      const notes: string[] = [];
      const experiments = s.experiments ?? [];
      const total = experiments.reduce((n, e) => n + experimentSize(e), 0);
      const progress = startProgress('experiments', total, { quiet });
      const sc: SimContext = {
        loaded, ctx, scenario: s, saveAt, timeUnit, run: runSim,
        step: async (note) => { progress.tick(1, note); await checkpoint(); },
        fit: deps.fitConcentrationResponse ?? hillFitter,
      };
      try {
        for (let i = 0; i < experiments.length; i++) {
          const out = await runExperiment(experiments[i], i, base, sc);
          const stem = `experiments/${i + 1}-${slug(out.name)}`;
          write(`${stem}.csv`, toCsv(out.table), `${out.name} (CSV)`);
          write(`${stem}.json`, toJson(tableToJson(out.table)), `${out.name} (JSON)`);
          out.figures.forEach((f, j) => addFigure(`${i + 1}-${slug(out.name)}${out.figures.length > 1 ? `-${j + 1}` : ''}`, f));
          tables.push({ title: out.name, table: out.table });
          notes.push(...out.notes);
          experimentsDone.push({ name: out.name, type: out.type, runs: out.runs, failed: 0, files: [`${stem}.csv`, `${stem}.json`] });
        }
      } finally {
        progress.done();
      }
      await checkpoint();

      const manifest = manifestOf('ok', sim, summary, [...files], experimentsDone);
      const validation = deps.validation?.(manifest) ?? [];
      const html = renderReport({ manifest, figures, tables, validation, notes });
      write('report.html', html, 'report: summary, plots, tables, validation, assumptions');
      const finalWithSelf: RunManifest = manifestOf('ok', sim, summary, [...files], experimentsDone);
      writeFileAtomic(staged.file('manifest.json'), toJson(finalWithSelf));
      await checkpoint();
      staged.commit();
      remove();
      let id: number | undefined;
      try {
        id = store?.record(finalWithSelf, outDir);
      } catch (e) {
        throw new InputError(`the results were written to ${outDir}, but the run could not be recorded in the store: ${(e as Error).message}`, storePath);
      }
      if (opts.json) stdout.write(toJson({ id: id ?? null, outDir, manifest: finalWithSelf }));
      else if (!quiet) {
        const rel = relative(process.cwd(), outDir) || '.';
        stdout.write(`ltcc: ${id !== undefined ? `run #${id} ` : ''}'${s.name}' done in ${(finalWithSelf.wallMs / 1000).toFixed(2)} s (${s.solver.method}, ${sim.stats.steps} steps)\n`);
        stdout.write(`  results: ${rel}/ (report.html, timecourse.csv/.parquet, summary.csv/.json, ${figures.length} plot${figures.length === 1 ? '' : 's'}, manifest.json)\n`);
        for (const r of summary.slice(0, 8)) {
          const u = r.unit && r.unit !== 'dimensionless' ? ` ${r.unit}` : '';
          stdout.write(`  ${r.output}: min ${r.min.toPrecision(4)}${u}, max ${r.max.toPrecision(4)}${u} at ${r.tMax.toPrecision(4)} ${timeUnit}, final ${r.final.toPrecision(4)}${u}\n`);
        }
        if (summary.length > 8) stdout.write(`  … ${summary.length - 8} more outputs in summary.csv\n`);
        if (assumptions.length) stdout.write(`  ${assumptions.length} parameter values rest on assumptions (listed in the report)\n`);
      }
      return { ...(id !== undefined ? { id } : {}), outDir, manifest: finalWithSelf };
    } catch (e) {
      staged.discard();
      remove();
      const kept = `${relative(process.cwd(), outDir) || '.'} was left as it was`;
      if (e instanceof Interrupted) {
        throw new SimulationFailed(`interrupted: no results were written (${kept})${recordEnd(manifestOf('interrupted', sim, [], [], experimentsDone), 'interrupted by the user')}.`);
      }
      if (e instanceof SimulationFailed) {
        throw new SimulationFailed(`${e.message}\nNo results were written (${kept})${recordEnd(manifestOf('failed', sim, [], [], experimentsDone), e.message)}.`);
      }
      throw e;
    }
  } finally {
    store?.close();
  }
}

/** A scenario's model as `ltcc run` simulates it, with the context's extras made part of it. */
export interface ScenarioModel {
  /** Parameters at the scenario's values (stimulus, compounds, overrides); states starting from the settled state. */
  readonly model: Model;
  /** Stimulus edges of the protocol (ms), for integrators that need them. */
  readonly tstops: readonly number[];
}

/**
 * The model of a scenario file (through the same loader, registry and build as `ltcc run`),
 * self-contained for export: every parameter holds the value the run uses, and each state
 * starts from the value the run starts from (the cell settled at rest, when the context
 * settles it), as a number.
 */
export async function scenarioModel(file: string, sets: readonly string[] = [], registry?: ContextRegistry): Promise<ScenarioModel> {
  const loaded = loadScenario(file, { registry: registry ?? (await defaultRegistry()), sets });
  const prep = prepare(loaded, loaded.context, requestOf(loaded.scenario), true);
  const { model, compiled, p, y0 } = prep;
  const at = (name: string): number => compiled.symbols.index.get(name)!.index;
  return {
    model: {
      ...model,
      parameters: model.parameters.map((q) => ({ ...q, value: p[at(q.name)] })),
      states: y0 ? model.states.map((st) => ({ ...st, initial: num(y0[at(st.name)]) })) : model.states,
      meta: {
        ...(model.meta ?? {}),
        description: `${model.meta?.description ?? model.name}; scenario '${loaded.scenario.name}'${y0 ? ' (initial values: the state the run starts from)' : ''}`,
        scenario: loaded.scenario.name,
      },
    },
    tstops: prep.tstops,
  };
}

/** `ltcc run` as the command line calls it. */
export async function runCommand(file: string, opts: RunCommandOptions): Promise<void> {
  await runScenario(file, opts);
}
