/** The math layer: expressions, their syntax, semantics, derivatives and units. */
export * from './ast.js';
export { ArityError, arityProblem, checkArity } from './arity.js';
export { FUNCTION_NAMES, ParseError, formatExpr, parseExpr } from './parser.js';
export { simplify } from './simplify.js';
export { DifferentiationError, diff } from './diff.js';
export { EvaluationError, JS_RUNTIME_PRELUDE, applyOp, emitJs, evaluate, jsNumberLiteral } from './interpret.js';
export {
  DIMENSIONLESS, UnitError, convertFactor, divide, formatUnit, inferUnit, isDimensionless, multiply, parseUnit,
  power, sameDimension, sameUnit,
} from './units.js';
export type { Dimension, Unit, UnitCheck, UnitIssue } from './units.js';
