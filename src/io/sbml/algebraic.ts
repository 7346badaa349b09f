/**
 * Algebraic rules (0 = f(x, …)) that ltcc can turn into assignment rules: each rule is matched
 * to one variable it is linear in (coefficient free of every variable being solved for), and
 * solved as x = −f(x=0)/∂f/∂x. Rules that share their unknowns (a linear system) are solved
 * together by symbolic Gaussian elimination. Anything else — a rule that is nonlinear in every
 * free variable, or a rule with no free variable — is an explicit error: ltcc integrates ODEs,
 * not general DAEs.
 */
import { type Expr, num, op, substitute, symbolsOf } from '../../math/ast.js';
import { diff } from '../../math/diff.js';
import { simplify } from '../../math/simplify.js';

export interface AlgebraicRule {
  /** f in 0 = f, with IR symbol names. */
  readonly expr: Expr;
  /** For messages: `algebraic rule 2 (line 40)`. */
  readonly where: string;
  /** Element id (or metaid) and line, for the error's field and line. */
  readonly field?: string;
  readonly line?: number;
}

export class AlgebraicRuleError extends Error {
  constructor(message: string, readonly rule: AlgebraicRule) {
    super(message);
    this.name = 'AlgebraicRuleError';
  }
}

const isZero = (e: Expr): boolean => e.kind === 'num' && e.value === 0;

/**
 * Solves the rules for distinct variables among `candidates` (IR names of quantities that no
 * other rule, reaction or constant status determines). Returns variable → formula.
 * @throws AlgebraicRuleError naming the rule that cannot be solved.
 */
export function solveAlgebraicRules(rules: readonly AlgebraicRule[], candidates: ReadonlySet<string>): Map<string, Expr> {
  const result = new Map<string, Expr>();
  if (rules.length === 0) return result;
  // Unknowns each rule could be solved for: candidates it mentions linearly.
  const linearIn = (f: Expr, x: string, others: ReadonlySet<string>): Expr | undefined => {
    let a: Expr;
    try {
      a = simplify(diff(f, x));
    } catch {
      return undefined;
    }
    if (isZero(a)) return undefined;
    for (const s of symbolsOf(a)) if (s === x || others.has(s)) return undefined;
    return a;
  };
  const mentions = rules.map((r) => [...symbolsOf(r.expr)].filter((s) => candidates.has(s)));
  // Candidates are tried in the caller's order of preference.
  const rank = new Map([...candidates].map((c, i) => [c, i]));
  const edges = rules.map((r, i) => mentions[i].filter((x) => linearIn(r.expr, x, new Set()) !== undefined).sort((a, b) => rank.get(a)! - rank.get(b)!));
  // Maximum bipartite matching (augmenting paths); rules with fewer options first.
  const order = rules.map((_, i) => i).sort((a, b) => edges[a].length - edges[b].length);
  const owner = new Map<string, number>();
  const tryAssign = (i: number, seen: Set<string>): boolean => {
    for (const x of edges[i]) {
      if (seen.has(x)) continue;
      seen.add(x);
      const j = owner.get(x);
      if (j === undefined || tryAssign(j, seen)) {
        owner.set(x, i);
        return true;
      }
    }
    return false;
  };
  for (const i of order) {
    if (!tryAssign(i, new Set())) {
      const r = rules[i];
      const why = mentions[i].length === 0
        ? 'it mentions no variable that is free to be determined by it'
        : `it is not linear in a free variable (${mentions[i].join(', ')}) or shares it with another rule`;
      throw new AlgebraicRuleError(`${r.where} cannot be solved: ${why}; only algebraic rules linear in one variable are supported`, r);
    }
  }
  const unknownOf = new Map<number, string>();
  for (const [x, i] of owner) unknownOf.set(i, x);
  const unknowns = new Set(owner.keys());

  // Solve each rule for its unknown; other unknowns may still appear on the right.
  const sol = new Map<string, Expr>();
  for (let i = 0; i < rules.length; i++) {
    const x = unknownOf.get(i)!;
    const f = rules[i].expr;
    const a = linearIn(f, x, new Set())!;
    const b = simplify(substitute(f, new Map([[x, num(0)]])));
    sol.set(x, simplify(op('neg', op('div', b, a))));
  }
  // Eliminate cycles among unknowns by substitution (Gauss–Seidel style back-substitution on a
  // linear system): repeatedly substitute until no unknown refers to itself through others.
  const refs = (x: string): string[] => [...symbolsOf(sol.get(x)!)].filter((s) => unknowns.has(s));
  for (let pass = 0; pass < unknowns.size + 1; pass++) {
    let changed = false;
    for (const x of unknowns) {
      // Substitute other unknowns whose solutions do not mention x (acyclic part) lazily later;
      // here resolve only self-references produced by substitution: x = c + k·x → x = c/(1−k).
      const e = sol.get(x)!;
      if (!symbolsOf(e).has(x)) continue;
      const k = linearIn(e, x, unknowns);
      if (k === undefined) {
        const i = owner.get(x)!;
        throw new AlgebraicRuleError(`${rules[i].where} cannot be solved: the algebraic rules form a system that is not linear in ${x}`, rules[i]);
      }
      const c = simplify(substitute(e, new Map([[x, num(0)]])));
      sol.set(x, simplify(op('div', c, op('sub', num(1), k))));
      changed = true;
    }
    // Detect a cycle x → … → x and break it by substituting the solutions along it into x.
    const cyc = findCycle([...unknowns], refs);
    if (cyc) {
      const x = cyc[0];
      const others = new Map<string, Expr>();
      for (const y of refs(x)) if (y !== x) others.set(y, sol.get(y)!);
      sol.set(x, simplify(substitute(sol.get(x)!, others)));
      changed = true;
    }
    if (!changed) break;
  }
  if (findCycle([...unknowns], refs)) {
    const r = rules[0];
    throw new AlgebraicRuleError(`${r.where} cannot be solved: the algebraic rules form a system ltcc cannot reduce`, r);
  }
  for (const [x, e] of sol) result.set(x, e);
  return result;
}

function findCycle(nodes: readonly string[], deps: (n: string) => string[]): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  let found: string[] | undefined;
  const visit = (n: string): void => {
    if (found) return;
    const s = state.get(n);
    if (s === 2) return;
    if (s === 1) {
      found = stack.slice(stack.indexOf(n));
      return;
    }
    state.set(n, 1);
    stack.push(n);
    for (const d of deps(n)) visit(d);
    stack.pop();
    state.set(n, 2);
  };
  for (const n of nodes) visit(n);
  return found;
}
