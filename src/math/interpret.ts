/**
 * The reference semantics of every operator in {@link OPS}: {@link applyOp} on numbers,
 * {@link evaluate} on trees (the oracle that generated code is tested against) and
 * {@link emitJs}, which writes the same semantics as a JavaScript expression.
 *
 * Semantics (all values are IEEE doubles):
 * - Truth: a number is true when JavaScript's `Boolean(x)` is, i.e. it is neither `0`, `-0`
 *   nor `NaN`. Relational and logical operators return exactly `1` or `0`. Treating `NaN` as
 *   false is what a JavaScript `?:` does, so generated code needs no extra comparison.
 * - `add()`=0, `mul()`=1, `add(a)`=`mul(a)`=a (no `0+a`, which would turn -0 into +0);
 *   longer sums and products fold left to right, exactly like `a + b + c` in JavaScript.
 * - `pow(a, b)` is `Math.pow` (so `pow(-8, 1/3)` is NaN and `pow(1, NaN)` is NaN).
 * - `ln` is the natural log, `logb(b, x)` = ln(x)/ln(b), `root(n, x)` = x^(1/n) except that an
 *   odd integer `n` and negative `x` give the real root -((-x)^(1/n)).
 * - `factorial(n)`: n! for integers n ≥ 0 (Infinity beyond 170), NaN otherwise.
 * - `sec`=1/cos, `csc`=1/sin, `cot`=1/tan, `asec(x)`=acos(1/x), `acsc(x)`=asin(1/x),
 *   `acot(x)`=atan(1/x); the hyperbolic families likewise (`asech(x)`=acosh(1/x), …).
 * - `quotient(a, b)` = trunc(a/b); `rem(a, b)` is JavaScript's `%` (the exactly rounded
 *   a - b·trunc(a/b), sign of the dividend; NaN for b = 0).
 * - `lt(a, b, c)` etc. are chains: true when every adjacent pair satisfies the relation.
 *   `eq` is `===`, `neq` is `!==` (so `neq(NaN, NaN)` = 1).
 * - `and()`=1, `or()`=0, `xor` is true when an odd number of arguments is true,
 *   `implies(a, b)` = not a or b.
 * - `piecewise(v1, c1, v2, c2, …, otherwise?)`: the value of the first true condition, else
 *   `otherwise`, else NaN. Only the selected branch is evaluated.
 * - `delay` and `rateOf` depend on the simulation history, not on the current values, so they
 *   have no pointwise value: evaluating or emitting them throws {@link EvaluationError}.
 */
import type { Expr, Op } from './ast.js';
import { checkArity } from './arity.js';

/** Raised when an expression cannot be evaluated or emitted (history-dependent op, missing value). */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}

const truthy = (x: number): boolean => Boolean(x);
const bit = (b: boolean): number => (b ? 1 : 0);

function rootOf(n: number, x: number): number {
  return x < 0 && Number.isInteger(n) && n % 2 !== 0 ? -Math.pow(-x, 1 / n) : Math.pow(x, 1 / n);
}

function factorialOf(n: number): number {
  if (!Number.isInteger(n) || n < 0) return NaN;
  if (n > 170) return Infinity;
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

function chain(a: readonly number[], rel: (x: number, y: number) => boolean): number {
  for (let i = 1; i < a.length; i++) if (!rel(a[i - 1], a[i])) return 0;
  return 1;
}

function piecewiseOf(a: readonly number[]): number {
  const pairs = Math.floor(a.length / 2);
  for (let i = 0; i < pairs; i++) if (truthy(a[2 * i + 1])) return a[2 * i];
  return a.length % 2 === 1 ? a[a.length - 1] : NaN;
}

/**
 * Apply operator `o` to already evaluated arguments (see the module comment for the exact
 * semantics). Used by {@link evaluate} and by constant folding, so the two always agree.
 * @throws ArityError for a wrong argument count; EvaluationError for `delay`/`rateOf`.
 */
export function applyOp(o: Op, a: readonly number[]): number {
  checkArity(o, a.length);
  switch (o) {
    case 'add': {
      if (a.length === 0) return 0;
      let s = a[0];
      for (let i = 1; i < a.length; i++) s += a[i];
      return s;
    }
    case 'mul': {
      if (a.length === 0) return 1;
      let p = a[0];
      for (let i = 1; i < a.length; i++) p *= a[i];
      return p;
    }
    case 'sub': return a[0] - a[1];
    case 'div': return a[0] / a[1];
    case 'neg': return -a[0];
    case 'pow': return Math.pow(a[0], a[1]);
    case 'exp': return Math.exp(a[0]);
    case 'ln': return Math.log(a[0]);
    case 'log10': return Math.log10(a[0]);
    case 'logb': return Math.log(a[1]) / Math.log(a[0]);
    case 'sqrt': return Math.sqrt(a[0]);
    case 'root': return rootOf(a[0], a[1]);
    case 'abs': return Math.abs(a[0]);
    case 'floor': return Math.floor(a[0]);
    case 'ceil': return Math.ceil(a[0]);
    case 'factorial': return factorialOf(a[0]);
    case 'sin': return Math.sin(a[0]);
    case 'cos': return Math.cos(a[0]);
    case 'tan': return Math.tan(a[0]);
    case 'sec': return 1 / Math.cos(a[0]);
    case 'csc': return 1 / Math.sin(a[0]);
    case 'cot': return 1 / Math.tan(a[0]);
    case 'asin': return Math.asin(a[0]);
    case 'acos': return Math.acos(a[0]);
    case 'atan': return Math.atan(a[0]);
    case 'asec': return Math.acos(1 / a[0]);
    case 'acsc': return Math.asin(1 / a[0]);
    case 'acot': return Math.atan(1 / a[0]);
    case 'sinh': return Math.sinh(a[0]);
    case 'cosh': return Math.cosh(a[0]);
    case 'tanh': return Math.tanh(a[0]);
    case 'sech': return 1 / Math.cosh(a[0]);
    case 'csch': return 1 / Math.sinh(a[0]);
    case 'coth': return 1 / Math.tanh(a[0]);
    case 'asinh': return Math.asinh(a[0]);
    case 'acosh': return Math.acosh(a[0]);
    case 'atanh': return Math.atanh(a[0]);
    case 'asech': return Math.acosh(1 / a[0]);
    case 'acsch': return Math.asinh(1 / a[0]);
    case 'acoth': return Math.atanh(1 / a[0]);
    case 'min': return Math.min(...a);
    case 'max': return Math.max(...a);
    case 'quotient': return Math.trunc(a[0] / a[1]);
    case 'rem': return a[0] % a[1];
    case 'lt': return chain(a, (x, y) => x < y);
    case 'le': return chain(a, (x, y) => x <= y);
    case 'gt': return chain(a, (x, y) => x > y);
    case 'ge': return chain(a, (x, y) => x >= y);
    case 'eq': return chain(a, (x, y) => x === y);
    case 'neq': return bit(a[0] !== a[1]);
    case 'and': return bit(a.every(truthy));
    case 'or': return bit(a.some(truthy));
    case 'xor': return a.filter(truthy).length % 2;
    case 'not': return bit(!truthy(a[0]));
    case 'implies': return bit(!truthy(a[0]) || truthy(a[1]));
    case 'piecewise': return piecewiseOf(a);
    case 'delay':
    case 'rateOf':
      throw new EvaluationError(`'${o}' depends on the simulation history and has no pointwise value`);
  }
}

/**
 * Evaluate `e` with symbol values from `env` (the reference interpreter).
 * `env` is called for every `sym`, including `time`; it must return a number.
 * @throws EvaluationError when `env` returns a non-number and for `delay`/`rateOf`; ArityError
 *   for a malformed node.
 */
export function evaluate(e: Expr, env: (name: string) => number): number {
  switch (e.kind) {
    case 'num':
      return e.value;
    case 'sym': {
      const v = env(e.name);
      if (typeof v !== 'number') throw new EvaluationError(`no numeric value for symbol '${e.name}'`);
      return v;
    }
    case 'op': {
      if (e.op === 'piecewise') {
        checkArity('piecewise', e.args.length);
        const n = e.args.length;
        for (let i = 0; i + 1 < n; i += 2) {
          if (truthy(evaluate(e.args[i + 1], env))) return evaluate(e.args[i], env);
        }
        return n % 2 === 1 ? evaluate(e.args[n - 1], env) : NaN;
      }
      const vals = new Array<number>(e.args.length);
      for (let i = 0; i < e.args.length; i++) vals[i] = evaluate(e.args[i], env);
      return applyOp(e.op, vals);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JavaScript emission

/**
 * JavaScript source that declares the helper functions {@link emitJs} may call. Put it once in
 * front of generated code (it only declares functions; it has no side effects). Each helper
 * mirrors {@link applyOp} exactly.
 */
export const JS_RUNTIME_PRELUDE = [
  'function __ltcc_root(n, x) { return (x < 0 && Number.isInteger(n) && n % 2 !== 0) ? -Math.pow(-x, 1 / n) : Math.pow(x, 1 / n); }',
  'function __ltcc_factorial(n) { if (!Number.isInteger(n) || n < 0) return NaN; if (n > 170) return Infinity; let r = 1; for (let i = 2; i <= n; i++) r *= i; return r; }',
  'function __ltcc_lt(...a) { for (let i = 1; i < a.length; i++) if (!(a[i - 1] < a[i])) return 0; return 1; }',
  'function __ltcc_le(...a) { for (let i = 1; i < a.length; i++) if (!(a[i - 1] <= a[i])) return 0; return 1; }',
  'function __ltcc_gt(...a) { for (let i = 1; i < a.length; i++) if (!(a[i - 1] > a[i])) return 0; return 1; }',
  'function __ltcc_ge(...a) { for (let i = 1; i < a.length; i++) if (!(a[i - 1] >= a[i])) return 0; return 1; }',
  'function __ltcc_eq(...a) { for (let i = 1; i < a.length; i++) if (!(a[i - 1] === a[i])) return 0; return 1; }',
  '',
].join('\n');

/** A JavaScript numeric literal for `v`, parenthesised when it starts with a minus sign. */
export function jsNumberLiteral(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  // String() of a finite double is always a valid literal that reads back to the same double.
  return v < 0 ? `(${String(v)})` : String(v);
}

const MATH_UNARY: Partial<Record<Op, string>> = {
  exp: 'Math.exp', ln: 'Math.log', log10: 'Math.log10', sqrt: 'Math.sqrt', abs: 'Math.abs',
  floor: 'Math.floor', ceil: 'Math.ceil',
  sin: 'Math.sin', cos: 'Math.cos', tan: 'Math.tan', asin: 'Math.asin', acos: 'Math.acos', atan: 'Math.atan',
  sinh: 'Math.sinh', cosh: 'Math.cosh', tanh: 'Math.tanh',
  asinh: 'Math.asinh', acosh: 'Math.acosh', atanh: 'Math.atanh',
};
/** f(x) = 1 / g(x) */
const RECIPROCAL_OF: Partial<Record<Op, string>> = {
  sec: 'Math.cos', csc: 'Math.sin', cot: 'Math.tan', sech: 'Math.cosh', csch: 'Math.sinh', coth: 'Math.tanh',
};
/** f(x) = g(1 / x) */
const OF_RECIPROCAL: Partial<Record<Op, string>> = {
  asec: 'Math.acos', acsc: 'Math.asin', acot: 'Math.atan', asech: 'Math.acosh', acsch: 'Math.asinh', acoth: 'Math.atanh',
};
const REL_INFIX: Partial<Record<Op, string>> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '===', neq: '!==' };

const SIMPLE_ACCESS = /^[A-Za-z_$][\w$]*(\[\d+\])?$/;

/**
 * A JavaScript expression computing `e` with the semantics of {@link evaluate}.
 *
 * Safety: no text from the tree reaches the output except through `resolve` (symbol names)
 * and {@link jsNumberLiteral} (numbers); operators map to fixed `Math.*` calls, fixed
 * operators and the helpers of {@link JS_RUNTIME_PRELUDE}. `resolve(name)` must return a
 * trusted JavaScript expression (the compiler passes array accesses such as `y[3]`); anything
 * other than a plain name or `name[index]` is parenthesised.
 * @throws EvaluationError for `delay` and `rateOf`; ArityError for a malformed node.
 */
export function emitJs(e: Expr, resolve: (name: string) => string): string {
  const go = (x: Expr): string => {
    switch (x.kind) {
      case 'num':
        return jsNumberLiteral(x.value);
      case 'sym': {
        const r = resolve(x.name);
        return SIMPLE_ACCESS.test(r) ? r : `(${r})`;
      }
      case 'op':
        return emitOp(x.op, x.args, go);
    }
  };
  return go(e);
}

function emitOp(o: Op, args: readonly Expr[], go: (x: Expr) => string): string {
  checkArity(o, args.length);
  const a = args.map(go);
  const m = MATH_UNARY[o];
  if (m !== undefined) return `${m}(${a[0]})`;
  const r = RECIPROCAL_OF[o];
  if (r !== undefined) return `(1 / ${r}(${a[0]}))`;
  const rr = OF_RECIPROCAL[o];
  if (rr !== undefined) return `${rr}(1 / ${a[0]})`;
  const rel = REL_INFIX[o];
  if (rel !== undefined) {
    if (a.length === 2) return `(${a[0]} ${rel} ${a[1]} ? 1 : 0)`;
    // Longer chains go through a helper so that no argument text is duplicated.
    return `__ltcc_${o}(${a.join(', ')})`;
  }
  switch (o) {
    case 'add': return a.length === 0 ? '0' : a.length === 1 ? a[0] : `(${a.join(' + ')})`;
    case 'mul': return a.length === 0 ? '1' : a.length === 1 ? a[0] : `(${a.join(' * ')})`;
    case 'sub': return `(${a[0]} - ${a[1]})`;
    case 'div': return `(${a[0]} / ${a[1]})`;
    case 'neg': return `(-${a[0]})`;
    case 'pow': return `Math.pow(${a[0]}, ${a[1]})`;
    case 'logb': return `(Math.log(${a[1]}) / Math.log(${a[0]}))`;
    case 'root': return `__ltcc_root(${a[0]}, ${a[1]})`;
    case 'factorial': return `__ltcc_factorial(${a[0]})`;
    case 'min': return a.length === 1 ? a[0] : `Math.min(${a.join(', ')})`;
    case 'max': return a.length === 1 ? a[0] : `Math.max(${a.join(', ')})`;
    case 'quotient': return `Math.trunc(${a[0]} / ${a[1]})`;
    case 'rem': return `(${a[0]} % ${a[1]})`;
    case 'and': return a.length === 0 ? '1' : `(${a.join(' && ')} ? 1 : 0)`;
    case 'or': return a.length === 0 ? '0' : `(${a.join(' || ')} ? 1 : 0)`;
    case 'xor': return a.length === 0 ? '0' : `(${a.map((s) => `(${s} ? 1 : 0)`).join(' ^ ')})`;
    case 'not': return `(${a[0]} ? 0 : 1)`;
    case 'implies': return `(${a[0]} ? (${a[1]} ? 1 : 0) : 1)`;
    case 'piecewise': {
      const n = a.length;
      let out = n % 2 === 1 ? a[n - 1] : 'NaN';
      for (let i = Math.floor(n / 2) - 1; i >= 0; i--) out = `(${a[2 * i + 1]} ? ${a[2 * i]} : ${out})`;
      return out;
    }
    case 'delay':
    case 'rateOf':
      throw new EvaluationError(`'${o}' depends on the simulation history and cannot be emitted as a pointwise expression`);
    default:
      // Every remaining op was handled by a table above; reaching here means the tables and
      // OPS disagree, which is a programming error worth a loud failure.
      throw new EvaluationError(`no JavaScript emission rule for '${o}'`);
  }
}
