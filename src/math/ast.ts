/**
 * Expression AST shared by every layer: the infix parser, the MathML reader, symbolic
 * differentiation, the interpreter and the code generator all speak this type.
 *
 * Three node kinds keep every transformation a small switch:
 * - `num`: a numeric literal (IEEE double; `Infinity`/`NaN` allowed),
 * - `sym`: a reference to a named quantity; the reserved name {@link TIME} is simulation time,
 * - `op`:  an operator or function applied to arguments (see {@link OPS}).
 */
export type Expr = NumExpr | SymExpr | OpExpr;

export interface NumExpr {
  readonly kind: 'num';
  readonly value: number;
}
export interface SymExpr {
  readonly kind: 'sym';
  readonly name: string;
}
export interface OpExpr {
  readonly kind: 'op';
  readonly op: Op;
  readonly args: readonly Expr[];
}

/** Reserved symbol for simulation time (SBML `csymbol time`, `t` in formulas is NOT reserved). */
export const TIME = 'time';

/**
 * Operators and functions. `arity` is the number of arguments (`-1` = variadic, at least
 * `minArgs`). Relational and logical operators return 1 (true) or 0 (false).
 * `piecewise(v1, c1, v2, c2, ..., otherwise?)` follows MathML: the first true condition wins.
 */
export const OPS = {
  // arithmetic
  add: { arity: -1, minArgs: 0 },
  sub: { arity: 2 },
  mul: { arity: -1, minArgs: 0 },
  div: { arity: 2 },
  neg: { arity: 1 },
  pow: { arity: 2 },
  // elementary functions
  exp: { arity: 1 },
  ln: { arity: 1 },
  log10: { arity: 1 },
  /** log(base, x) */
  logb: { arity: 2 },
  sqrt: { arity: 1 },
  /** root(degree, x) */
  root: { arity: 2 },
  abs: { arity: 1 },
  floor: { arity: 1 },
  ceil: { arity: 1 },
  factorial: { arity: 1 },
  sin: { arity: 1 }, cos: { arity: 1 }, tan: { arity: 1 },
  sec: { arity: 1 }, csc: { arity: 1 }, cot: { arity: 1 },
  asin: { arity: 1 }, acos: { arity: 1 }, atan: { arity: 1 },
  asec: { arity: 1 }, acsc: { arity: 1 }, acot: { arity: 1 },
  sinh: { arity: 1 }, cosh: { arity: 1 }, tanh: { arity: 1 },
  sech: { arity: 1 }, csch: { arity: 1 }, coth: { arity: 1 },
  asinh: { arity: 1 }, acosh: { arity: 1 }, atanh: { arity: 1 },
  asech: { arity: 1 }, acsch: { arity: 1 }, acoth: { arity: 1 },
  min: { arity: -1, minArgs: 1 },
  max: { arity: -1, minArgs: 1 },
  /** SBML L3V2 quotient: trunc(a/b) */
  quotient: { arity: 2 },
  /** SBML L3V2 rem: a - b*trunc(a/b) (sign of the dividend) */
  rem: { arity: 2 },
  // relational (variadic chains as in MathML: a < b < c)
  lt: { arity: -1, minArgs: 2 }, le: { arity: -1, minArgs: 2 },
  gt: { arity: -1, minArgs: 2 }, ge: { arity: -1, minArgs: 2 },
  eq: { arity: -1, minArgs: 2 }, neq: { arity: 2 },
  // logical
  and: { arity: -1, minArgs: 0 },
  or: { arity: -1, minArgs: 0 },
  xor: { arity: -1, minArgs: 0 },
  not: { arity: 1 },
  implies: { arity: 2 },
  piecewise: { arity: -1, minArgs: 1 },
  /** SBML delay(x, tau): value of x at time - tau. Only meaningful where the model layer supports it. */
  delay: { arity: 2 },
  /** SBML rateOf(x): the current time derivative of x. */
  rateOf: { arity: 1 },
} as const satisfies Record<string, { arity: number; minArgs?: number }>;

export type Op = keyof typeof OPS;

export const isOp = (name: string): name is Op => Object.prototype.hasOwnProperty.call(OPS, name);

export const num = (value: number): NumExpr => ({ kind: 'num', value });
export const sym = (name: string): SymExpr => ({ kind: 'sym', name });
export const op = (o: Op, ...args: Expr[]): OpExpr => ({ kind: 'op', op: o, args });

export const ZERO = num(0);
export const ONE = num(1);

/** Every symbol name referenced by `e` (including {@link TIME} if used). */
export function symbolsOf(e: Expr, into: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'num':
      return into;
    case 'sym':
      into.add(e.name);
      return into;
    case 'op':
      for (const a of e.args) symbolsOf(a, into);
      return into;
  }
}

/** True when `e` contains an `op` node with the given operator anywhere. */
export function containsOp(e: Expr, o: Op): boolean {
  if (e.kind !== 'op') return false;
  if (e.op === o) return true;
  return e.args.some((a) => containsOp(a, o));
}

/** Replace symbols by expressions (used for function definitions, namespacing, inlining). */
export function substitute(e: Expr, map: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case 'num':
      return e;
    case 'sym':
      return map.get(e.name) ?? e;
    case 'op': {
      let changed = false;
      const args = e.args.map((a) => {
        const b = substitute(a, map);
        if (b !== a) changed = true;
        return b;
      });
      return changed ? { kind: 'op', op: e.op, args } : e;
    }
  }
}

/** Structural equality. */
export function exprEquals(a: Expr, b: Expr): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'num') return Object.is(a.value, (b as NumExpr).value);
  if (a.kind === 'sym') return a.name === (b as SymExpr).name;
  const bo = b as OpExpr;
  return a.op === bo.op && a.args.length === bo.args.length && a.args.every((x, i) => exprEquals(x, bo.args[i]));
}
