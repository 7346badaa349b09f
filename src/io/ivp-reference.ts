/**
 * Reader for IVP benchmark problems described by a `reference.json` (the layout of the shared
 * IVP test set): the model is built from `initial`, `parameters`, `initial_assignments`,
 * `assignment_rules` and `rhs_published`; the reference solution and the error measures come
 * with it.
 */
import { readFileSync } from 'node:fs';
import { ParseError, parseExpr } from '../math/parser.js';
import type { Expr } from '../math/ast.js';
import type { Model } from '../model/ir.js';
import { ModelError } from '../model/errors.js';
import { validateModel } from '../model/validate.js';
import { InputError } from './errors.js';

export interface IvpReference {
  /** Problem id (directory name or `problem` field). */
  readonly problem: string;
  readonly title: string;
  readonly stiff: boolean;
  readonly t0: number;
  readonly tEnd: number;
  readonly model: Model;
  /** State names in model order. */
  readonly stateNames: readonly string[];
  /** Reference values at tEnd, in model state order. */
  readonly reference: Float64Array;
  /** Components used for the error measures. */
  readonly compareComponents: readonly string[];
  readonly file: string;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function field<T>(obj: Json, key: string, file: string, check: (v: unknown) => v is T, expected: string): T {
  const v = obj[key];
  if (v === undefined) throw new InputError(`missing required field (expected ${expected})`, file, key);
  if (!check(v)) throw new InputError(`expected ${expected}, found ${JSON.stringify(v)?.slice(0, 60)}`, file, key);
  return v;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isNumRecord = (v: unknown): v is Record<string, number> => isObj(v) && Object.values(v).every(isNum);
const isStrRecord = (v: unknown): v is Record<string, string> => isObj(v) && Object.values(v).every(isStr);

function parseFormula(src: string, file: string, fieldPath: string): Expr {
  try {
    return parseExpr(src);
  } catch (e) {
    if (e instanceof ParseError) throw new InputError(e.message, file, fieldPath, undefined, e.column);
    throw e;
  }
}

/** Reads and checks a reference.json; every problem is an {@link InputError} naming the file and field. */
export function loadIvpReference(file: string): IvpReference {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? (e as Error).message})`, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    let line: number | undefined;
    let column: number | undefined;
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos).split('\n');
      line = before.length;
      column = before[before.length - 1].length + 1;
    }
    throw new InputError(`malformed JSON: ${(e as Error).message}`, file, undefined, line, column);
  }
  if (!isObj(raw)) throw new InputError('expected a JSON object at the top level', file);
  const problem = isStr(raw.problem) ? raw.problem : file;
  const stateNames = field(raw, 'state_variables', file, isStrArr, 'an array of state names');
  const initial = field(raw, 'initial', file, isNumRecord, 'an object of numbers');
  const parameters = raw.parameters === undefined ? {} : field(raw, 'parameters', file, isNumRecord, 'an object of numbers');
  const initialAssignments = raw.initial_assignments === undefined ? {} : field(raw, 'initial_assignments', file, isStrRecord, 'an object of formulas');
  const rules = raw.assignment_rules === undefined ? {} : field(raw, 'assignment_rules', file, isStrRecord, 'an object of formulas');
  const rhs = field(raw, 'rhs_published', file, isStrRecord, 'an object of formulas');
  const t0 = field(raw, 't0', file, isNum, 'a number');
  const tEnd = field(raw, 'tend', file, isNum, 'a number');
  if (!(tEnd > t0)) throw new InputError(`tend (${tEnd}) must be after t0 (${t0})`, file, 'tend');
  const refVec = field(raw, 'reference_vector', file, (v): v is number[] => Array.isArray(v) && v.every(isNum), 'an array of numbers');
  if (refVec.length !== stateNames.length) {
    throw new InputError(`has ${refVec.length} entries but there are ${stateNames.length} state variables`, file, 'reference_vector');
  }
  const compare = raw.compare_components === undefined ? stateNames : field(raw, 'compare_components', file, isStrArr, 'an array of state names');
  for (const c of compare) if (!stateNames.includes(c)) throw new InputError(`'${c}' is not a state variable`, file, 'compare_components');

  for (const s of stateNames) {
    if (!(s in initial)) throw new InputError(`no initial value for state '${s}'`, file, `initial.${s}`);
    if (!(s in rhs)) throw new InputError(`no right-hand side for state '${s}'`, file, `rhs_published.${s}`);
  }
  for (const k of Object.keys(rhs)) if (!stateNames.includes(k)) throw new InputError(`'${k}' is not a state variable`, file, `rhs_published.${k}`);

  const model: Model = {
    name: problem,
    states: stateNames.map((s) => ({ name: s, initial: { kind: 'num', value: initial[s] }, rate: parseFormula(rhs[s], file, `rhs_published.${s}`) })),
    parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
    // Initial assignments of constants (e.g. mup = 1 - mu) are constant assigned quantities.
    assigned: [
      ...Object.entries(initialAssignments).map(([name, f]) => ({ name, expr: parseFormula(f, file, `initial_assignments.${name}`) })),
      ...Object.entries(rules).map(([name, f]) => ({ name, expr: parseFormula(f, file, `assignment_rules.${name}`) })),
    ],
    events: [],
    observables: [],
  };
  try {
    validateModel(model, { units: 'off' });
  } catch (e) {
    if (e instanceof ModelError) throw new InputError(e.message, file, e.symbol);
    throw e;
  }
  return {
    problem, title: isStr(raw.title) ? raw.title : problem, stiff: raw.stiff === undefined ? true : field(raw, 'stiff', file, isBool, 'true or false'),
    t0, tEnd, model, stateNames, reference: Float64Array.from(refVec), compareComponents: compare, file,
  };
}

/**
 * Error measures of the IVP test set, over `compare` components:
 * scd = −log10(max_i |y_i − ref_i| / |ref_i|) over components with ref_i ≠ 0;
 * mescd = −log10(max_i |y_i − ref_i| / (atol/rtol + |ref_i|)).
 */
export function errorMeasures(
  y: ArrayLike<number>, ref: ArrayLike<number>, compareIdx: readonly number[], rtol: number, atol: number,
): { scd: number; mescd: number } {
  let maxRel = 0;
  let maxMixed = 0;
  for (const i of compareIdx) {
    const err = Math.abs(y[i] - ref[i]);
    if (ref[i] !== 0) maxRel = Math.max(maxRel, err / Math.abs(ref[i]));
    maxMixed = Math.max(maxMixed, err / (atol / rtol + Math.abs(ref[i])));
  }
  if (Number.isNaN(maxRel) || compareIdx.some((i) => !Number.isFinite(y[i]))) return { scd: NaN, mescd: NaN };
  return { scd: -Math.log10(maxRel), mescd: -Math.log10(maxMixed) };
}
