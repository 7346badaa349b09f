/**
 * Argument-count checks shared by the parser, the interpreter and the code emitter, so every
 * consumer rejects a malformed `op` node with the same wording.
 */
import { OPS, type Op } from './ast.js';

/** An `op` node with a number of arguments its operator does not accept. */
export class ArityError extends Error {
  override readonly name = 'ArityError';
}

/** Throw {@link ArityError} unless `n` arguments are acceptable for `o`. */
export function checkArity(o: Op, n: number): void {
  const bad = arityProblem(o, n);
  if (bad !== undefined) throw new ArityError(bad);
}

/**
 * Why `n` arguments are not acceptable for `o`, or `undefined` when they are.
 * The message names the operator and both counts, e.g. `'exp' takes 1 argument, got 2`.
 */
export function arityProblem(o: Op, n: number): string | undefined {
  const spec: { arity: number; minArgs?: number } = OPS[o];
  if (spec.arity >= 0) {
    if (n === spec.arity) return undefined;
    return `'${o}' takes ${spec.arity} argument${spec.arity === 1 ? '' : 's'}, got ${n}`;
  }
  const min = spec.minArgs ?? 0;
  if (n >= min) return undefined;
  return `'${o}' takes at least ${min} argument${min === 1 ? '' : 's'}, got ${n}`;
}
