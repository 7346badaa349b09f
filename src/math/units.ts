/**
 * Units as dimension vectors: exponents of the seven SI base units plus a scale factor to SI,
 * so `mV` is {m²·kg·s⁻³·A⁻¹, 1e-3} and `uM` is {mol·m⁻³, 1e-3}. Dimensions are checked once when
 * a model is built (see {@link inferUnit}), never while it is solved.
 *
 * Unit syntax accepted by {@link parseUnit}: products `*` (or `.`), quotients `/` (left to
 * right: `mol/L/s` = mol/(L·s)), powers `^n` (integer or decimal, possibly negative),
 * parentheses, positive numbers as factors (`1/ms`, `1000*mol`), a leading `/` (`/ms` = 1/ms),
 * `1` and `dimensionless`, and `%` (= 0.01). Unit names are case-sensitive; a name may carry one
 * SI prefix (f p n u µ μ m c d k M G). A bare name is always tried first, so `M` is molar,
 * `min` is minutes, `cd` is candela and `mM` is millimolar; `Mohm` is megaohm. Affine units
 * (`degC`, `degF`) are refused: use `K`.
 */
import { formatExpr } from './parser.js';
import type { Expr } from './ast.js';

/** Exponents of m, kg, s, A, K, mol, cd (in that order). */
export type Dimension = readonly [number, number, number, number, number, number, number];

/** A unit: a dimension and the factor that converts a value in this unit to SI. */
export interface Unit {
  readonly dim: Dimension;
  /** Value in SI = value in this unit × scale (e.g. 1e-3 for `mV`). */
  readonly scale: number;
}

/** Raised for unit strings that cannot be read and for conversions between different dimensions. */
export class UnitError extends Error {
  override readonly name = 'UnitError';
}

const BASE_SYMBOLS = ['m', 'kg', 's', 'A', 'K', 'mol', 'cd'] as const;

const dim = (m = 0, kg = 0, s = 0, A = 0, K = 0, mol = 0, cd = 0): Dimension => [m, kg, s, A, K, mol, cd];
const unit = (d: Dimension, scale = 1): Unit => ({ dim: d, scale });

/** The dimensionless unit with scale 1. */
export const DIMENSIONLESS: Unit = unit(dim());

interface Named {
  readonly unit: Unit;
  /** Whether an SI prefix may be attached. */
  readonly prefixable: boolean;
}

const VOLT = dim(2, 1, -3, -1);
const NAMED: Readonly<Record<string, Named>> = {
  m: { unit: unit(dim(1)), prefixable: true },
  g: { unit: unit(dim(0, 1), 1e-3), prefixable: true },
  s: { unit: unit(dim(0, 0, 1)), prefixable: true },
  A: { unit: unit(dim(0, 0, 0, 1)), prefixable: true },
  K: { unit: unit(dim(0, 0, 0, 0, 1)), prefixable: true },
  mol: { unit: unit(dim(0, 0, 0, 0, 0, 1)), prefixable: true },
  cd: { unit: unit(dim(0, 0, 0, 0, 0, 0, 1)), prefixable: true },
  L: { unit: unit(dim(3), 1e-3), prefixable: true },
  l: { unit: unit(dim(3), 1e-3), prefixable: true },
  /** molar: mol/L */
  M: { unit: unit(dim(-3, 0, 0, 0, 0, 1), 1e3), prefixable: true },
  V: { unit: unit(VOLT), prefixable: true },
  S: { unit: unit(dim(-2, -1, 3, 2)), prefixable: true },
  ohm: { unit: unit(dim(2, 1, -3, -2)), prefixable: true },
  Ohm: { unit: unit(dim(2, 1, -3, -2)), prefixable: true },
  'Ω': { unit: unit(dim(2, 1, -3, -2)), prefixable: true },
  F: { unit: unit(dim(-2, -1, 4, 2)), prefixable: true },
  C: { unit: unit(dim(0, 0, 1, 1)), prefixable: true },
  J: { unit: unit(dim(2, 1, -2)), prefixable: true },
  W: { unit: unit(dim(2, 1, -3)), prefixable: true },
  N: { unit: unit(dim(1, 1, -2)), prefixable: true },
  Pa: { unit: unit(dim(-1, 1, -2)), prefixable: true },
  Hz: { unit: unit(dim(0, 0, -1)), prefixable: true },
  min: { unit: unit(dim(0, 0, 1), 60), prefixable: false },
  h: { unit: unit(dim(0, 0, 1), 3600), prefixable: false },
  hr: { unit: unit(dim(0, 0, 1), 3600), prefixable: false },
  day: { unit: unit(dim(0, 0, 1), 86400), prefixable: false },
  dimensionless: { unit: DIMENSIONLESS, prefixable: false },
  /** SBML's `item` (a count of entities) is a pure number. */
  item: { unit: DIMENSIONLESS, prefixable: false },
  '%': { unit: unit(dim(), 0.01), prefixable: false },
};

const PREFIXES: Readonly<Record<string, number>> = {
  f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, 'µ': 1e-6, 'μ': 1e-6, m: 1e-3, c: 1e-2, d: 1e-1,
  k: 1e3, M: 1e6, G: 1e9,
};

const AFFINE = new Set(['degC', 'degF', '°C', '°F', 'celsius', 'Celsius', 'fahrenheit']);

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The unit named `name` (possibly prefixed), or an error naming the token. */
function lookupName(name: string, src: string): Unit {
  if (has(NAMED, name)) return NAMED[name].unit;
  if (AFFINE.has(name)) {
    throw new UnitError(`unit '${name}' in '${src}' is an affine temperature scale, which is not supported; use K`);
  }
  // Prefixes are one character (µ and μ are one UTF-16 unit each).
  const p = name[0];
  const rest = name.slice(1);
  if (rest.length > 0 && has(PREFIXES, p) && has(NAMED, rest) && NAMED[rest].prefixable) {
    const base = NAMED[rest].unit;
    return unit(base.dim, base.scale * PREFIXES[p]);
  }
  throw new UnitError(`unknown unit '${name}' in '${src}'`);
}

/** Multiply two units. */
export function multiply(a: Unit, b: Unit): Unit {
  return unit(a.dim.map((x, i) => x + b.dim[i]) as unknown as Dimension, a.scale * b.scale);
}
/** Divide unit `a` by unit `b`. */
export function divide(a: Unit, b: Unit): Unit {
  return unit(a.dim.map((x, i) => x - b.dim[i]) as unknown as Dimension, a.scale / b.scale);
}
/** Raise a unit to a real power (`sqrt` is power 0.5). */
export function power(a: Unit, n: number): Unit {
  if (!Number.isFinite(n)) throw new UnitError(`cannot raise a unit to the power ${n}`);
  return unit(a.dim.map((x) => x * n) as unknown as Dimension, Math.pow(a.scale, n));
}
/** True when both units have the same dimension (scales may differ: `mV` and `V`). */
export function sameDimension(a: Unit, b: Unit): boolean {
  return a.dim.every((x, i) => Math.abs(x - b.dim[i]) < 1e-12);
}
/** True when the unit has no dimension (its scale may differ from 1, as for `%`). */
export function isDimensionless(a: Unit): boolean {
  return a.dim.every((x) => Math.abs(x) < 1e-12);
}
/** True when both units are the same up to rounding of the scale (relative 1e-12). */
export function sameUnit(a: Unit, b: Unit): boolean {
  return sameDimension(a, b) && Math.abs(a.scale - b.scale) <= 1e-12 * Math.max(Math.abs(a.scale), Math.abs(b.scale));
}

/**
 * The factor f such that a value in `from` equals f × the value in `to`
 * (`convertFactor(parseUnit('mV'), parseUnit('V'))` = 1e-3).
 * @throws UnitError when the dimensions differ.
 */
export function convertFactor(from: Unit, to: Unit): number {
  if (!sameDimension(from, to)) {
    throw new UnitError(`cannot convert ${formatUnit(from)} to ${formatUnit(to)}: different dimensions`);
  }
  return from.scale / to.scale;
}

// ---------------------------------------------------------------------------------------------
// Parsing

interface UTok {
  readonly kind: 'name' | 'num' | 'punct' | 'end';
  readonly text: string;
  readonly pos: number;
}

function tokenizeUnit(src: string): UTok[] {
  const out: UTok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if ('*/^()'.includes(c) || (c === '.' && !/[0-9]/.test(src[i + 1] ?? ''))) {
      out.push({ kind: 'punct', text: c === '.' ? '*' : c, pos: i });
      i++;
      continue;
    }
    const numMatch = /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/.exec(src.slice(i));
    if (numMatch) {
      out.push({ kind: 'num', text: numMatch[0], pos: i });
      i += numMatch[0].length;
      continue;
    }
    if (c === '-' || c === '+') {
      // Only meaningful as the sign of an exponent (`cm^-2`); the parser checks that.
      out.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    const nameMatch = /^(%|[A-Za-zµμΩ°_][A-Za-zµμΩ°_]*)/.exec(src.slice(i));
    if (nameMatch) {
      out.push({ kind: 'name', text: nameMatch[0], pos: i });
      i += nameMatch[0].length;
      continue;
    }
    throw new UnitError(`unexpected character '${c}' at column ${i + 1} in unit '${src}'`);
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}

/**
 * Read a unit string such as `mV`, `uM/ms`, `mS/cm^2`, `1/(uM*ms)`, `J/(mol*K)` (syntax in
 * the module comment).
 * @throws UnitError naming the unknown unit or the unexpected token.
 */
export function parseUnit(s: string): Unit {
  const src = s.trim();
  if (src === '') throw new UnitError('empty unit string');
  const toks = tokenizeUnit(src);
  let i = 0;
  const peek = (): UTok => toks[i];
  const fail = (t: UTok, expected: string): never => {
    const what = t.kind === 'end' ? 'end of unit' : `'${t.text}'`;
    throw new UnitError(`unexpected ${what} at column ${t.pos + 1} in unit '${src}': ${expected}`);
  };
  const isP = (c: string): boolean => peek().kind === 'punct' && peek().text === c;

  const parseExponent = (): number => {
    let sign = 1;
    if (isP('-') || isP('+')) {
      if (peek().text === '-') sign = -1;
      i++;
    }
    const t = toks[i];
    if (t.kind !== 'num') return fail(t, 'expected a number as exponent');
    i++;
    return sign * Number(t.text);
  };
  const parseAtom = (): Unit => {
    const t = toks[i++];
    if (t.kind === 'name') return lookupName(t.text, src);
    if (t.kind === 'num') {
      const v = Number(t.text);
      if (!(v > 0) || !Number.isFinite(v)) fail(t, 'a numeric factor must be positive');
      return unit(dim(), v);
    }
    if (t.kind === 'punct' && t.text === '(') {
      const u = parseProduct();
      if (!isP(')')) fail(peek(), "expected ')'");
      i++;
      return u;
    }
    return fail(t, 'expected a unit name, a number or (');
  };
  const parseFactor = (): Unit => {
    const a = parseAtom();
    if (!isP('^')) return a;
    i++;
    return power(a, parseExponent());
  };
  const parseProduct = (): Unit => {
    // A leading '/' means 1/…: `/ms`.
    let u = isP('/') ? DIMENSIONLESS : parseFactor();
    while (isP('*') || isP('/')) {
      const o = toks[i++].text;
      const f = parseFactor();
      u = o === '*' ? multiply(u, f) : divide(u, f);
    }
    return u;
  };
  const u = parseProduct();
  if (peek().kind !== 'end') fail(peek(), "expected '*', '/', '^' or end of unit");
  return u;
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Named units tried, with every prefix, before falling back to base-unit products. */
const PREFERRED = ['s', 'm', 'g', 'A', 'K', 'mol', 'cd', 'M', 'V', 'S', 'F', 'C', 'J', 'W', 'N', 'Pa', 'ohm'];
const PREFERRED_PREFIXES = ['', 'p', 'n', 'u', 'm', 'k', 'M', 'G', 'f', 'c'];

function formatNumberFactor(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/**
 * Human-readable text for a unit that {@link parseUnit} reads back: a single (prefixed) unit
 * name when one matches (`mV`, `uM`, `pA`, `min`), otherwise a product of SI base units with a
 * numeric factor (`10*A^2*s^3/(kg*m^4)`), `dimensionless` for a pure number.
 */
export function formatUnit(u: Unit): string {
  if (isDimensionless(u)) {
    if (u.scale === 1) return 'dimensionless';
    if (Math.abs(u.scale - 0.01) < 1e-15) return '%';
    return formatNumberFactor(u.scale);
  }
  for (const name of PREFERRED) {
    for (const p of PREFERRED_PREFIXES) {
      const cand = p === '' ? NAMED[name].unit : unit(NAMED[name].unit.dim, NAMED[name].unit.scale * PREFIXES[p]);
      if (sameUnit(u, cand)) return p + name;
    }
  }
  for (const name of ['min', 'h']) if (sameUnit(u, NAMED[name].unit)) return name;
  const num: string[] = [];
  const den: string[] = [];
  u.dim.forEach((x, i) => {
    if (Math.abs(x) < 1e-12) return;
    const e = Math.abs(x);
    const txt = BASE_SYMBOLS[i] + (Math.abs(e - 1) < 1e-12 ? '' : `^${Number(e.toPrecision(12))}`);
    (x > 0 ? num : den).push(txt);
  });
  if (u.scale !== 1) num.unshift(formatNumberFactor(u.scale));
  const top = num.length === 0 ? '1' : num.join('*');
  if (den.length === 0) return top;
  return `${top}/${den.length === 1 ? den[0] : `(${den.join('*')})`}`;
}

// ---------------------------------------------------------------------------------------------
// Checking expressions

/** One finding of {@link inferUnit}. */
export interface UnitIssue {
  /** `error`: dimensions disagree; `warning`: same dimension but different scale (mV vs V). */
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** The offending sub-expression. */
  readonly at: Expr;
}

/** Result of {@link inferUnit}. */
export interface UnitCheck {
  /** The unit of the whole expression; undefined when it is dimension-free or not known. */
  readonly unit?: Unit;
  /**
   * True when the expression is built from bare numbers only (or otherwise carries no unit):
   * like SBML's undeclared numbers it is compatible with any unit in sums and comparisons.
   */
  readonly dimensionFree: boolean;
  /** {@link formatUnit} of `unit`, or `dimension-free` / `unknown`. */
  readonly formatted: string;
  /** Error messages (dimension mismatches), each quoting the offending sub-expression. */
  readonly problems: readonly string[];
  /** Scale mismatches within one dimension (e.g. adding mV to V). */
  readonly warnings: readonly string[];
  /** All findings, structured. */
  readonly issues: readonly UnitIssue[];
}

type Inferred = { readonly k: 'unit'; readonly u: Unit } | { readonly k: 'free' } | { readonly k: 'unknown' };
const FREE: Inferred = { k: 'free' };
const UNKNOWN: Inferred = { k: 'unknown' };
const known = (u: Unit): Inferred => ({ k: 'unit', u });
const DIMLESS: Inferred = known(DIMENSIONLESS);

const SAME_UNIT_OPS = new Set(['add', 'sub', 'min', 'max']);
const RELATIONAL_OPS = new Set(['lt', 'le', 'gt', 'ge', 'eq', 'neq']);
const LOGICAL_OPS = new Set(['and', 'or', 'xor', 'not', 'implies']);
const DIMENSIONLESS_ARG_OPS = new Set([
  'exp', 'ln', 'log10', 'factorial',
  'sin', 'cos', 'tan', 'sec', 'csc', 'cot', 'asin', 'acos', 'atan', 'asec', 'acsc', 'acot',
  'sinh', 'cosh', 'tanh', 'sech', 'csch', 'coth', 'asinh', 'acosh', 'atanh', 'asech', 'acsch', 'acoth',
]);
const SAME_AS_ARG_OPS = new Set(['neg', 'abs', 'floor', 'ceil']);

/** The numeric value of `e` if it is a number or a negated number. */
function constantOf(e: Expr): number | undefined {
  if (e.kind === 'num') return e.value;
  if (e.kind === 'op' && e.op === 'neg') {
    const v = constantOf(e.args[0]);
    return v === undefined ? undefined : -v;
  }
  if (e.kind === 'op' && e.op === 'div') {
    const a = constantOf(e.args[0]);
    const b = constantOf(e.args[1]);
    return a === undefined || b === undefined ? undefined : a / b;
  }
  return undefined;
}

/**
 * Infer the unit of `e` and report inconsistencies. Rules:
 * - numbers are dimension-free: they take the unit of whatever they are added to or compared
 *   with (SBML's treatment of undeclared numbers); in products they are pure factors;
 * - `add`, `sub`, `min`, `max`, relational operators, the values of `piecewise` and both
 *   arguments of `rem` need the same dimension; a different scale is a warning;
 * - `mul`/`div` combine units; `pow` needs a constant exponent unless the base is dimensionless;
 *   `sqrt` and `root(n, x)` with constant n take fractional powers;
 * - `exp`, logarithms, trigonometric and hyperbolic functions need dimensionless arguments (a
 *   dimensionless argument with a scale other than 1, like `mV/V`, is a warning);
 * - relational and logical results are dimensionless; `delay(x, τ)` has the unit of x and τ
 *   must be a time; `rateOf(x)` is x per time;
 * - a symbol for which `unitOf` returns undefined has an unknown unit and is not checked.
 * The unit of time is `unitOf('time')`.
 */
export function inferUnit(e: Expr, unitOf: (name: string) => Unit | undefined): UnitCheck {
  const issues: UnitIssue[] = [];
  const show = (i: Inferred): string => (i.k === 'unit' ? formatUnit(i.u) : i.k === 'free' ? 'dimension-free' : 'unknown');
  const error = (at: Expr, msg: string): void => {
    issues.push({ severity: 'error', message: `${msg} in '${formatExpr(at)}'`, at });
  };
  const warn = (at: Expr, msg: string): void => {
    issues.push({ severity: 'warning', message: `${msg} in '${formatExpr(at)}'`, at });
  };

  /** All arguments must share a dimension; returns the common unit (the first known). */
  const unify = (at: Expr, parts: readonly Inferred[], verb: string): Inferred => {
    let first: Unit | undefined;
    let anyUnknown = false;
    for (const p of parts) {
      if (p.k === 'unknown') anyUnknown = true;
      if (p.k !== 'unit') continue;
      if (first === undefined) {
        first = p.u;
      } else if (!sameDimension(first, p.u)) {
        error(at, `cannot ${verb} ${formatUnit(first)} and ${formatUnit(p.u)}`);
        return UNKNOWN;
      } else if (!sameUnit(first, p.u)) {
        warn(at, `${verb}s ${formatUnit(first)} and ${formatUnit(p.u)} (same dimension, scale differs by ${formatNumberFactor(p.u.scale / first.scale)})`);
      }
    }
    if (first !== undefined) return known(first);
    return anyUnknown ? UNKNOWN : FREE;
  };
  const needDimensionless = (at: Expr, i: Inferred, what: string): void => {
    if (i.k !== 'unit') return;
    if (!isDimensionless(i.u)) error(at, `${what} must be dimensionless, not ${formatUnit(i.u)}`);
    else if (Math.abs(i.u.scale - 1) > 1e-12) warn(at, `${what} is dimensionless but scaled by ${formatNumberFactor(i.u.scale)}`);
  };

  const go = (x: Expr): Inferred => {
    switch (x.kind) {
      case 'num':
        return FREE;
      case 'sym': {
        const u = unitOf(x.name);
        return u === undefined ? UNKNOWN : known(u);
      }
      case 'op':
        break;
    }
    const o = x.op;
    const a = x.args;
    if (o === 'piecewise') {
      const values: Inferred[] = [];
      a.forEach((arg, i) => {
        const r = go(arg);
        if (i % 2 === 1) return; // a condition: checked inside, its unit is irrelevant
        values.push(r);
      });
      return unify(x, values, 'choose between');
    }
    const parts = a.map(go);
    if (SAME_UNIT_OPS.has(o)) return unify(x, parts, o === 'add' || o === 'sub' ? 'add' : 'compare');
    if (RELATIONAL_OPS.has(o)) {
      unify(x, parts, 'compare');
      return DIMLESS;
    }
    if (LOGICAL_OPS.has(o)) return DIMLESS;
    if (SAME_AS_ARG_OPS.has(o)) return parts[0];
    if (DIMENSIONLESS_ARG_OPS.has(o)) {
      parts.forEach((p) => needDimensionless(x, p, `the argument of '${o}'`));
      return DIMLESS;
    }
    switch (o) {
      case 'mul':
      case 'div':
      case 'quotient': {
        if (parts.some((p) => p.k === 'unknown')) return UNKNOWN;
        const units = parts.map((p) => (p.k === 'unit' ? p.u : undefined));
        if (units.every((u) => u === undefined)) return FREE;
        const us = units.map((u) => u ?? DIMENSIONLESS);
        if (o === 'mul') return known(us.reduce(multiply, DIMENSIONLESS));
        return known(divide(us[0], us[1]));
      }
      case 'rem':
        return unify(x, parts, 'take the remainder of');
      case 'logb':
        parts.forEach((p) => needDimensionless(x, p, "the arguments of 'log'"));
        return DIMLESS;
      case 'pow':
      case 'root': {
        const [base, expo] = o === 'pow' ? [parts[0], parts[1]] : [parts[1], parts[0]];
        const expoExpr = o === 'pow' ? a[1] : a[0];
        needDimensionless(x, expo, o === 'pow' ? 'the exponent' : 'the degree of the root');
        if (base.k !== 'unit') return base;
        if (isDimensionless(base.u)) return known(power(base.u, constantOf(expoExpr) ?? 1));
        const n = constantOf(expoExpr);
        if (n === undefined || !Number.isFinite(n) || (o === 'root' && n === 0)) {
          error(x, `${o === 'pow' ? 'the exponent of' : 'the degree of a root of'} a quantity in ${formatUnit(base.u)} must be a constant number`);
          return UNKNOWN;
        }
        return known(power(base.u, o === 'pow' ? n : 1 / n));
      }
      case 'sqrt':
        return parts[0].k === 'unit' ? known(power(parts[0].u, 0.5)) : parts[0];
      case 'delay': {
        const t = unitOf('time');
        if (t !== undefined && parts[1].k === 'unit' && !sameDimension(parts[1].u, t)) {
          error(x, `the delay must be a time (${formatUnit(t)}), not ${formatUnit(parts[1].u)}`);
        }
        return parts[0];
      }
      case 'rateOf': {
        const t = unitOf('time');
        if (parts[0].k !== 'unit' || t === undefined) return UNKNOWN;
        return known(divide(parts[0].u, t));
      }
      default:
        // Every operator is listed above; a new one must get a rule here.
        throw new UnitError(`no unit rule for operator '${o}'`);
    }
  };

  const r = go(e);
  return {
    unit: r.k === 'unit' ? r.u : undefined,
    dimensionFree: r.k === 'free',
    formatted: show(r),
    problems: issues.filter((i) => i.severity === 'error').map((i) => i.message),
    warnings: issues.filter((i) => i.severity === 'warning').map((i) => i.message),
    issues,
  };
}
