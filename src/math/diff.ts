/**
 * Symbolic differentiation of {@link Expr} trees (for analytic Jacobians and sensitivities).
 *
 * Conventions where the derivative is not classical:
 * - `abs(u)'` = `u'` for u > 0, `-u'` for u < 0 and 0 at u = 0;
 * - `min`/`max`: the derivative of the argument that is selected (the first one on ties);
 * - `piecewise`: each value branch is differentiated, the conditions are kept;
 * - `floor`, `ceil`, `quotient`, `factorial` (integer-valued in ltcc's semantics), relational and
 *   logical operators are piecewise constant: derivative 0;
 * - `rem(a, b)' = a' - b'·quotient(a, b)` (the quotient is locally constant);
 * - `delay` and `rateOf` have no pointwise derivative: a {@link DifferentiationError} is thrown
 *   when the variable occurs inside them.
 */
import { num, op, type Expr, type Op } from './ast.js';
import { checkArity } from './arity.js';
import { simplify } from './simplify.js';

/** Raised when an expression has no symbolic derivative with respect to the requested variable. */
export class DifferentiationError extends Error {
  override readonly name = 'DifferentiationError';
}

const ZERO = num(0);
const ONE = num(1);
const TWO = num(2);

const sq = (u: Expr): Expr => op('pow', u, TWO);
const mul = (...a: Expr[]): Expr => op('mul', ...a);
const div = (a: Expr, b: Expr): Expr => op('div', a, b);
const neg = (a: Expr): Expr => op('neg', a);
const recip = (u: Expr): Expr => div(ONE, u);

/**
 * d(e)/d(x), simplified with {@link simplify}. `x` is a symbol name (`time` is allowed).
 * @throws DifferentiationError when `x` occurs inside `delay` or `rateOf`.
 */
export function diff(e: Expr, x: string): Expr {
  const depends = new Map<Expr, boolean>();
  const dep = (t: Expr): boolean => {
    if (t.kind === 'num') return false;
    if (t.kind === 'sym') return t.name === x;
    let r = depends.get(t);
    if (r === undefined) {
      r = t.args.some(dep);
      depends.set(t, r);
    }
    return r;
  };
  const memo = new Map<Expr, Expr>();
  const d = (t: Expr): Expr => {
    if (!dep(t)) return ZERO;
    if (t.kind === 'sym') return ONE;
    if (t.kind === 'num') return ZERO;
    let r = memo.get(t);
    if (r === undefined) {
      checkArity(t.op, t.args.length);
      r = derivative(t.op, t.args, d, dep, x);
      memo.set(t, r);
    }
    return r;
  };
  return simplify(d(e));
}

type D = (t: Expr) => Expr;

/** The derivative of `o(args)` given the derivative `d` and dependence test `dep` of the arguments. */
function derivative(o: Op, args: readonly Expr[], d: D, dep: (t: Expr) => boolean, x: string): Expr {
  const u = args[0];
  // Chain rule for one-argument functions: f'(u) * u'.
  const chain = (fprime: Expr): Expr => mul(fprime, d(u));
  switch (o) {
    case 'add':
      return op('add', ...args.filter(dep).map(d));
    case 'sub':
      return op('sub', d(args[0]), d(args[1]));
    case 'neg':
      return neg(d(u));
    case 'mul': {
      const terms: Expr[] = [];
      args.forEach((a, i) => {
        if (!dep(a)) return;
        terms.push(mul(...args.slice(0, i), d(a), ...args.slice(i + 1)));
      });
      return op('add', ...terms);
    }
    case 'div': {
      const [a, b] = args;
      if (!dep(b)) return div(d(a), b);
      // (a/b)' = a'/b - a b'/b^2
      return op('sub', div(d(a), b), div(mul(a, d(b)), sq(b)));
    }
    case 'pow': {
      const [b, p] = args;
      if (!dep(p)) {
        // n b^(n-1) b'
        const pm1 = p.kind === 'num' ? num(p.value - 1) : op('sub', p, ONE);
        return mul(p, op('pow', b, pm1), d(b));
      }
      if (!dep(b)) {
        // 0^u is constant (0) wherever it is defined, but b^u·ln(b)·u' would give 0·(-∞) = NaN.
        const sb = simplify(b);
        if (sb.kind === 'num' && sb.value === 0) return ZERO;
        return mul(op('pow', b, p), op('ln', b), d(p));
      }
      // (b^p)' = b^p (p' ln b + p b'/b)
      return mul(op('pow', b, p), op('add', mul(d(p), op('ln', b)), div(mul(p, d(b)), b)));
    }
    case 'exp':
      return chain(op('exp', u));
    case 'ln':
      return div(d(u), u);
    case 'log10':
      return div(d(u), mul(u, op('ln', num(10))));
    case 'logb': {
      // log_b(x) = ln x / ln b
      const [b, v] = args;
      return derivative('div', [op('ln', v), op('ln', b)], d, dep, x);
    }
    case 'sqrt':
      return div(d(u), mul(TWO, op('sqrt', u)));
    case 'root': {
      // root(n, v) = v^(1/n); written with root() itself so that odd roots of negatives keep
      // their real value: d/dv = root(n, v)/(n v), d/dn = -root(n, v) ln(v)/n^2.
      const [n, v] = args;
      const r = op('root', n, v);
      const dv = dep(v) ? div(mul(r, d(v)), mul(n, v)) : ZERO;
      const dn = dep(n) ? neg(div(mul(r, op('ln', v), d(n)), sq(n))) : ZERO;
      return op('add', dv, dn);
    }
    case 'abs':
      return op('piecewise', d(u), op('gt', u, ZERO), neg(d(u)), op('lt', u, ZERO), ZERO);
    case 'floor':
    case 'ceil':
    case 'factorial':
    case 'quotient':
    case 'lt': case 'le': case 'gt': case 'ge': case 'eq': case 'neq':
    case 'and': case 'or': case 'xor': case 'not': case 'implies':
      return ZERO;
    case 'rem':
      return op('sub', d(args[0]), mul(d(args[1]), op('quotient', args[0], args[1])));
    case 'sin':
      return chain(op('cos', u));
    case 'cos':
      return chain(neg(op('sin', u)));
    case 'tan':
      return div(d(u), sq(op('cos', u)));
    case 'sec':
      return chain(mul(op('sec', u), op('tan', u)));
    case 'csc':
      return chain(neg(mul(op('csc', u), op('cot', u))));
    case 'cot':
      return neg(div(d(u), sq(op('sin', u))));
    case 'asin':
      return div(d(u), op('sqrt', op('sub', ONE, sq(u))));
    case 'acos':
      return neg(div(d(u), op('sqrt', op('sub', ONE, sq(u)))));
    case 'atan':
      return div(d(u), op('add', ONE, sq(u)));
    // The inverse reciprocal functions are defined as f(1/u); differentiate that composition
    // so the result is right for negative u as well.
    case 'asec':
      return div(d(u), mul(sq(u), op('sqrt', op('sub', ONE, sq(recip(u))))));
    case 'acsc':
      return neg(div(d(u), mul(sq(u), op('sqrt', op('sub', ONE, sq(recip(u)))))));
    case 'acot':
      return neg(div(d(u), op('add', ONE, sq(u))));
    case 'sinh':
      return chain(op('cosh', u));
    case 'cosh':
      return chain(op('sinh', u));
    case 'tanh':
      return div(d(u), sq(op('cosh', u)));
    case 'sech':
      return chain(neg(mul(op('sech', u), op('tanh', u))));
    case 'csch':
      return chain(neg(mul(op('csch', u), op('coth', u))));
    case 'coth':
      return neg(div(d(u), sq(op('sinh', u))));
    case 'asinh':
      return div(d(u), op('sqrt', op('add', sq(u), ONE)));
    case 'acosh':
      return div(d(u), op('sqrt', op('sub', sq(u), ONE)));
    case 'atanh':
      return div(d(u), op('sub', ONE, sq(u)));
    case 'asech':
      return neg(div(d(u), mul(sq(u), op('sqrt', op('sub', sq(recip(u)), ONE)))));
    case 'acsch':
      return neg(div(d(u), mul(sq(u), op('sqrt', op('add', sq(recip(u)), ONE)))));
    case 'acoth':
      return div(d(u), op('sub', ONE, sq(u)));
    case 'min':
    case 'max': {
      if (args.length === 1) return d(u);
      // The derivative of the selected argument: the first one that is <= (>=) all others.
      const rel: Op = o === 'min' ? 'le' : 'ge';
      const parts: Expr[] = [];
      for (let i = 0; i < args.length - 1; i++) {
        const conds = args.filter((_, j) => j !== i).map((b) => op(rel, args[i], b));
        parts.push(d(args[i]), conds.length === 1 ? conds[0] : op('and', ...conds));
      }
      parts.push(d(args[args.length - 1]));
      return op('piecewise', ...parts);
    }
    case 'piecewise': {
      // Odd indices hold conditions; values and a trailing otherwise sit at even indices.
      const out = args.map((a, i) => (i % 2 === 1 ? a : d(a)));
      return op('piecewise', ...out);
    }
    case 'delay':
    case 'rateOf':
      throw new DifferentiationError(
        `cannot differentiate '${o}(...)' with respect to '${x}': it depends on the history of '${x}', not on its current value`,
      );
  }
}
