/**
 * What `compile()` produces: a symbol table (every name ↦ an index in flat arrays) and
 * generated functions over `Float64Array`s. Every solver and experiment consumes this.
 */
import type { Model } from '../model/ir.js';
import type { OdeProblem, SparsePattern } from '../solve/types.js';

export type SymbolRef =
  | { readonly kind: 'state'; readonly index: number }
  | { readonly kind: 'parameter'; readonly index: number }
  | { readonly kind: 'assigned'; readonly index: number }
  | { readonly kind: 'observable'; readonly index: number };

export interface SymbolTable {
  readonly states: readonly string[];
  readonly parameters: readonly string[];
  /** Assigned quantities in evaluation order. */
  readonly assigned: readonly string[];
  readonly observables: readonly string[];
  readonly index: ReadonlyMap<string, SymbolRef>;
}

/** One compiled event (SBML semantics are applied by the simulation driver). */
export interface CompiledEvent {
  readonly name: string;
  /** Indices of the root functions whose sign changes may flip this trigger. */
  readonly roots: readonly number[];
  readonly hasDelay: boolean;
  readonly hasPriority: boolean;
  readonly initialValue: boolean;
  readonly persistent: boolean;
  readonly useValuesFromTriggerTime: boolean;
  readonly terminal: boolean;
  /** Assignment targets, in the order of `values` output. */
  readonly targets: readonly SymbolRef[];
}

/**
 * SBML `delay(x, τ)` terms. Each is read through a hidden parameter (`#delayK`, index in
 * `params`) that the simulation driver sets to x(t − τ) before every evaluation, from a history of
 * x it records while integrating (`simulate` does this; a bare `solve` of such a model sees NaN).
 */
export interface CompiledDelays {
  readonly n: number;
  /** Parameter index of each term's current value. */
  readonly params: readonly number[];
  /** x of each term at (t, y, p): the quantity whose history is kept. */
  values(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /** τ of each term at (t, y, p). */
  taus(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
}

export interface CompiledModel {
  /** Present when the model uses SBML `delay` (see {@link CompiledDelays}). */
  readonly delays?: CompiledDelays;
  /** SHA-256 of the canonical IR. */
  readonly hash: string;
  readonly model: Model;
  readonly symbols: SymbolTable;
  /** Number of states. */
  readonly n: number;
  readonly nParams: number;
  readonly nAssigned: number;
  readonly nObservables: number;
  /** Default parameter values (copy before changing). */
  readonly p0: Float64Array;
  /** Scale of each state's absolute tolerance (`StateDef.atolScale`, 1 when not declared). */
  readonly atolScale: Float64Array;
  /** Unit-check warnings found while validating. */
  readonly warnings: readonly string[];

  /** Start values at `t0`: fills y0 and updates computed parameters in p (SBML initial assignments). */
  init(t0: number, p: Float64Array, y0: Float64Array): void;
  /** dy/dt. */
  rhs(t: number, y: Float64Array, p: Float64Array, dy: Float64Array): void;
  /** Dense analytic Jacobian, row-major n×n (every entry written). */
  jac(t: number, y: Float64Array, p: Float64Array, J: Float64Array): void;
  /** Structural non-zeros of the Jacobian plus the diagonal, CSR. */
  readonly jacPattern: SparsePattern;
  /** Jacobian values in `jacPattern` order. */
  jacSparse(t: number, y: Float64Array, p: Float64Array, values: Float64Array): void;
  /** Assigned quantities (in symbol-table order). */
  assigned(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /** Observables. */
  observables(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;

  /**
   * Root functions: one per distinct relational sub-expression of event triggers and of
   * piecewise conditions in the right-hand side (discontinuities the solver must not step over).
   */
  readonly nRoots: number;
  roots(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /** For each root function, whether it comes from the rhs (a discontinuity) and/or from event triggers. */
  readonly rootSources: readonly { readonly rhs: boolean; readonly events: readonly number[] }[];

  readonly events: readonly CompiledEvent[];
  /** Trigger values of all events (1/0) into `out`. */
  eventTriggers(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /** Delay of each event (0 when none). */
  eventDelays(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /** Priority of each event (−Infinity when none). */
  eventPriorities(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /** Evaluates the assignment right-hand sides of event `k` into `out` (length = targets.length). */
  eventValues(k: number, t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;

  /** An OdeProblem with the parameters bound to `p` (which may be changed between solves). */
  problem(p: Float64Array): OdeProblem;
}
