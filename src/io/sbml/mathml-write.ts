/**
 * {@link Expr} → MathML (the SBML Level 3 Version 2 subset), the inverse of `readMath`:
 * reading the output back gives the same tree up to the MathML spellings (`log10(x)` is written
 * as `<log/>` without a base, `sqrt` as `<root/>` without a degree, and so on).
 */
import { type Expr, type Op, TIME } from '../../math/ast.js';
import { CSYMBOL_DELAY, CSYMBOL_RATE_OF, CSYMBOL_TIME } from './mathml.js';

const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

const ELEMENT: Partial<Record<Op, string>> = {
  add: 'plus', sub: 'minus', mul: 'times', div: 'divide', neg: 'minus', pow: 'power',
  exp: 'exp', ln: 'ln', abs: 'abs', floor: 'floor', ceil: 'ceiling', factorial: 'factorial',
  sin: 'sin', cos: 'cos', tan: 'tan', sec: 'sec', csc: 'csc', cot: 'cot',
  asin: 'arcsin', acos: 'arccos', atan: 'arctan', asec: 'arcsec', acsc: 'arccsc', acot: 'arccot',
  sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', sech: 'sech', csch: 'csch', coth: 'coth',
  asinh: 'arcsinh', acosh: 'arccosh', atanh: 'arctanh', asech: 'arcsech', acsch: 'arccsch', acoth: 'arccoth',
  min: 'min', max: 'max', quotient: 'quotient', rem: 'rem',
  lt: 'lt', le: 'leq', gt: 'gt', ge: 'geq', eq: 'eq', neq: 'neq',
  and: 'and', or: 'or', xor: 'xor', not: 'not', implies: 'implies',
};

const BOOLEAN_OPS = new Set<Op>(['lt', 'le', 'gt', 'ge', 'eq', 'neq', 'and', 'or', 'xor', 'not', 'implies']);

/** True when `e` is a boolean in MathML's typing (a relation or a logical operator, or such a piecewise). */
export function isBoolean(e: Expr): boolean {
  if (e.kind !== 'op') return false;
  if (BOOLEAN_OPS.has(e.op)) return true;
  if (e.op === 'piecewise') {
    const vals = e.args.filter((_, i) => i % 2 === 0 || i === e.args.length - 1);
    return vals.every(isBoolean);
  }
  return false;
}

/** A MathML `<cn>` (or constant element) for a number. */
export function numberToMathml(v: number): string {
  if (Number.isNaN(v)) return '<notanumber/>';
  if (v === Infinity) return '<infinity/>';
  if (v === -Infinity) return '<apply><minus/><infinity/></apply>';
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 31 && !Object.is(v, -0)) return `<cn type="integer"> ${v} </cn>`;
  // String(-0) is '0': keep the sign, which matters in e.g. 1/x.
  const s = Object.is(v, -0) ? '-0' : String(v);
  const e = s.indexOf('e');
  if (e >= 0) return `<cn type="e-notation"> ${s.slice(0, e)} <sep/> ${s.slice(e + 1).replace('+', '')} </cn>`;
  return `<cn> ${s} </cn>`;
}

/**
 * Writes `e` as MathML content (without the `<math>` wrapper). `id(name)` maps an IR name to
 * the SBML id written in `<ci>`; it must return a valid SId.
 */
export function exprToMathml(e: Expr, id: (name: string) => string): string {
  const go = (x: Expr): string => {
    switch (x.kind) {
      case 'num':
        return numberToMathml(x.value);
      case 'sym':
        return x.name === TIME ? `<csymbol encoding="text" definitionURL="${CSYMBOL_TIME}"> time </csymbol>` : `<ci> ${id(x.name)} </ci>`;
      case 'op':
        return writeOp(x.op, x.args, go);
    }
  };
  return go(e);
}

/**
 * A number used as a condition is written as |x| > 0: true for every number except ±0 and NaN,
 * which is ltcc's truth rule (a plain x ≠ 0 would make NaN true).
 */
const truthOf = (x: string): string => `<apply><gt/><apply><abs/>${x}</apply><cn type="integer"> 0 </cn></apply>`;

/** As {@link exprToMathml}, but a numeric expression becomes a boolean by ltcc's truth rule. */
export function booleanToMathml(e: Expr, id: (name: string) => string): string {
  return isBoolean(e) ? exprToMathml(e, id) : truthOf(exprToMathml(e, id));
}

function writeOp(o: Op, args: readonly Expr[], go: (x: Expr) => string): string {
  const a = args.map(go);
  const apply = (head: string, ...xs: string[]): string => `<apply>${head}${xs.join('')}</apply>`;
  switch (o) {
    case 'add':
      return a.length === 0 ? '<cn type="integer"> 0 </cn>' : a.length === 1 ? a[0] : apply('<plus/>', ...a);
    case 'mul':
      return a.length === 0 ? '<cn type="integer"> 1 </cn>' : a.length === 1 ? a[0] : apply('<times/>', ...a);
    case 'and':
      return a.length === 0 ? '<true/>' : apply('<and/>', ...args.map(asBool(go)));
    case 'or':
      return a.length === 0 ? '<false/>' : apply('<or/>', ...args.map(asBool(go)));
    case 'xor':
      return a.length === 0 ? '<false/>' : apply('<xor/>', ...args.map(asBool(go)));
    case 'not':
      return apply('<not/>', ...args.map(asBool(go)));
    case 'implies':
      return apply('<implies/>', ...args.map(asBool(go)));
    case 'log10':
      return apply('<log/>', a[0]);
    case 'logb':
      return apply('<log/>', `<logbase>${a[0]}</logbase>`, a[1]);
    case 'sqrt':
      return apply('<root/>', a[0]);
    case 'root':
      return apply('<root/>', `<degree>${a[0]}</degree>`, a[1]);
    case 'piecewise': {
      const n = args.length;
      const pieces: string[] = [];
      for (let i = 0; i + 1 < n; i += 2) pieces.push(`<piece>${a[i]}${asBool(go)(args[i + 1])}</piece>`);
      if (n % 2 === 1) pieces.push(`<otherwise>${a[n - 1]}</otherwise>`);
      return `<piecewise>${pieces.join('')}</piecewise>`;
    }
    case 'delay':
      return apply(`<csymbol encoding="text" definitionURL="${CSYMBOL_DELAY}"> delay </csymbol>`, ...a);
    case 'rateOf':
      return apply(`<csymbol encoding="text" definitionURL="${CSYMBOL_RATE_OF}"> rateOf </csymbol>`, ...a);
    default: {
      const el = ELEMENT[o];
      if (el === undefined) throw new Error(`no MathML element for operator '${o}'`);
      return apply(`<${el}/>`, ...a);
    }
  }
}

const asBool = (go: (x: Expr) => string) => (x: Expr): string => (isBoolean(x) ? go(x) : truthOf(go(x)));

/** A complete `<math>` element. */
export function mathElement(content: string): string {
  return `<math xmlns="${MATHML_NS}">${content}</math>`;
}
