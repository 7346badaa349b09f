/**
 * The model intermediate representation (IR). SBML import, scenario files and the built-in
 * biology all produce a {@link Model}; `compile()` turns it into generated code.
 *
 * Names are fully qualified strings (`cav13.m`, `camkii.T286`): the builder prefixes the
 * component namespace. The reserved symbol `time` (see math/ast TIME) is simulation time.
 */
import type { Expr } from '../math/ast.js';

/** Where a number comes from. Exactly one of `source` or `assumption` should be set. */
export interface Provenance {
  /** Paper with figure/table, or model file and path. */
  readonly source?: string;
  /** Why this value was chosen when no source gives it. */
  readonly assumption?: string;
}

interface Named {
  /** Fully qualified name, unique across the model. */
  readonly name: string;
  /** Unit string in ltcc's unit syntax (e.g. `mV`, `uM/ms`, `mS/cm^2`); `dimensionless` or undefined if none. */
  readonly unit?: string;
  /** Component that declared the symbol (the namespace), used in error messages. */
  readonly component?: string;
  readonly description?: string;
  readonly provenance?: Provenance;
}

/** A quantity governed by an ODE. */
export interface StateDef extends Named {
  /** Initial value; may reference parameters and other states' initial values. */
  readonly initial: Expr;
  /** d(state)/dt. */
  readonly rate: Expr;
  /**
   * Scale of this state's absolute error tolerance: a simulation with a scalar `atol` uses
   * `atol × atolScale` for it (default 1). Declare it when the state's typical magnitude in its
   * unit is far from 1 (a membrane potential in mV: about 100; a concentration in M: about
   * 1e-6), so that one `atol` resolves every state alike.
   */
  readonly atolScale?: number;
}

/** A constant during a simulation (but may be changed by events and between runs). */
export interface ParameterDef extends Named {
  readonly value: number;
  /** Allowed range, checked when the value is set from outside (inclusive). */
  readonly bounds?: readonly [number, number];
  /**
   * Computed start value (SBML initial assignment): evaluated at t0 from other parameters and
   * initial values, overriding `value`. The parameter stays constant afterwards except for events.
   */
  readonly initial?: Expr;
}

/** A quantity defined by a formula of time, states, parameters and other assigned quantities. */
export interface AssignedDef extends Named {
  readonly expr: Expr;
}

export interface EventAssignment {
  /** A state or parameter name. */
  readonly target: string;
  readonly expr: Expr;
}

/** A discontinuity: when `trigger` becomes true, the assignments are applied (SBML semantics). */
export interface EventDef {
  readonly name: string;
  readonly component?: string;
  /** Boolean expression; fires on a false → true transition. */
  readonly trigger: Expr;
  /** Delay between trigger and execution (default none). */
  readonly delay?: Expr;
  /** Priority among events firing at the same time (larger first). */
  readonly priority?: Expr;
  readonly assignments: readonly EventAssignment[];
  /** SBML `initialValue`: trigger value assumed before t0 (default true: no firing at t0 if already true). */
  readonly initialValue?: boolean;
  /** SBML `persistent`: if false, a pending delayed event is cancelled when the trigger turns false. Default true. */
  readonly persistent?: boolean;
  /** SBML `useValuesFromTriggerTime` (default true). */
  readonly useValuesFromTriggerTime?: boolean;
  /** Stop the simulation when this event fires. */
  readonly terminal?: boolean;
}

/** A named output computed from the state (reported, not integrated). */
export interface ObservableDef extends Named {
  readonly expr: Expr;
}

export interface Model {
  readonly name: string;
  readonly states: readonly StateDef[];
  readonly parameters: readonly ParameterDef[];
  /** In any order; the model layer orders them by dependency. */
  readonly assigned: readonly AssignedDef[];
  readonly events: readonly EventDef[];
  readonly observables: readonly ObservableDef[];
  /** Free-form provenance notes, units of the time axis etc. */
  readonly meta?: {
    readonly timeUnit?: string;
    readonly description?: string;
    readonly [key: string]: unknown;
  };
}
