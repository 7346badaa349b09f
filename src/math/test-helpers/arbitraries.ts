/** fast-check generators of expression trees shared by the math tests. */
import fc from 'fast-check';
import { OPS, num, op, sym, type Expr, type Op } from '../ast.js';

/** Names that are valid identifiers of the infix grammar and not reserved constants. */
export const SYMBOL_NAMES = ['x', 'y', 'z', 'e', 'cav13.m', 'k_1', 'time', 'exp', 'Vm'] as const;

const argCount = (o: Op): fc.Arbitrary<number> => {
  const spec: { arity: number; minArgs?: number } = OPS[o];
  return spec.arity >= 0 ? fc.constant(spec.arity) : fc.integer({ min: spec.minArgs ?? 0, max: (spec.minArgs ?? 0) + 3 });
};

/**
 * Random trees over the given operators. `values` generates the numeric leaves; the symbols
 * come from `names`.
 */
export function exprArb(opts: {
  ops: readonly Op[];
  values: fc.Arbitrary<number>;
  names?: readonly string[];
  maxDepth?: number;
}): fc.Arbitrary<Expr> {
  const names = opts.names ?? SYMBOL_NAMES;
  const leaf: fc.Arbitrary<Expr> = fc.oneof(opts.values.map(num), fc.constantFrom(...names).map(sym));
  const { tree } = fc.letrec<{ tree: Expr }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: opts.maxDepth ?? 5 },
      leaf,
      fc
        .constantFrom(...opts.ops)
        .chain((o) => argCount(o).chain((n) => fc.array(tie('tree'), { minLength: n, maxLength: n }).map((args) => op(o, ...args)))),
    ),
  }));
  return tree;
}

/** Every operator of {@link OPS}. */
export const ALL_OPS = Object.keys(OPS) as Op[];
/** Every operator that has a pointwise value (all but `delay` and `rateOf`). */
export const POINTWISE_OPS = ALL_OPS.filter((o) => o !== 'delay' && o !== 'rateOf');

/** Doubles including the IEEE special values, with the specials drawn often. */
export const anyDouble: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2, 0.5, 3, Infinity, -Infinity, NaN, 1e-300, 1e300),
  fc.double(),
  fc.integer({ min: -10, max: 10 }),
);
