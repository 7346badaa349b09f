/**
 * Common-subexpression elimination for the generated bodies that run at every solver step (the
 * right-hand side and the Jacobians). Gating functions, Q10 factors and the GHK argument
 * z·F·V/(R·T) recur across formulas (the argument of the GHK flux appears four times per
 * calcium channel, each with its own `exp`), and V8 does not merge calls of `Math.exp` or
 * `Math.pow`. A sub-expression that occurs more than once in a body is computed once into a
 * local (`const c7 = …;`) just before the first statement that needs it.
 *
 * Every operator is pure (see math/interpret.ts), so evaluating a shared sub-expression once and
 * reusing the value gives the same doubles as evaluating it at every occurrence: results are
 * unchanged bit for bit. Evaluating it earlier than its first occurrence costs time only, so a
 * sub-expression is shared only when at least one occurrence is evaluated unconditionally (not
 * only inside a `piecewise` branch or behind a short-circuit), which keeps rarely taken branches
 * such as the series of x/(eˣ − 1) near 0 from being computed at every call.
 */
import type { Expr, OpExpr } from '../math/ast.js';
import { emitJs, jsNumberLiteral } from '../math/interpret.js';

/** One statement of a body: `lhs = expr;` where lhs is e.g. `const a3` or `dy[2]`. */
export interface CseStatement {
  readonly lhs: string;
  readonly expr: Expr;
}

/** Prefix of the internal symbol names that stand for shared locals while emitting. */
const LOCAL = '\u0000c';

/** Arguments of an op that are evaluated only under a condition (see emitOp in math/interpret.ts). */
function conditionalArg(o: OpExpr['op'], i: number): boolean {
  switch (o) {
    case 'piecewise': return i !== 1;
    case 'and':
    case 'or': return i > 0;
    case 'implies': return i === 1;
    default: return false;
  }
}

/**
 * Emits `statements` as one line each, preceded by `const cK = …;` lines for the sub-expressions
 * they share. `resolve` maps a symbol to trusted JavaScript (array accesses and compiler-made
 * locals), as for {@link emitJs}; the keys that identify equal sub-expressions are built from its
 * output, so model names never reach the generated code. `localPrefix` names the shared locals
 * (distinct from every other local of the body).
 */
export function emitWithCse(statements: readonly CseStatement[], resolve: (name: string) => string, localPrefix = 'c'): string {
  const keys = new Map<Expr, string>();
  const keyOf = (e: Expr): string => {
    let k = keys.get(e);
    if (k !== undefined) return k;
    switch (e.kind) {
      case 'num': k = jsNumberLiteral(e.value); break;
      case 'sym': k = resolve(e.name); break;
      case 'op': k = `${e.op}(${e.args.map(keyOf).join(',')})`; break;
    }
    keys.set(e, k);
    return k;
  };
  // Occurrences of each op sub-expression, and whether one of them is unconditional. The
  // children of a repeated occurrence are not counted again: they are shared through it.
  const count = new Map<string, number>();
  const unconditional = new Set<string>();
  const visit = (e: Expr, cond: boolean): void => {
    if (e.kind !== 'op') return;
    const k = keyOf(e);
    const c = (count.get(k) ?? 0) + 1;
    count.set(k, c);
    const newlyUnconditional = !cond && !unconditional.has(k);
    if (!cond) unconditional.add(k);
    if (c > 1 && !newlyUnconditional) return;
    e.args.forEach((a, i) => {
      if (c > 1) {
        // A repeat: only propagate unconditional evaluation to the children, without counting.
        if (!conditionalArg(e.op, i)) markUnconditional(a);
      } else visit(a, cond || conditionalArg(e.op, i));
    });
  };
  const markUnconditional = (e: Expr): void => {
    if (e.kind !== 'op') return;
    const k = keyOf(e);
    if (unconditional.has(k)) return;
    unconditional.add(k);
    e.args.forEach((a, i) => { if (!conditionalArg(e.op, i)) markUnconditional(a); });
  };
  for (const s of statements) visit(s.expr, false);
  const shared = (k: string): boolean => (count.get(k) ?? 0) > 1 && unconditional.has(k);

  const localName = new Map<string, string>();
  const access = (name: string): string => (name.startsWith(LOCAL) ? `${localPrefix}${Number(name.slice(LOCAL.length))}` : resolve(name));
  const lines: string[] = [];
  const rewrite = (e: Expr): Expr => {
    if (e.kind !== 'op') return e;
    const k = keyOf(e);
    if (shared(k)) {
      let nm = localName.get(k);
      if (nm === undefined) {
        const body = emitJs(rewriteArgs(e), access);
        nm = `${LOCAL}${localName.size}`;
        lines.push(`const ${localPrefix}${localName.size} = ${body};`);
        localName.set(k, nm);
      }
      return { kind: 'sym', name: nm };
    }
    return rewriteArgs(e);
  };
  const rewriteArgs = (e: OpExpr): OpExpr => ({ kind: 'op', op: e.op, args: e.args.map(rewrite) });
  for (const s of statements) {
    const r = rewrite(s.expr);
    lines.push(`${s.lhs} = ${emitJs(r, access)};`);
  }
  return lines.join('\n');
}
