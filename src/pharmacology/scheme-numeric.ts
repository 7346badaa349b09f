/**
 * Numbers from a kinetic scheme at fixed conditions (voltage, Ca²⁺, parameters): the generator
 * matrix, the initial occupancies and the stationary distribution. Under voltage clamp with a
 * fixed Ca²⁺ the scheme is a linear time-invariant Markov chain, so these give binding
 * equilibria exactly, without simulating the minutes that DHP binding takes.
 */
import type { MarkovScheme } from '../biology/markov.js';
import type { Expr } from '../math/ast.js';
import { evaluate } from '../math/interpret.js';
import { parseExpr } from '../math/parser.js';
import { stationaryDistribution } from './linalg.js';
import { PharmacologyError } from './quantity.js';

/** Values of the symbols a scheme's formulas use (parameters, voltage, assigned rates). */
export type SymbolValues = Readonly<Record<string, number>>;

const parsed = new Map<string, Expr>();
function formula(src: string): Expr {
  let e = parsed.get(src);
  if (!e) {
    e = parseExpr(src);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(src, e);
  }
  return e;
}

/** Evaluates a formula of the scheme; an unknown symbol is an error naming it. */
export function evalFormula(src: string, env: SymbolValues, where: string): number {
  const v = evaluate(formula(src), (name) => {
    const x = env[name];
    if (x === undefined) throw new PharmacologyError(`symbol '${name}' has no value`, where);
    return x;
  });
  if (!Number.isFinite(v)) throw new PharmacologyError(`evaluates to ${v}`, where);
  return v;
}

/** Generator rates q[i·n + j] (i ≠ j) of the scheme under `env`. */
export function generatorOf(s: MarkovScheme, env: SymbolValues): { names: string[]; q: Float64Array } {
  const names = s.states.map((x) => x.name);
  const idx = new Map(names.map((n, i) => [n, i]));
  const n = names.length;
  const q = new Float64Array(n * n);
  for (const t of s.transitions) {
    const r = evalFormula(t.rate, env, `rate ${t.from} → ${t.to}`);
    if (r < 0) throw new PharmacologyError(`negative rate ${r}`, `rate ${t.from} → ${t.to}`);
    q[idx.get(t.from)! * n + idx.get(t.to)!] += r;
  }
  return { names, q };
}

/** Stationary occupancy of every state under `env` (fixed voltage and Ca²⁺). */
export function schemeEquilibrium(s: MarkovScheme, env: SymbolValues): Float64Array {
  const { names, q } = generatorOf(s, env);
  return stationaryDistribution(names.length, q);
}

/** The scheme's initial occupancies evaluated under `env`. */
export function schemeInitial(s: MarkovScheme, env: SymbolValues): Float64Array {
  return Float64Array.from(s.states.map((x) => evalFormula(x.initial, env, `initial value of ${x.name}`)));
}

/** Conductance-weighted open probability of an occupancy vector. */
export function openProbability(s: MarkovScheme, p: ArrayLike<number>): number {
  let po = 0;
  s.states.forEach((x, i) => (po += x.conductance * p[i]));
  return po;
}
