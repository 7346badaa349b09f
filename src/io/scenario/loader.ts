/**
 * Reads a scenario file (YAML or JSON), applies `--set path=value` overrides, validates it
 * against the schema and then against the context registry, and resolves defaults.
 *
 * Every problem is reported with file, line:column and field path (positions come from the
 * YAML parser's node ranges; JSON is parsed by the same parser after a strict JSON check), with
 * a did-you-mean hint for misspelled keys and names. All problems are collected and reported
 * together, in file order.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type Document, LineCounter, type Node, isAlias, isMap, isScalar, isSeq, parse as parseYaml, parseDocument } from 'yaml';
import type * as z from 'zod';
import { InputError } from '../errors.js';
import { ScenarioError, type ScenarioIssue } from './errors.js';
import { closest, hintFor } from './hints.js';
import { type FieldPath, type PathKey, describeSchema, formatPath, resolveSetPath, schemaAt, splitPath } from './paths.js';
import { type ContextEntry, type ContextNames, type ContextRegistry, RequestError } from './registry.js';
import {
  type OutputsSpec, type ReadoutSpec, type Scenario, ScenarioSchema, type SolverSpec, SolverSchema, protocolDuration,
} from './schema.js';

/** A scenario after validation, with the context's default preset, the duration, the solver settings and the sampling interval filled in. */
export type ResolvedScenario = Omit<Scenario, 'preset' | 'duration' | 'solver' | 'outputs'> & {
  /** The preset used (the context's default when the file names none). */
  readonly preset: string;
  /** Simulated time (ms, or the model's time unit for imported models). */
  readonly duration: number;
  readonly solver: SolverSpec;
  readonly outputs: OutputsSpec & { readonly interval: number };
};

export interface LoadOptions {
  /** The contexts the scenario may name. */
  registry: ContextRegistry;
  /** `path=value` overrides (value read as a YAML scalar or flow collection), applied in order. */
  sets?: readonly string[];
}

/** Where a field is: a line and column in the file, or the `--set` argument it came from. */
export interface SourceLocation {
  readonly line?: number;
  readonly column?: number;
  readonly origin?: string;
}

/** A validated scenario and the means to report later problems at the right place in its file. */
export interface LoadedScenario {
  readonly scenario: ResolvedScenario;
  /** The file as named on the command line. */
  readonly file: string;
  readonly context: ContextEntry;
  /** The position of a field (or of its key, with `atKey`), for problems found after loading. */
  locate(path: FieldPath, atKey?: boolean): SourceLocation;
  /** An issue at a field of this scenario. */
  issue(path: FieldPath, message: string, hint?: string, atKey?: boolean): ScenarioIssue;
  /** Throws a {@link ScenarioError} at a field of this scenario. */
  fail(path: FieldPath, message: string, hint?: string, atKey?: boolean): never;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parsed text with positions, plus the paths that `--set` changed. */
class Source {
  readonly sets: { path: FieldPath; arg: string }[] = [];

  constructor(
    readonly file: string,
    readonly doc: Document.Parsed | Document,
    readonly lines: LineCounter,
  ) {}

  /** The node at `path` (following aliases) and the key node of its last step. */
  private walk(path: FieldPath): { node: Node | null | undefined; key?: Node; depth: number; parent?: Node } {
    let cur: unknown = this.doc.contents;
    let key: Node | undefined;
    let parent: Node | undefined;
    let depth = 0;
    for (const k of path) {
      if (isAlias(cur)) cur = cur.resolve(this.doc);
      if (isMap(cur)) {
        const pair = cur.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(k));
        if (!pair) break;
        parent = cur;
        key = pair.key as Node;
        cur = pair.value;
      } else if (isSeq(cur) && typeof k === 'number' && k < cur.items.length) {
        parent = cur;
        key = undefined;
        cur = cur.items[k];
      } else break;
      depth++;
    }
    if (isAlias(cur)) cur = cur.resolve(this.doc);
    return { node: cur as Node | null | undefined, ...(key ? { key } : {}), depth, ...(parent ? { parent } : {}) };
  }

  locate(path: FieldPath, atKey = false): SourceLocation {
    for (let i = this.sets.length - 1; i >= 0; i--) {
      const s = this.sets[i].path;
      if (s.length <= path.length && s.every((k, j) => String(k) === String(path[j]))) return { origin: `--set ${this.sets[i].arg}` };
    }
    const w = this.walk(path);
    const complete = w.depth === path.length;
    // A missing field is reported at the mapping that should hold it.
    const target = complete ? (atKey && w.key ? w.key : (w.node ?? w.key)) : (w.node ?? w.parent);
    const offset = target?.range?.[0] ?? (complete ? w.key?.range?.[0] : undefined);
    if (offset === undefined) return {};
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  issue(path: FieldPath, message: string, hint?: string, atKey = false): ScenarioIssue {
    return { file: this.file, field: formatPath(path), message, ...(hint ? { hint } : {}), ...this.locate(path, atKey) };
  }
}

/** Node 20 reports JSON syntax errors as "... at position N". */
function jsonErrorPosition(message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

function parseSource(text: string, file: string): Source {
  const lines = new LineCounter();
  const isJson = extname(file).toLowerCase() === '.json';
  if (isJson) {
    try {
      JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const pos = jsonErrorPosition(msg);
      parseDocument(text, { lineCounter: lines });
      const lc = pos !== undefined ? lines.linePos(pos) : undefined;
      throw new ScenarioError([{ file, field: '(top level)', message: `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/s, '')}`, ...(lc ? { line: lc.line, column: lc.col } : {}) }]);
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(doc.errors.map((err) => {
      const lp = err.linePos?.[0];
      const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return { file, field: '(syntax)', message: `${isJson ? 'invalid JSON' : 'invalid YAML'}: ${message}`, ...(lp ? { line: lp.line, column: lp.col } : {}) };
    }));
  }
  if (doc.contents === null) throw new ScenarioError([{ file, field: '(top level)', message: 'the file is empty' }]);
  if (!isMap(doc.contents)) {
    const { line, col } = lines.linePos(doc.contents.range?.[0] ?? 0);
    throw new ScenarioError([{ file, line, column: col, field: '(top level)', message: 'a scenario is a mapping of fields (name, context, protocol, …)' }]);
  }
  return new Source(file, doc, lines);
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let v = data;
  for (const k of path) {
    if (!(isObj(v) || Array.isArray(v))) return undefined;
    v = (v as Record<PathKey, unknown>)[k];
  }
  return v;
}

/** Applies one `--set path=value` to the document. */
function applySet(src: Source, arg: string): void {
  const eq = arg.indexOf('=');
  const bad = (message: string, hint?: string): never => {
    throw new ScenarioError([{ file: src.file, field: eq > 0 ? arg.slice(0, eq) : arg, message, origin: `--set ${arg}`, ...(hint ? { hint } : {}) }]);
  };
  if (eq <= 0) bad("expected --set path=value, e.g. --set solver.rtol=1e-8");
  const pathText = arg.slice(0, eq).trim();
  const valueText = arg.slice(eq + 1);
  let raw;
  try {
    raw = splitPath(pathText);
  } catch (e) {
    return bad((e as Error).message);
  }
  const data: unknown = src.doc.toJS();
  const path = resolveSetPath(ScenarioSchema, raw, data);
  if (!path) {
    // Find the first segment that leaves the schema, for a hint.
    let s: z.core.$ZodType | undefined = ScenarioSchema;
    const done: PathKey[] = [];
    for (const seg of raw) {
      const node = describeSchema(s, valueAt(data, done));
      if (node.kind === 'object' && typeof seg.key === 'string' && !node.child(seg.key)) {
        bad(`no field '${seg.key}' at ${formatPath(done)}`, hintFor(seg.key, node.keys));
      }
      s = schemaAt(ScenarioSchema, [...done, seg.key], data);
      done.push(seg.key);
      if (!s) break;
    }
    bad(`'${pathText}' is not a field of a scenario`);
  }
  let value: unknown;
  try {
    value = parseYaml(valueText, { strict: true });
  } catch (e) {
    bad(`cannot read the value '${valueText}': ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    src.doc.setIn(path!, src.doc.createNode(value));
  } catch (e) {
    bad(`cannot set ${formatPath(path!)}: ${(e as Error).message}`);
  }
  src.sets.push({ path: path!, arg });
}

/** Converts zod issues to scenario issues with positions and hints. */
function schemaIssues(src: Source, data: unknown, issues: readonly z.core.$ZodIssue[]): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  for (const iss of issues) {
    const path = iss.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
    if (iss.code === 'unrecognized_keys') {
      const sch = schemaAt(ScenarioSchema, path, data);
      const node = sch ? describeSchema(sch, valueAt(data, path)) : undefined;
      const allowed = node && (node.kind === 'object' || node.kind === 'union') ? node.keys : [];
      for (const k of iss.keys) out.push(src.issue([...path, k], `unknown key '${k}'`, hintFor(k, allowed.filter((a) => a !== '$schema')), true));
      continue;
    }
    const value = valueAt(data, path);
    if (iss.code === 'invalid_union' && 'discriminator' in iss && (iss as { note?: string }).note === 'No matching discriminator') {
      const opts = ((iss as unknown as { options?: unknown[] }).options ?? []).map(String);
      const disc = String((iss as unknown as { discriminator: string }).discriminator);
      const tagPath = path[path.length - 1] === disc ? path : [...path, disc];
      const tag = valueAt(data, tagPath);
      out.push(tag === undefined
        ? src.issue(tagPath, `missing '${disc}'`, `expected one of: ${opts.map((o) => `'${o}'`).join(', ')}`)
        : src.issue(tagPath, `unknown ${disc} '${String(tag)}'`, hintFor(String(tag), opts)));
      continue;
    }
    if (iss.code === 'invalid_value') {
      const opts = iss.values.map(String);
      out.push(src.issue(path, `invalid value ${JSON.stringify(value)}`, typeof value === 'string' ? hintFor(value, opts) : `expected one of: ${opts.map((o) => `'${o}'`).join(', ')}`));
      continue;
    }
    if (iss.code === 'invalid_type' && value === undefined) {
      out.push(src.issue(path, `missing required field '${String(path[path.length - 1])}'`));
      continue;
    }
    if (iss.code === 'invalid_type') {
      const got = value === null ? 'nothing (null)' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
      out.push(src.issue(path, `expected ${iss.expected === 'record' ? 'a mapping' : iss.expected === 'array' ? 'a list' : iss.expected === 'object' ? 'a mapping' : `a ${iss.expected}`}, got ${got}`));
      continue;
    }
    out.push(src.issue(path, iss.message.replace(/^Invalid input: /, '')));
  }
  return out;
}

const byPosition = (a: ScenarioIssue, b: ScenarioIssue): number =>
  (a.origin ? 1 : 0) - (b.origin ? 1 : 0) || (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0);

/** Names the scenario uses, checked against the context. */
function registryIssues(src: Source, s: Scenario, registry: ContextRegistry): { issues: ScenarioIssue[]; context?: ContextEntry } {
  const issues: ScenarioIssue[] = [];
  const ctx = registry.lookup(s.context);
  if (!ctx) {
    const ids = registry.ids();
    issues.push(src.issue(['context'], `unknown context '${s.context}'`, hintFor(s.context, ids) ?? (ids.length ? undefined : 'no context is registered')));
    return { issues };
  }
  const presets = ctx.presets.map((p) => p.id);
  const presetOk = s.preset === undefined || presets.includes(s.preset);
  if (!presetOk) {
    issues.push(src.issue(['preset'], `context '${ctx.id}' has no preset '${s.preset}'`, hintFor(s.preset!, presets)));
  }
  if (s.signalling && !ctx.signalling) {
    issues.push(src.issue(['signalling'], `context '${ctx.id}' has no signalling model`, 'signalling to the nucleus is modelled in the ca1 context'));
  }
  const protocolOk = !s.protocol || ctx.protocols.includes(s.protocol.type);
  if (!protocolOk) {
    issues.push(src.issue(['protocol', 'type'], `context '${ctx.id}' cannot apply a '${s.protocol!.type}' protocol`, ctx.protocols.length ? `it supports: ${ctx.protocols.join(', ')}` : 'it takes no protocol'));
  }
  const compounds = ctx.compounds;
  const compoundOk = (id: string): boolean => compounds !== undefined && compounds.includes(id);
  const checkCompound = (path: FieldPath, id: string): void => {
    if (!compounds) issues.push(src.issue(path, `context '${ctx.id}' takes no compounds`));
    else if (!compounds.includes(id)) {
      const near = closest(id, compounds);
      issues.push(src.issue(path, `unknown compound '${id}'`, `${near !== undefined ? `did you mean '${near}'? ` : ''}the library has: ${compounds.join(', ')}`));
    }
  };
  (s.compounds ?? []).forEach((c, i) => checkCompound(['compounds', i, 'id'], c.id));

  // The names this request may use (they can depend on preset, protocol and signalling).
  let names: ContextNames = { parameters: ctx.parameters, observables: ctx.observables, components: ctx.components };
  if (ctx.describe && presetOk && protocolOk && !(s.signalling && !ctx.signalling)) {
    try {
      names = ctx.describe({
        preset: s.preset ?? ctx.defaultPreset, components: {}, compounds: (s.compounds ?? []).filter((c) => compoundOk(c.id)),
        ...(s.protocol ? { protocol: s.protocol } : {}), signalling: s.signalling,
        ...(s.duration !== undefined ? { duration: s.duration } : {}),
      });
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      issues.push(src.issue(e.path, e.detail, e.hint));
      return { issues, context: ctx };
    }
  }
  const unavailable = names.unavailable ?? {};
  const params = names.parameters;
  const paramSet = new Set(params);
  const checkParam = (path: FieldPath, name: string, atKey = false): void => {
    if (paramSet.has(name)) return;
    const why = unavailable[name];
    issues.push(why
      ? src.issue(path, `parameter '${name}' is not in this model: ${why}`, undefined, atKey)
      : src.issue(path, `context '${ctx.id}' has no parameter '${name}'`, hintFor(name, params), atKey));
  };
  for (const k of Object.keys(s.parameters ?? {})) checkParam(['parameters', k], k, true);
  const comps = new Set(names.components);
  const checkComponent = (path: FieldPath, id: string, atKey = false): void => {
    if (comps.has(id)) return;
    const why = unavailable[id];
    if (why) issues.push(src.issue(path, `component '${id}' is not in this model: ${why}`, undefined, atKey));
    else issues.push(src.issue(path, names.components.length ? `context '${ctx.id}' has no component '${id}'` : `context '${ctx.id}' has no removable components`, hintFor(id, names.components), atKey));
  };
  for (const k of Object.keys(s.components ?? {})) checkComponent(['components', k], k, true);
  const obs = names.observables;
  const obsSet = new Set(obs);
  const checkObs = (path: FieldPath, name: string): void => {
    if (obsSet.has(name)) return;
    const why = unavailable[name];
    issues.push(why
      ? src.issue(path, `'${name}' is not in this model: ${why}`)
      : src.issue(path, `context '${ctx.id}' has no observable '${name}'`, hintFor(name, obs)));
  };
  (s.outputs?.observables ?? []).forEach((o, i) => checkObs(['outputs', 'observables', i], o));
  const checkReadouts = (base: FieldPath, rs: readonly ReadoutSpec[]): void => rs.forEach((r, i) => checkObs([...base, i, 'observable'], r.observable));
  (s.experiments ?? []).forEach((e, i) => {
    const base: FieldPath = ['experiments', i];
    switch (e.type) {
      case 'sweep':
        checkParam([...base, 'parameter'], e.parameter);
        checkReadouts([...base, 'readouts'], e.readouts);
        break;
      case 'grid':
        checkParam([...base, 'x', 'parameter'], e.x.parameter);
        checkParam([...base, 'y', 'parameter'], e.y.parameter);
        checkObs([...base, 'readout', 'observable'], e.readout.observable);
        break;
      case 'concentration-response':
        checkCompound([...base, 'compound'], e.compound);
        checkReadouts([...base, 'readouts'], e.readouts);
        break;
      case 'knockouts':
        e.components.forEach((c, j) => checkComponent([...base, 'components', j], c));
        checkReadouts([...base, 'readouts'], e.readouts);
        break;
    }
  });
  return { issues, context: ctx };
}

function resolve(src: Source, s: Scenario, ctx: ContextEntry): { scenario?: ResolvedScenario; issues: ScenarioIssue[] } {
  const issues: ScenarioIssue[] = [];
  const duration = s.duration ?? protocolDuration(s.protocol);
  if (duration === undefined) {
    issues.push(src.issue(['duration'], "missing 'duration': give the simulated time (ms), or a protocol that has a length of its own"));
    return { issues };
  }
  const interval = s.outputs?.interval ?? duration / 500;
  if (interval > duration) issues.push(src.issue(['outputs', 'interval'], `the sampling interval (${interval}) is longer than the simulated time (${duration})`));
  if (duration / interval > 5_000_000) issues.push(src.issue(['outputs', 'interval'], `${Math.ceil(duration / interval)} output points are too many (at most 5 000 000)`));
  for (const [path, r] of readoutWindows(s)) {
    if (r.from !== undefined && r.from >= duration) issues.push(src.issue([...path, 'from'], `the window starts at ${r.from}, after the end of the simulation (${duration})`));
    if (r.to !== undefined && r.to > duration) issues.push(src.issue([...path, 'to'], `the window ends at ${r.to}, after the end of the simulation (${duration})`));
  }
  const scenario: ResolvedScenario = {
    ...s,
    preset: s.preset ?? ctx.defaultPreset,
    duration,
    solver: s.solver ?? SolverSchema.parse({}),
    outputs: { ...(s.outputs ?? {}), interval },
  };
  return { scenario, issues };
}

function readoutWindows(s: Scenario): [FieldPath, ReadoutSpec][] {
  const out: [FieldPath, ReadoutSpec][] = [];
  (s.experiments ?? []).forEach((e, i) => {
    if (e.type === 'grid') out.push([['experiments', i, 'readout'], e.readout]);
    else e.readouts.forEach((r, j) => out.push([['experiments', i, 'readouts', j], r]));
  });
  return out;
}

/**
 * Validates scenario text. `file` names it in messages and selects JSON (`.json`) or YAML.
 * @throws {@link ScenarioError} listing every problem.
 */
export function parseScenario(text: string, file: string, options: LoadOptions): LoadedScenario {
  const src = parseSource(text, file);
  for (const arg of options.sets ?? []) applySet(src, arg);
  const data: unknown = src.doc.toJS({ maxAliasCount: 100 });
  const parsed = ScenarioSchema.safeParse(data);
  if (!parsed.success) throw new ScenarioError(schemaIssues(src, data, parsed.error.issues).sort(byPosition));
  const reg = registryIssues(src, parsed.data, options.registry);
  if (reg.issues.length || !reg.context) throw new ScenarioError(reg.issues.sort(byPosition));
  const res = resolve(src, parsed.data, reg.context);
  if (res.issues.length || !res.scenario) throw new ScenarioError(res.issues.sort(byPosition));
  const context = reg.context;
  return {
    scenario: res.scenario,
    file,
    context,
    locate: (path, atKey) => src.locate(path, atKey),
    issue: (path, message, hint, atKey) => src.issue(path, message, hint, atKey),
    fail: (path, message, hint, atKey) => { throw new ScenarioError([src.issue(path, message, hint, atKey)]); },
  };
}

/** The file extensions a scenario may have. */
export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/**
 * Reads and validates a scenario file.
 * @throws {@link InputError} when the file cannot be read, {@link ScenarioError} when it is invalid.
 */
export function loadScenario(file: string, options: LoadOptions): LoadedScenario {
  const ext = extname(file).toLowerCase();
  if (!(SCENARIO_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new InputError(`a scenario file must end in ${SCENARIO_EXTENSIONS.join(', ')} (got '${ext || 'no extension'}')`, file);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot read the file (${code ?? (e as Error).message})`, file);
  }
  return parseScenario(text, file, options);
}

/** Validates a scenario given as a plain object (e.g. built by a program), reported under `label`. */
export function scenarioFromObject(value: unknown, label: string, options: LoadOptions): LoadedScenario {
  return parseScenario(JSON.stringify(value, null, 2), label, options);
}
