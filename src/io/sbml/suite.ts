/**
 * The SBML Test Suite (semantic cases) runner: for case NNNNN in `<casesDir>/NNNNN/`, read
 * `NNNNN-settings.txt`, import the highest-level model file the importer supports, simulate with
 * output at `steps + 1` evenly spaced times, write the result in the suite's CSV format and
 * compare it with `NNNNN-results.csv` using the suite's rule: every point must satisfy
 * |expected − simulated| ≤ absolute + relative·|expected| (NaN matches NaN).
 *
 * Solver tolerances are tighter than the case demands (rtol 1e-10, atol 1e-3·absolute) so that
 * integration error never decides a case.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Expr, evaluate, TIME } from '../../math/index.js';
import { compile } from '../../compile/compile.js';
import type { CompiledModel } from '../../compile/compiled.js';
import { simulate } from '../../solve/simulate.js';
import { isSuccessful } from '../../solve/types.js';
import { InputError } from '../errors.js';
import { importSbml, type SbmlImport } from './import.js';

export interface SuiteSettings {
  readonly start: number;
  readonly duration: number;
  readonly steps: number;
  readonly variables: readonly string[];
  readonly absolute: number;
  readonly relative: number;
  readonly amount: ReadonlySet<string>;
  readonly concentration: ReadonlySet<string>;
}

/** Parses `NNNNN-settings.txt` (`key: value` lines). */
export function parseSettings(text: string, file?: string): SuiteSettings {
  const kv = new Map<string, string>();
  text.split(/\r?\n/).forEach((line) => {
    const i = line.indexOf(':');
    if (i > 0) kv.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  });
  const list = (k: string): string[] => (kv.get(k) ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const number = (k: string): number => {
    const s = kv.get(k);
    const v = s === undefined || s === '' ? NaN : Number(s);
    if (!Number.isFinite(v)) throw new InputError(`settings field '${k}' is ${s === undefined ? 'missing' : JSON.stringify(s)}, expected a number`, file, k);
    return v;
  };
  return {
    start: number('start'), duration: number('duration'), steps: number('steps'),
    variables: list('variables'), absolute: number('absolute'), relative: number('relative'),
    amount: new Set(list('amount')), concentration: new Set(list('concentration')),
  };
}

export interface ResultTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly number[])[];
}

/** Parses a results CSV (optional header; `time` first). */
export function parseResultsCsv(text: string, file?: string): ResultTable {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  let header: string[] = [];
  const rows: number[][] = [];
  lines.forEach((l, i) => {
    const cells = l.split(',').map((c) => c.trim());
    if (i === 0 && cells.some((c) => c !== '' && Number.isNaN(Number(c)) && !/^[+-]?(nan|inf(inity)?)$/i.test(c))) {
      header = cells;
      return;
    }
    rows.push(cells.map((c, j) => {
      const v = /^[+-]?inf(inity)?$/i.test(c) ? (c.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(c) ? NaN : Number(c);
      if (c === '' || (Number.isNaN(v) && !/^nan$/i.test(c))) throw new InputError(`cell ${JSON.stringify(c)} is not a number`, file, `column ${j + 1}`, i + 1);
      return v;
    }));
  });
  return { header, rows };
}

/** Writes a table in the suite's results format (`time,<vars>`). */
export function formatResultsCsv(table: ResultTable): string {
  return [table.header.join(','), ...table.rows.map((r) => r.map((v) => String(v)).join(','))].join('\n') + '\n';
}

export interface Comparison {
  readonly pass: boolean;
  /** First failing point, for the report. */
  readonly firstFailure?: { readonly variable: string; readonly time: number; readonly expected: number; readonly simulated: number };
  /** Largest |expected − simulated| / (absolute + relative·|expected|) over all points (≤ 1 passes). */
  readonly worst: number;
}

/** The suite's comparison rule. Columns are matched by name (time first). */
export function compareResults(expected: ResultTable, simulated: ResultTable, absolute: number, relative: number): Comparison {
  if (expected.rows.length !== simulated.rows.length) {
    return { pass: false, worst: Infinity, firstFailure: { variable: '(rows)', time: NaN, expected: expected.rows.length, simulated: simulated.rows.length } };
  }
  const cols = expected.header.length ? expected.header : simulated.header;
  let worst = 0;
  let firstFailure: Comparison['firstFailure'];
  cols.forEach((name, j) => {
    // The first column is time whatever its header says (`time`, `Time`).
    const js = j === 0 ? 0 : simulated.header.indexOf(name, 1);
    if (js < 0) {
      worst = Infinity;
      firstFailure ??= { variable: name, time: NaN, expected: NaN, simulated: NaN };
      return;
    }
    for (let i = 0; i < expected.rows.length; i++) {
      const e = expected.rows[i][j];
      const s = simulated.rows[i][js];
      let ratio: number;
      if (Number.isNaN(e) || Number.isNaN(s)) ratio = Number.isNaN(e) && Number.isNaN(s) ? 0 : Infinity;
      else if (!Number.isFinite(e) || !Number.isFinite(s)) ratio = e === s ? 0 : Infinity;
      else ratio = e === s ? 0 : Math.abs(e - s) / (absolute + relative * Math.abs(e));
      if (Number.isNaN(ratio)) ratio = Infinity;
      if (ratio > worst) worst = ratio;
      if (ratio > 1 && !firstFailure) firstFailure = { variable: name, time: expected.rows[i][0], expected: e, simulated: s };
    }
  });
  return { pass: worst <= 1, worst, ...(firstFailure ? { firstFailure } : {}) };
}

export type CaseStatus = 'pass' | 'fail' | 'unsupported' | 'error';

export interface CaseResult {
  readonly id: string;
  readonly status: CaseStatus;
  /** Why it failed or was not run. */
  readonly reason?: string;
  readonly modelFile?: string;
  readonly worst?: number;
  readonly seconds: number;
}

/** Model files in preference order (highest level/version first). */
const MODEL_SUFFIXES = ['l3v2', 'l3v1', 'l2v5', 'l2v4', 'l2v3', 'l2v2', 'l2v1'];

/** Solver settings for a case: tighter than the comparison needs. */
export interface SuiteSolverOptions {
  rtol?: number;
  /** atol = atolFactor · the case's absolute tolerance (default 1e-3). */
  atolFactor?: number;
  method?: 'bdf' | 'rosenbrock' | 'dopri5';
}

/** Simulates an imported model and tabulates the requested variables at the output times. */
export function simulateForSuite(imp: SbmlImport, settings: SuiteSettings, solver: SuiteSolverOptions = {}): ResultTable {
  const cm = compile(imp.model, { units: 'off' });
  const tEnd = settings.start + settings.duration;
  const saveAt = Array.from({ length: settings.steps + 1 }, (_, i) => (i === settings.steps ? tEnd : settings.start + (settings.duration * i) / settings.steps));
  const outputs: { name: string; expr: Expr }[] = settings.variables.map((v) => {
    const s = imp.symbols.get(v);
    if (!s) throw new InputError(`the settings ask for '${v}', which the model does not define`, undefined, v);
    if (s.kind === 'species') {
      if (settings.amount.has(v)) return { name: v, expr: s.amount! };
      if (settings.concentration.has(v)) return { name: v, expr: s.concentration! };
    }
    return { name: v, expr: s.value };
  });
  const res = simulate(cm, {
    tEnd, saveAt, rtol: solver.rtol ?? 1e-10, atol: stateTolerances(imp, cm, (solver.atolFactor ?? 1e-3) * settings.absolute),
    method: solver.method ?? 'bdf', recordParameters: true,
    // SBML leaves the order of simultaneous events with equal priority random.
    seed: 20240501,
  });
  if (!isSuccessful(res.retcode)) throw new SimulationError(`the simulation stopped at t = ${res.tReached}: ${res.retcode} ${res.message}`);
  const { index } = cm.symbols;
  const n = cm.n;
  const np = cm.nParams;
  const na = cm.nAssigned;
  const rows: number[][] = [];
  for (let k = 0; k < res.t.length; k++) {
    const t = res.t[k];
    const env = (name: string): number => {
      if (name === TIME) return t;
      const r = index.get(name);
      if (!r) throw new InputError(`internal: no value for '${name}'`);
      switch (r.kind) {
        case 'state': return res.y[k * n + r.index];
        case 'parameter': return res.parameters![k * np + r.index];
        case 'assigned': return res.assigned![k * na + r.index];
        case 'observable': return res.observables![k * cm.nObservables + r.index];
      }
    };
    rows.push([t, ...outputs.map((o) => evaluate(o.expr, env))]);
  }
  if (rows.length !== saveAt.length) throw new SimulationError(`the simulation produced ${rows.length} of ${saveAt.length} output rows`);
  return { header: ['time', ...outputs.map((o) => o.name)], rows };
}

/**
 * Absolute tolerances per state: `atol` for concentrations, scaled by the compartment size for
 * species amounts (an amount in a 0.002 L compartment must be 500 times more accurate than the
 * concentration the case compares).
 */
function stateTolerances(imp: SbmlImport, cm: CompiledModel, atol: number): Float64Array {
  const tol = new Float64Array(cm.n).fill(atol);
  const p = new Float64Array(cm.p0);
  const y = new Float64Array(cm.n);
  const a = new Float64Array(cm.nAssigned);
  cm.init(0, p, y);
  cm.assigned(0, y, p, a);
  const valueOf = (name: string): number => {
    const r = cm.symbols.index.get(name);
    if (!r) return NaN;
    return r.kind === 'state' ? y[r.index] : r.kind === 'parameter' ? p[r.index] : r.kind === 'assigned' ? a[r.index] : NaN;
  };
  for (const s of imp.symbols.values()) {
    if (s.kind !== 'species' || s.amount?.kind !== 'sym' || s.compartment === undefined) continue;
    const r = cm.symbols.index.get(s.amount.name);
    if (r?.kind !== 'state') continue;
    const v = Math.abs(valueOf(s.compartment));
    if (v > 0 && Number.isFinite(v)) tol[r.index] = atol * Math.min(1, v);
  }
  return tol;
}

/** A simulation that did not reach the end. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
}

/** Finds the model file of a case (highest supported level/version). */
export function caseModelFile(casesDir: string, id: string): string | undefined {
  const dir = join(casesDir, id);
  for (const suf of MODEL_SUFFIXES) {
    const f = join(dir, `${id}-sbml-${suf}.xml`);
    if (existsSync(f)) return f;
  }
  return undefined;
}

/** Runs one case; never throws (failures are reported in the result). */
export function runCase(casesDir: string, id: string, outDir?: string, solver: SuiteSolverOptions = {}): CaseResult {
  const t0 = performance.now();
  const done = (status: CaseStatus, extra: Partial<CaseResult> = {}): CaseResult => ({
    id, status, ...extra, seconds: (performance.now() - t0) / 1000,
  });
  const modelFile = caseModelFile(casesDir, id);
  if (!modelFile) return done('error', { reason: 'no SBML model file in the case folder' });
  const rel = `${id}/${modelFile.slice(modelFile.lastIndexOf('/') + 1)}`;
  try {
    const settingsText = readFileSync(join(casesDir, id, `${id}-settings.txt`), 'utf8');
    if (/^start:\s*$/m.test(settingsText) && /^duration:\s*$/m.test(settingsText)) {
      return done('unsupported', { modelFile: rel, reason: 'a flux-balance steady-state case (no start, duration or steps): ltcc simulates time courses, it does not do flux-balance analysis' });
    }
    const settings = parseSettings(settingsText, `${id}/${id}-settings.txt`);
    const imp = importSbml(readFileSync(modelFile, 'utf8'), { file: rel });
    const table = simulateForSuite(imp, settings, solver);
    if (outDir) writeFileSync(join(outDir, `${id}.csv`), formatResultsCsv(table));
    const expected = parseResultsCsv(readFileSync(join(casesDir, id, `${id}-results.csv`), 'utf8'), `${id}/${id}-results.csv`);
    const cmp = compareResults(expected, table, settings.absolute, settings.relative);
    if (cmp.pass) return done('pass', { modelFile: rel, worst: cmp.worst });
    const f = cmp.firstFailure;
    const reason = f ? `${f.variable} at t = ${f.time}: expected ${f.expected}, got ${f.simulated}` : 'mismatch';
    return done('fail', { modelFile: rel, worst: cmp.worst, reason });
  } catch (e) {
    const err = e as Error;
    const unsupported = err instanceof InputError && /not supported|unsupported/.test(err.message);
    const msg = err.message.replace(/\s+/g, ' ');
    return done(unsupported ? 'unsupported' : 'error', { modelFile: rel, reason: err instanceof InputError || err instanceof SimulationError ? msg : `${err.name}: ${msg}` });
  }
}

// ---------------------------------------------------------------------------------------------
// The index of cases (tags and subsets)

export interface CaseInfo {
  readonly id: string;
  readonly componentTags: readonly string[];
  readonly testTags: readonly string[];
  readonly testType: string;
  /** Subset columns (no_packages, core_ode_events, …) the case belongs to. */
  readonly subsets: readonly string[];
}

/** Reads `semantic-index.tsv` (columns by header name; subset columns are the 0/1 ones). */
export function readSuiteIndex(file: string): { cases: Map<string, CaseInfo>; subsets: string[] } {
  const text = readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(`the index has no column '${name}'`, file, name, 1);
    return i;
  };
  const iCase = col('case');
  const iComp = col('componentTags');
  const iTest = col('testTags');
  const iType = col('testType');
  const fixed = new Set(['case', 'model_file', 'testType', 'generatedBy', 'packages', 'componentTags', 'testTags', 'start', 'duration', 'steps', 'absolute', 'relative', 'variables', 'amount', 'concentration']);
  const subsetCols = header.map((h, i) => ({ h, i })).filter(({ h }) => !fixed.has(h));
  const cases = new Map<string, CaseInfo>();
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    const tags = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter((x) => x.length > 0);
    cases.set(c[iCase], {
      id: c[iCase], componentTags: tags(c[iComp]), testTags: tags(c[iTest]), testType: c[iType] ?? '',
      subsets: subsetCols.filter(({ i }) => c[i] === '1').map(({ h }) => h),
    });
  }
  return { cases, subsets: subsetCols.map(({ h }) => h) };
}

/** Parses `1-100,205,300-310` into case ids (`00001`, …). */
export function parseCaseRange(spec: string): string[] {
  const out: string[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new InputError(`bad case range ${JSON.stringify(part)} (expected e.g. 1-1821 or 5,7,10-20)`, undefined, '--cases');
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    if (b < a) throw new InputError(`bad case range ${JSON.stringify(part)}: the end is before the start`, undefined, '--cases');
    for (let k = a; k <= b; k++) out.push(String(k).padStart(5, '0'));
  }
  return out;
}

/** Case folders present in `casesDir` (five-digit names), sorted. */
export function listCases(casesDir: string): string[] {
  return readdirSync(casesDir).filter((d) => /^\d{5}$/.test(d)).sort();
}

// ---------------------------------------------------------------------------------------------
// Summaries

export interface TagCount {
  pass: number;
  total: number;
}

export interface SuiteSummary {
  readonly total: TagCount;
  readonly bySubset: Map<string, TagCount>;
  readonly byComponentTag: Map<string, TagCount>;
  readonly byTestTag: Map<string, TagCount>;
  readonly byStatus: Map<CaseStatus, number>;
}

export function summarize(results: readonly CaseResult[], index?: Map<string, CaseInfo>): SuiteSummary {
  const bump = (m: Map<string, TagCount>, k: string, pass: boolean): void => {
    const c = m.get(k) ?? { pass: 0, total: 0 };
    c.total++;
    if (pass) c.pass++;
    m.set(k, c);
  };
  const total = { pass: 0, total: 0 };
  const bySubset = new Map<string, TagCount>();
  const byComponentTag = new Map<string, TagCount>();
  const byTestTag = new Map<string, TagCount>();
  const byStatus = new Map<CaseStatus, number>();
  for (const r of results) {
    const pass = r.status === 'pass';
    total.total++;
    if (pass) total.pass++;
    byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const info = index?.get(r.id);
    if (!info) continue;
    info.subsets.forEach((s) => bump(bySubset, s, pass));
    info.componentTags.forEach((s) => bump(byComponentTag, s, pass));
    info.testTags.forEach((s) => bump(byTestTag, s, pass));
  }
  return { total, bySubset, byComponentTag, byTestTag, byStatus };
}

const pct = (c: TagCount): string => (c.total ? `${((100 * c.pass) / c.total).toFixed(1)} %` : '–');

/** Plain-text summary for the terminal. */
export function formatSummary(s: SuiteSummary, subsets: readonly string[]): string {
  const lines: string[] = [];
  const table = (title: string, m: Map<string, TagCount>, keys?: readonly string[]): void => {
    lines.push(`${title}:`);
    for (const k of keys ?? [...m.keys()].sort()) {
      const c = m.get(k);
      if (!c) continue;
      lines.push(`  ${k.padEnd(34)} ${String(c.pass).padStart(5)} / ${String(c.total).padEnd(5)} ${pct(c)}`);
    }
  };
  table('subsets', s.bySubset, subsets);
  table('component tags', s.byComponentTag);
  table('test tags', s.byTestTag);
  lines.push(`total: ${s.total.pass} / ${s.total.total} passed (${pct(s.total)}); ` +
    [...s.byStatus].map(([k, v]) => `${k} ${v}`).join(', '));
  return lines.join('\n');
}

/**
 * Why the cases that ltcc runs but does not pass fail (checked by hand; printed in the report
 * next to the first mismatch).
 */
export const KNOWN_CAUSES: ReadonlyMap<string, string> = new Map([
  ['01507', 'a delayed event with useValuesFromTriggerTime assigns a concentration while a rate rule changes the compartment: the value comes from the trigger time but must be converted to an amount with the size at execution time; the IR event assignment is one formula evaluated at trigger time, so ltcc converts with the size at trigger time'],
  ['01508', 'as 01507 (delayed concentration assignment in a growing compartment)'],
  ['01511', 'as 01507 (delayed concentration assignment in a growing compartment)'],
]);

/** The part of docs/SBML.md that describes what is supported (the tables follow it). */
const SBML_DOC = `# SBML support

ltcc reads SBML Level 2 (Versions 1–5) and Level 3 (Versions 1–2) into its model IR
(\`src/io/sbml/import.ts\`, MathML in \`mathml.ts\`) and writes any IR model as SBML Level 3
Version 2 (\`export.ts\`, MathML in \`mathml-write.ts\`). \`ltcc run model.xml\` simulates an
SBML file, \`ltcc export sbml <model>\` writes one, and \`ltcc sbml-suite\` runs the SBML Test
Suite. This file is generated by that command (see the end for how).

## Import: what an SBML model becomes

| SBML | IR |
|---|---|
| parameter, compartment size, species reference stoichiometry (L3, with an id) | state (rate rule), assigned quantity (assignment rule or solved algebraic rule), otherwise a parameter (events may change it) |
| species | the **amount** is what is integrated or stored (\`S\` when \`hasOnlySubstanceUnits\`, else \`S.amount\`); when the species symbol denotes a concentration, \`S\` is the assigned quantity \`S.amount / compartment\`. A constant species keeps its amount |
| species with an assignment rule | assigned \`S\` (plus \`S.amount = S · compartment\` for concentrations) |
| reaction | assigned quantity named by the reaction id: its rate (extent/time) |
| reaction-local parameter \`k\` of reaction \`R\` | parameter \`R.k\` (local parameters shadow global ids inside their kinetic law only) |
| initial assignment | the start value of the state, or the \`initial\` formula of the parameter |
| function definition | inlined at every call by simultaneous substitution of the arguments |
| event | event with trigger, \`initialValue\`, \`persistent\`, delay, priority, \`useValuesFromTriggerTime\` |
| constraint | kept; \`checkConstraints\` reports the first output time at which one fails (a warning) |
| unit definitions, \`units\`/\`substanceUnits\` | ltcc unit strings on the IR quantities; unit inconsistencies are warnings |

Semantics that follow the specification exactly:

- species amounts change at Σ stoichiometry · reaction rate · conversion factor (species or model
  \`conversionFactor\`); boundary and constant species are not changed by reactions;
- a rate rule on a concentration in a compartment that a rule changes gives
  d(amount)/dt = d[S]/dt · V + [S] · dV/dt;
- an event assignment to a concentration sets the amount to value × compartment size, the size
  before the event (all assignments of an event are computed before any is applied);
- \`rateOf(x)\` is replaced by the time derivative of x: the rate of a state, the chain rule
  through assignment rules (symbolic derivatives), 0 for a parameter;
- \`delay(x, τ)\`: the compiler turns each delayed term into a value the simulation driver sets
  from a recorded history of x (cubic interpolation, segments no longer than the shortest delay:
  the method of steps). Before the start, every quantity is what its initial value gives at that
  earlier time (a function of time keeps running, constants stay) and rates of change are 0;
- events fire on a false → true transition of the trigger, read just after the located root (so
  \`time > 5\` fires at 5); simultaneous events execute by priority, ties in a seeded random order;
- algebraic rules linear in a free variable are solved for it (symbolic derivative; a linear
  system of several rules is reduced by substitution); boundary species are chosen last;
- MathML: arithmetic, power, root with degree, log with logbase, the trigonometric, hyperbolic and
  arc families (incl. sec/csc/cot), piecewise, relational and logical operators incl. xor and
  implies, quotient/rem/max/min, csymbols time/avogadro/delay/rateOf, \`cn\` of type integer, real,
  e-notation and rational, \`INF\`/\`NaN\`, and the constants. Unusual argument counts follow MathML
  (\`plus()\` = 0, \`and()\` = true, a relation of one argument is true).

Not supported, each an error naming the element and line: SBML Level 1; the packages comp, fbc,
qual, multi, arrays, distrib, spatial (layout, render and groups only draw or group and are
ignored with a note); fast reactions (rapid-equilibrium constraints); \`delay\` in an initial
assignment; algebraic rules that are not linear in a free variable. Names from the file never
reach generated code (ids become array indices; an id that is not an SBML identifier is refused),
so ids such as \`__proto__\` or \`constructor\` are ordinary names.

## Export

\`exportSbml(model)\` writes SBML Level 3 Version 2 for any IR model. A state whose unit is a
concentration becomes a species in one constant compartment of size 1 with a rate rule (with a
unit volume, amount and concentration coincide); every other state becomes a non-constant
parameter with a rate rule. No reactions are written (the IR holds rates, not networks; rate
rules carry them without loss). Parameters stay parameters (computed start values become initial
assignments); assigned quantities and observables become assignment rules; events keep all their
attributes (a \`terminal\` event is marked in an ltcc annotation, SBML has no such event). Units
become unit definitions over the SI base units. Descriptions and provenance (\`source\`,
\`assumption\`) go to XHTML notes and to an \`ltcc:provenance\` annotation; parameters carry
SBO:0000002, species SBO:0000240, the compartment SBO:0000410. Numbers used as conditions are
written as |x| > 0 (ltcc's truth rule, under which NaN is false). The tests import every export
again and compare trajectories (the six IVP problems and a sample of test-suite cases), and run
libSBML's consistency check (Debian \`python3-sbml5\`) on the exported files.

`;

/** The Markdown report (pass table and the reason for every case that does not pass). */
export function formatMarkdown(results: readonly CaseResult[], s: SuiteSummary, subsets: readonly string[], meta: { command: string; seconds: number; jobs: number; suiteVersion?: string }): string {
  const md: string[] = [SBML_DOC];
  md.push('## SBML Test Suite results', '');
  md.push(`${results.length} semantic cases of the SBML Test Suite${meta.suiteVersion ? ` ${meta.suiteVersion}` : ''}, each simulated with output at its \`steps + 1\` times and compared with its expected results by the suite's rule (every point within absolute + relative·|expected|). Solver: BDF with rtol 1e-10 and atol 1e-3 × the case's absolute tolerance (scaled by the compartment size for amounts). Wall time ${meta.seconds.toFixed(0)} s on ${meta.jobs} worker threads.`, '');
  md.push('| subset (see semantic-index.tsv) | passed | cases | rate |', '|---|---:|---:|---:|');
  for (const k of subsets) {
    const c = s.bySubset.get(k);
    if (c) md.push(`| ${k} | ${c.pass} | ${c.total} | ${pct(c)} |`);
  }
  md.push(`| all cases run | ${s.total.pass} | ${s.total.total} | ${pct(s.total)} |`, '');
  md.push(`Status of all cases: ${[...s.byStatus].map(([k, v]) => `${k} ${v}`).join(', ')} (\`unsupported\` = refused with an explicit error, \`error\` = could not be run, e.g. the flux-balance cases have no time course).`, '');
  const tagTable = (title: string, m: Map<string, TagCount>): void => {
    md.push(`### By ${title}`, '', '| tag | passed | cases | rate |', '|---|---:|---:|---:|');
    for (const k of [...m.keys()].sort()) {
      const c = m.get(k)!;
      md.push(`| ${k} | ${c.pass} | ${c.total} | ${pct(c)} |`);
    }
    md.push('');
  };
  tagTable('component tag', s.byComponentTag);
  tagTable('test tag', s.byTestTag);
  const failing = results.filter((r) => r.status !== 'pass');
  md.push('### Cases that do not pass, with the reason', '');
  if (failing.length === 0) md.push('None.', '');
  else {
    md.push('| case | status | reason |', '|---|---|---|');
    for (const r of failing) {
      const cause = r.status === 'fail' && KNOWN_CAUSES.has(r.id) ? ` — cause: ${KNOWN_CAUSES.get(r.id)}` : '';
      md.push(`| ${r.id} | ${r.status} | ${`${r.reason ?? ''}${cause}`.replace(/\|/g, '\\|')} |`);
    }
    md.push('');
  }
  md.push('## Regenerating this file', '');
  md.push('```', 'npm run build', `node dist/cli/main.js ${meta.command}`, '```', '');
  md.push('The command writes the simulated results as `<out>/<NNNNN>.csv`, prints a line per case and the totals per subset, component tag and test tag (`--json` prints one object per case), runs the cases on all cores with worker threads (`--jobs N`) and rewrites this file with `--markdown`.', '');
  return md.join('\n');
}

/** Creates the output folder (and parents). */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
