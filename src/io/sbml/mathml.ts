/**
 * MathML (the subset SBML Levels 2 and 3 allow) → {@link Expr}.
 *
 * - Argument order is the document order (the XML tree is read with `preserveOrder`).
 * - `<ci>` names go through the caller's resolver, which renames reaction-local parameters and
 *   rejects undefined ids; function calls are inlined by simultaneous substitution of the
 *   (renamed) lambda arguments, so the result never contains a call.
 * - csymbols: `time` → the reserved symbol {@link TIME}, `avogadro` → its numeric value,
 *   `delay` → `delay(x, τ)`, `rateOf` → `rateOf(x)`; any other definitionURL is an error.
 * - `<cn>`: types `integer`, `real` (default), `double`, `e-notation` (a·10^b) and `rational`
 *   (a/b), with `INF`, `-INF` and `NaN` spelled out; anything else that is not a number is an
 *   error (never a silent 0).
 * - Operators with unusual argument counts follow MathML: `plus()` = 0, `times()` = 1,
 *   `and()` = true, `or()`/`xor()` = false, a relation with one argument is true, unary
 *   `minus` is negation, `root` without `degree` is the square root and `log` without
 *   `logbase` is the base-10 logarithm.
 */
import { type Expr, type Op, TIME, num, op, substitute, sym } from '../../math/ast.js';
import { InputError } from '../errors.js';
import type { XmlElement } from './xml.js';

/** The value the SBML Level 3 specifications give the `avogadro` csymbol (CODATA 2006). */
export const AVOGADRO = 6.02214179e23;

const CSYMBOL = 'http://www.sbml.org/sbml/symbols/';
export const CSYMBOL_TIME = `${CSYMBOL}time`;
export const CSYMBOL_AVOGADRO = `${CSYMBOL}avogadro`;
export const CSYMBOL_DELAY = `${CSYMBOL}delay`;
export const CSYMBOL_RATE_OF = `${CSYMBOL}rateOf`;

/** A function definition ready for inlining: arguments renamed to `#0`, `#1`, …. */
export interface LambdaDef {
  readonly id: string;
  readonly arity: number;
  readonly body: Expr;
}

export interface MathContext {
  /** Resolves a `<ci>` name (throws {@link InputError} for an undefined id). */
  ci(name: string, el: XmlElement): Expr;
  /** Function definitions by id (a `Map`, so ids such as `__proto__` are safe). */
  readonly functions: { get(id: string): LambdaDef | undefined };
  readonly file?: string;
  /** The SBML element whose math this is, for messages (`reaction R1`, `event E2`). */
  readonly where: string;
}

const UNARY: ReadonlyMap<string, Op> = new Map<string, Op>([
  ['abs', 'abs'], ['exp', 'exp'], ['ln', 'ln'], ['floor', 'floor'], ['ceiling', 'ceil'], ['factorial', 'factorial'],
  ['sin', 'sin'], ['cos', 'cos'], ['tan', 'tan'], ['sec', 'sec'], ['csc', 'csc'], ['cot', 'cot'],
  ['sinh', 'sinh'], ['cosh', 'cosh'], ['tanh', 'tanh'], ['sech', 'sech'], ['csch', 'csch'], ['coth', 'coth'],
  ['arcsin', 'asin'], ['arccos', 'acos'], ['arctan', 'atan'], ['arcsec', 'asec'], ['arccsc', 'acsc'], ['arccot', 'acot'],
  ['arcsinh', 'asinh'], ['arccosh', 'acosh'], ['arctanh', 'atanh'], ['arcsech', 'asech'], ['arccsch', 'acsch'], ['arccoth', 'acoth'],
  ['not', 'not'],
]);
const NARY: ReadonlyMap<string, { op: Op; empty?: number; min?: number }> = new Map([
  ['plus', { op: 'add' as Op, empty: 0 }], ['times', { op: 'mul' as Op, empty: 1 }],
  ['and', { op: 'and' as Op, empty: 1 }], ['or', { op: 'or' as Op, empty: 0 }], ['xor', { op: 'xor' as Op, empty: 0 }],
  ['max', { op: 'max' as Op, min: 1 }], ['min', { op: 'min' as Op, min: 1 }],
]);
const RELATIONAL: ReadonlyMap<string, Op> = new Map<string, Op>([
  ['eq', 'eq'], ['gt', 'gt'], ['lt', 'lt'], ['geq', 'ge'], ['leq', 'le'],
]);
const BINARY: ReadonlyMap<string, Op> = new Map<string, Op>([
  ['divide', 'div'], ['power', 'pow'], ['quotient', 'quotient'], ['rem', 'rem'], ['implies', 'implies'], ['neq', 'neq'],
]);
const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['true', 1], ['false', 0], ['pi', Math.PI], ['exponentiale', Math.E], ['infinity', Infinity], ['notanumber', NaN],
]);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A MathML number token: decimal syntax or INF/-INF/NaN (case-insensitive); undefined otherwise. */
export function parseMathNumber(s: string): number | undefined {
  const t = s.trim();
  if (DECIMAL.test(t)) return Number(t);
  const u = t.toUpperCase();
  if (u === 'INF' || u === '+INF' || u === 'INFINITY') return Infinity;
  if (u === '-INF' || u === '-INFINITY') return -Infinity;
  if (u === 'NAN') return NaN;
  return undefined;
}

/** The content of a `<math>` element (its single child), or undefined when it is empty. */
export function mathChild(math: XmlElement | undefined): XmlElement | undefined {
  if (!math) return undefined;
  return math.children.find((c) => c.local !== 'annotation' && c.local !== 'annotation-xml');
}

/** Reads one MathML content element. */
export function readMath(el: XmlElement, ctx: MathContext): Expr {
  const fail = (msg: string, at: XmlElement = el): never => {
    throw new InputError(`${msg} in the math of ${ctx.where}`, ctx.file, ctx.where, at.line || undefined);
  };
  const tag = el.local;
  switch (tag) {
    case 'math':
    case 'semantics': {
      const c = mathChild(el);
      if (!c) return fail(`empty <${tag}>`);
      return readMath(c, ctx);
    }
    case 'cn':
      return num(readCn(el, fail));
    case 'ci': {
      const name = el.text;
      if (!name) return fail('empty <ci>');
      return ctx.ci(name, el);
    }
    case 'csymbol': {
      const url = (el.attrs.get('definitionURL') ?? '').trim();
      if (url === CSYMBOL_TIME) return sym(TIME);
      if (url === CSYMBOL_AVOGADRO) return num(AVOGADRO);
      if (url === CSYMBOL_DELAY || url === CSYMBOL_RATE_OF) return fail(`csymbol ${url} must be applied to arguments`);
      return fail(`unsupported csymbol definitionURL ${JSON.stringify(url)}`);
    }
    case 'apply':
      return readApply(el, ctx, fail);
    case 'piecewise': {
      const args: Expr[] = [];
      let otherwise: Expr | undefined;
      for (const c of el.children) {
        if (c.local === 'piece') {
          if (c.children.length !== 2) fail('<piece> needs a value and a condition', c);
          args.push(readMath(c.children[0], ctx), readMath(c.children[1], ctx));
        } else if (c.local === 'otherwise') {
          if (c.children.length !== 1) fail('<otherwise> needs exactly one value', c);
          otherwise = readMath(c.children[0], ctx);
        } else fail(`unexpected <${c.name}> inside <piecewise>`, c);
      }
      if (otherwise) args.push(otherwise);
      if (args.length === 0) return num(NaN);
      return op('piecewise', ...args);
    }
    case 'lambda':
      return fail('<lambda> is only allowed in a function definition');
    default: {
      const c = CONSTANTS.get(tag);
      if (c !== undefined) return num(c);
      return fail(`unsupported MathML element <${el.name}>`);
    }
  }
}

function readCn(el: XmlElement, fail: (m: string, at?: XmlElement) => never): number {
  const type = (el.attrs.get('type') ?? 'real').trim();
  const hasSep = el.children.some((c) => c.local === 'sep');
  const parts = el.text.split(/\s+/).filter((s) => s.length > 0);
  const one = (s: string | undefined): number => {
    const v = s === undefined ? undefined : parseMathNumber(s);
    if (v === undefined) return fail(`<cn type="${type}"> holds ${JSON.stringify(el.text)}, which is not a number`);
    return v;
  };
  switch (type) {
    case 'integer': {
      if (hasSep || parts.length !== 1) return fail(`<cn type="integer"> holds ${JSON.stringify(el.text)}`);
      const base = el.attrs.has('base') ? Number(el.attrs.get('base')) : 10;
      if (base === 10) {
        if (!/^[+-]?\d+$/.test(parts[0])) return fail(`<cn type="integer"> holds ${JSON.stringify(el.text)}, which is not an integer`);
        return Number(parts[0]);
      }
      if (!Number.isInteger(base) || base < 2 || base > 36) return fail(`<cn> has an unsupported base ${JSON.stringify(el.attrs.get('base'))}`);
      const v = parseInt(parts[0], base);
      if (Number.isNaN(v)) return fail(`<cn type="integer" base="${base}"> holds ${JSON.stringify(el.text)}`);
      return v;
    }
    case 'real':
    case 'double':
      if (hasSep || parts.length !== 1) return fail(`<cn type="${type}"> holds ${JSON.stringify(el.text)}`);
      return one(parts[0]);
    case 'e-notation': {
      if (!hasSep || parts.length !== 2) return fail(`<cn type="e-notation"> needs mantissa <sep/> exponent, got ${JSON.stringify(el.text)}`);
      one(parts[0]);
      one(parts[1]);
      // Reading "a e b" as one literal rounds once, exactly like the decimal it stands for.
      const v = Number(`${parts[0]}e${parts[1]}`);
      return Number.isNaN(v) ? one(parts[0]) * Math.pow(10, one(parts[1])) : v;
    }
    case 'rational': {
      if (!hasSep || parts.length !== 2) return fail(`<cn type="rational"> needs numerator <sep/> denominator, got ${JSON.stringify(el.text)}`);
      return one(parts[0]) / one(parts[1]);
    }
    default:
      return fail(`unsupported <cn type="${type}">`);
  }
}

function readApply(el: XmlElement, ctx: MathContext, fail: (m: string, at?: XmlElement) => never): Expr {
  if (el.children.length === 0) return fail('empty <apply>');
  const head = el.children[0];
  const rest = el.children.slice(1);
  const qualifier = (name: string): XmlElement | undefined => rest.find((c) => c.local === name);
  const operands = rest.filter((c) => c.local !== 'degree' && c.local !== 'logbase' && c.local !== 'bvar');
  const args = (): Expr[] => operands.map((c) => readMath(c, ctx));
  const need = (n: number, what: string): void => {
    if (operands.length !== n) fail(`<${what}> takes ${n} argument${n === 1 ? '' : 's'}, got ${operands.length}`);
  };
  const h = head.local;
  if (h === 'ci') {
    const name = head.text;
    const f = ctx.functions.get(name);
    if (!f) return fail(`call of '${name}', which is not a function definition`, head);
    if (operands.length !== f.arity) return fail(`function '${name}' takes ${f.arity} argument(s), got ${operands.length}`, head);
    const a = args();
    const map = new Map<string, Expr>();
    a.forEach((x, i) => map.set(`#${i}`, x));
    return substitute(f.body, map);
  }
  if (h === 'csymbol') {
    const url = (head.attrs.get('definitionURL') ?? '').trim();
    if (url === CSYMBOL_DELAY) {
      need(2, 'csymbol delay');
      const [x, tau] = args();
      return op('delay', x, tau);
    }
    if (url === CSYMBOL_RATE_OF) {
      need(1, 'csymbol rateOf');
      const [x] = args();
      if (x.kind !== 'sym') return fail('rateOf must be applied to a single identifier');
      return op('rateOf', x);
    }
    return fail(`unsupported csymbol function ${JSON.stringify(url)}`, head);
  }
  const u = UNARY.get(h);
  if (u) {
    need(1, h);
    return op(u, ...args());
  }
  const nary = NARY.get(h);
  if (nary) {
    const a = args();
    if (a.length === 0) {
      if (nary.empty === undefined) return fail(`<${h}> needs at least one argument`);
      return num(nary.empty);
    }
    if (a.length === 1 && (nary.op === 'add' || nary.op === 'mul' || nary.op === 'max' || nary.op === 'min')) return a[0];
    return op(nary.op, ...a);
  }
  const rel = RELATIONAL.get(h);
  if (rel) {
    const a = args();
    if (a.length < 2) return num(1);
    return op(rel, ...a);
  }
  const bin = BINARY.get(h);
  if (bin) {
    need(2, h);
    return op(bin, ...args());
  }
  switch (h) {
    case 'minus': {
      const a = args();
      if (a.length === 1) return op('neg', a[0]);
      if (a.length === 2) return op('sub', a[0], a[1]);
      return fail(`<minus> takes 1 or 2 arguments, got ${a.length}`);
    }
    case 'root': {
      need(1, 'root');
      const d = qualifier('degree');
      const x = args()[0];
      if (!d) return op('sqrt', x);
      if (d.children.length !== 1) return fail('<degree> needs exactly one child', d);
      return op('root', readMath(d.children[0], ctx), x);
    }
    case 'log': {
      need(1, 'log');
      const b = qualifier('logbase');
      const x = args()[0];
      if (!b) return op('log10', x);
      if (b.children.length !== 1) return fail('<logbase> needs exactly one child', b);
      return op('logb', readMath(b.children[0], ctx), x);
    }
    default:
      return fail(`unsupported MathML operator <${head.name}>`, head);
  }
}

/**
 * Reads a `<functionDefinition>`'s `<math><lambda>`: the body with its bound variables renamed
 * to `#0`, `#1`, … (names no SBML id can take), and calls of earlier functions inlined.
 */
export function readLambda(id: string, math: XmlElement, functions: MathContext['functions'], file: string | undefined, line: number): LambdaDef {
  const where = `function definition ${id}`;
  let lambda = mathChild(math);
  if (lambda?.local === 'semantics') lambda = mathChild(lambda);
  if (!lambda || lambda.local !== 'lambda') throw new InputError(`${where} has no <lambda>`, file, id, line || undefined);
  const bvars: string[] = [];
  let body: XmlElement | undefined;
  for (const c of lambda.children) {
    if (c.local === 'bvar') {
      const ci = c.children.find((x) => x.local === 'ci');
      if (!ci || !ci.text) throw new InputError(`${where}: <bvar> without <ci>`, file, id, c.line || undefined);
      if (bvars.includes(ci.text)) throw new InputError(`${where}: argument '${ci.text}' is declared twice`, file, id, c.line || undefined);
      bvars.push(ci.text);
    } else if (body === undefined) body = c;
    else throw new InputError(`${where}: <lambda> has more than one body`, file, id, c.line || undefined);
  }
  if (!body) throw new InputError(`${where}: <lambda> has no body`, file, id, lambda.line || undefined);
  const ctx: MathContext = {
    file, where, functions,
    ci: (name, el) => {
      const k = bvars.indexOf(name);
      if (k < 0) throw new InputError(`${where} uses '${name}', which is not one of its arguments`, file, id, el.line || undefined);
      return sym(`#${k}`);
    },
  };
  return { id, arity: bvars.length, body: readMath(body, ctx) };
}
