/**
 * Algebraic simplification used on formulas before code generation and on symbolic
 * derivatives. One bottom-up pass; each node does work proportional to its argument count,
 * and shared subtrees are simplified once.
 *
 * Rules:
 * - constant folding with {@link applyOp} (the interpreter's semantics), except that a result
 *   of NaN or ±Infinity is only produced when an input was already NaN or ±Infinity (so `1/0`
 *   stays visible as written instead of turning into a bare `Infinity`);
 * - `add`/`mul` are flattened, their numeric arguments combined into one constant
 *   (placed last in sums, first in products); `neg` arguments of a product move out as a sign;
 * - identities `x+0`, `x-0`, `0-x`=`-x`, `x*1`, `x*-1`=`-x`, `x/1`, `x/-1`=`-x`, `--x`,
 *   `x^1`, `x^0`=1;
 * - annihilators `x*0`=0 and `0/x`=0. These hold for finite x only (∞·0 and 0/0 are NaN), but
 *   they are what makes symbolic Jacobians sparse and short, and every computer-algebra system
 *   used for ODE Jacobians applies them. Likewise signed zeros are not preserved (`x+0` with
 *   x=-0 gives -0, not +0);
 * - `piecewise` branches with constant conditions are resolved or dropped, and a `piecewise`
 *   whose values (including `otherwise`) are all the same number becomes that number.
 *
 * The result evaluates to the same value as the input wherever the input is finite, up to
 * the rounding of reassociated numeric constants.
 */
import { num, op, type Expr, type Op } from './ast.js';
import { checkArity } from './arity.js';
import { applyOp } from './interpret.js';

/**
 * Flattening copies the arguments of nested sums/products; on a tree that shares subtrees
 * (x·x where x = y·y, …) the flat form could grow exponentially, so it stops at this many
 * arguments and keeps deeper nodes nested.
 */
const MAX_FLAT_ARGS = 256;

const isNum = (e: Expr, v?: number): e is { kind: 'num'; value: number } =>
  e.kind === 'num' && (v === undefined || e.value === v);

/** Simplify `e` (see the module comment for the rules). Never changes `e`; returns a new tree. */
export function simplify(e: Expr): Expr {
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    if (x.kind !== 'op') return x;
    const hit = memo.get(x);
    if (hit !== undefined) return hit;
    checkArity(x.op, x.args.length);
    const r = simplifyOp(x.op, x.args.map(go));
    memo.set(x, r);
    return r;
  };
  return go(e);
}

/** Fold when every argument is a number and the result is allowed (see module comment). */
function tryFold(o: Op, args: readonly Expr[]): Expr | undefined {
  if (o === 'delay' || o === 'rateOf') return undefined;
  const vals: number[] = [];
  for (const a of args) {
    if (a.kind !== 'num') return undefined;
    vals.push(a.value);
  }
  const v = applyOp(o, vals);
  if (Number.isFinite(v) || vals.some((x) => !Number.isFinite(x))) return num(v);
  return undefined;
}

function simplifyOp(o: Op, a: Expr[]): Expr {
  const folded = tryFold(o, a);
  if (folded !== undefined) return folded;
  switch (o) {
    case 'add':
      return simplifySum(a);
    case 'mul':
      return simplifyProduct(a);
    case 'sub':
      if (isNum(a[1], 0)) return a[0];
      if (isNum(a[0], 0)) return negate(a[1]);
      return op('sub', a[0], a[1]);
    case 'div':
      if (isNum(a[1], 1)) return a[0];
      if (isNum(a[1], -1)) return negate(a[0]);
      if (isNum(a[0], 0)) return num(0);
      return op('div', a[0], a[1]);
    case 'neg':
      return negate(a[0]);
    case 'pow':
      if (isNum(a[1], 1)) return a[0];
      if (isNum(a[1], 0)) return num(1);
      return op('pow', a[0], a[1]);
    case 'piecewise':
      return simplifyPiecewise(a);
    default:
      return op(o, ...a);
  }
}

/** -x with the sign pushed into numbers, double negations and constant factors. */
function negate(x: Expr): Expr {
  if (x.kind === 'num') return num(-x.value);
  if (x.kind === 'op' && x.op === 'neg') return x.args[0];
  if (x.kind === 'op' && x.op === 'mul' && x.args.length >= 2 && x.args[0].kind === 'num') {
    const c = -x.args[0].value;
    const rest = x.args.slice(1);
    return c === 1 ? (rest.length === 1 ? rest[0] : op('mul', ...rest)) : op('mul', num(c), ...rest);
  }
  return op('neg', x);
}

/** Combine numeric constants with `combine` unless that would manufacture a non-finite value. */
function combineConstants(consts: number[], identity: number, combine: (p: number, q: number) => number): number[] {
  if (consts.length <= 1) return consts;
  const c = consts.reduce(combine, identity);
  if (!Number.isFinite(c) && consts.every(Number.isFinite)) return consts;
  return [c];
}

function simplifySum(a: readonly Expr[]): Expr {
  const terms: Expr[] = [];
  const consts: number[] = [];
  const take = (x: Expr): void => {
    if (x.kind === 'num') consts.push(x.value);
    else if (x.kind === 'op' && x.op === 'add' && terms.length + consts.length + x.args.length <= MAX_FLAT_ARGS) x.args.forEach(take);
    else terms.push(x);
  };
  a.forEach(take);
  for (const c of combineConstants(consts, 0, (p, q) => p + q)) if (c !== 0) terms.push(num(c));
  if (terms.length === 0) return num(0);
  if (terms.length === 1) return terms[0];
  return op('add', ...terms);
}

function simplifyProduct(a: readonly Expr[]): Expr {
  const factors: Expr[] = [];
  const consts: number[] = [];
  let negative = false;
  const take = (x: Expr): void => {
    if (x.kind === 'num') consts.push(x.value);
    else if (x.kind === 'op' && x.op === 'mul' && factors.length + consts.length + x.args.length <= MAX_FLAT_ARGS) x.args.forEach(take);
    else if (x.kind === 'op' && x.op === 'neg') {
      negative = !negative;
      take(x.args[0]);
    } else factors.push(x);
  };
  a.forEach(take);
  let lead = combineConstants(consts, 1, (p, q) => p * q);
  if (negative) lead = lead.length === 0 ? [-1] : [-lead[0], ...lead.slice(1)];
  if (lead.length === 1 && lead[0] === 0 && factors.length > 0) return num(0);
  if (lead.length === 1 && lead[0] === 1) lead = [];
  if (lead.length === 1 && lead[0] === -1 && factors.length > 0) {
    return op('neg', factors.length === 1 ? factors[0] : op('mul', ...factors));
  }
  const all = [...lead.map(num), ...factors];
  if (all.length === 0) return num(1);
  if (all.length === 1) return all[0];
  return op('mul', ...all);
}

function simplifyPiecewise(a: readonly Expr[]): Expr {
  const out: Expr[] = [];
  const pairs = Math.floor(a.length / 2);
  let otherwise: Expr | undefined = a.length % 2 === 1 ? a[a.length - 1] : undefined;
  for (let i = 0; i < pairs; i++) {
    const v = a[2 * i];
    const c = a[2 * i + 1];
    if (c.kind === 'num') {
      if (c.value === 0 || Number.isNaN(c.value)) continue; // false: never selected
      // Always true: this value wins whenever no earlier condition does; later ones never do.
      otherwise = v;
      break;
    }
    out.push(v, c);
  }
  if (otherwise === undefined) {
    // No otherwise: the value is NaN when every condition is false; keep that visible.
    return out.length === 0 ? op('piecewise', ...a) : op('piecewise', ...out);
  }
  if (out.length === 0) return otherwise;
  // Every branch gives the same number (typical of derivatives of piecewise constants): the
  // conditions no longer matter, and a zero here keeps a Jacobian entry structurally zero.
  const same = otherwise;
  if (same.kind === 'num' && out.every((v, i) => i % 2 === 1 || (v.kind === 'num' && Object.is(v.value, same.value)))) {
    return same;
  }
  return op('piecewise', ...out, otherwise);
}
