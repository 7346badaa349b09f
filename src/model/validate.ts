/**
 * Validation of a Model IR, whatever produced it: every name declared once, every symbol
 * defined, assigned quantities ordered by dependency (an algebraic loop is an error naming the
 * loop), initial values free of cycles, event targets assignable, and (optionally) units.
 */
import { type Expr, TIME, containsOp, symbolsOf } from '../math/ast.js';
import { formatExpr } from '../math/parser.js';
import { inferUnit, parseUnit, type Unit } from '../math/units.js';
import type { AssignedDef, Model } from './ir.js';
import { ModelError, ModelValidationError } from './errors.js';

export type SymbolKind = 'state' | 'parameter' | 'assigned' | 'observable';

export interface ValidateOptions {
  /** How unit problems are reported (default 'warn'). */
  units?: 'error' | 'warn' | 'off';
}

export interface ValidatedModel {
  readonly model: Model;
  /** Assigned quantities in evaluation order (each after everything it depends on). */
  readonly assignedOrder: readonly AssignedDef[];
  /**
   * States, computed parameters and assigned quantities in the order their start values must
   * be evaluated at t0 (each after everything it depends on).
   */
  readonly initialOrder: readonly string[];
  readonly kindOf: ReadonlyMap<string, SymbolKind>;
  /** Unit warnings (when units: 'warn'). */
  readonly warnings: readonly string[];
}

const where = (component: string | undefined): string => (component ? ` (component '${component}')` : '');

/**
 * Orders nodes so that each comes after its dependencies. On a cycle, throws with the loop
 * spelled out: `a → b → a`.
 */
export function topoOrder(nodes: readonly string[], deps: (n: string) => Iterable<string>, what: string): string[] {
  const state = new Map<string, 1 | 2>(); // 1 = on stack, 2 = done
  const order: string[] = [];
  const inSet = new Set(nodes);
  const stack: string[] = [];
  const visit = (n: string): void => {
    const s = state.get(n);
    if (s === 2) return;
    if (s === 1) {
      const loop = stack.slice(stack.indexOf(n)).concat(n);
      throw new ModelError(`algebraic loop in ${what}: ${loop.join(' → ')}`, n);
    }
    state.set(n, 1);
    stack.push(n);
    for (const d of deps(n)) if (inSet.has(d)) visit(d);
    stack.pop();
    state.set(n, 2);
    order.push(n);
  };
  for (const n of nodes) visit(n);
  return order;
}

export function validateModel(model: Model, opts: ValidateOptions = {}): ValidatedModel {
  const problems: ModelError[] = [];
  const kindOf = new Map<string, SymbolKind>();
  const componentOf = new Map<string, string | undefined>();
  const declare = (name: string, kind: SymbolKind, component: string | undefined): void => {
    if (name === TIME) problems.push(new ModelError(`'${TIME}' is reserved and cannot be declared as a ${kind}${where(component)}`, name, component));
    else if (kindOf.has(name)) problems.push(new ModelError(`'${name}' is declared twice (as ${kindOf.get(name)} and as ${kind})${where(component)}`, name, component));
    kindOf.set(name, kind);
    componentOf.set(name, component);
  };
  for (const s of model.states) declare(s.name, 'state', s.component);
  for (const p of model.parameters) {
    declare(p.name, 'parameter', p.component);
    if (!Number.isFinite(p.value) && !Number.isNaN(p.value) && p.value !== Infinity && p.value !== -Infinity) {
      problems.push(new ModelError(`parameter '${p.name}' has no numeric value${where(p.component)}`, p.name, p.component));
    }
  }
  for (const a of model.assigned) declare(a.name, 'assigned', a.component);
  for (const o of model.observables) declare(o.name, 'observable', o.component);

  const checkSymbols = (e: Expr, what: string, component: string | undefined, allowObservables = false): void => {
    for (const s of symbolsOf(e)) {
      if (s === TIME) continue;
      const k = kindOf.get(s);
      if (k === undefined) problems.push(new ModelError(`undefined symbol '${s}' in ${what}${where(component)}`, s, component));
      else if (k === 'observable' && !allowObservables) problems.push(new ModelError(`${what} uses observable '${s}'; observables are outputs only${where(component)}`, s, component));
    }
  };
  for (const s of model.states) {
    checkSymbols(s.rate, `the rate of ${s.name}`, s.component);
    checkSymbols(s.initial, `the initial value of ${s.name}`, s.component);
    if (s.atolScale !== undefined && !(typeof s.atolScale === 'number' && Number.isFinite(s.atolScale) && s.atolScale > 0)) {
      problems.push(new ModelError(`state '${s.name}' has atolScale ${String(s.atolScale)}; it must be a finite number > 0${where(s.component)}`, s.name, s.component));
    }
  }
  for (const a of model.assigned) checkSymbols(a.expr, `the formula of ${a.name}`, a.component);
  for (const o of model.observables) checkSymbols(o.expr, `observable ${o.name}`, o.component, true);
  const eventNames = new Set<string>();
  for (const ev of model.events) {
    if (eventNames.has(ev.name)) problems.push(new ModelError(`event '${ev.name}' is declared twice`, ev.name, ev.component));
    eventNames.add(ev.name);
    checkSymbols(ev.trigger, `the trigger of event ${ev.name}`, ev.component);
    if (ev.delay) checkSymbols(ev.delay, `the delay of event ${ev.name}`, ev.component);
    if (ev.priority) checkSymbols(ev.priority, `the priority of event ${ev.name}`, ev.component);
    for (const a of ev.assignments) {
      const k = kindOf.get(a.target);
      if (k !== 'state' && k !== 'parameter') {
        problems.push(new ModelError(`event ${ev.name} assigns to '${a.target}', which is ${k ? `an ${k} quantity` : 'undefined'}; only states and parameters can be assigned${where(ev.component)}`, a.target, ev.component));
      }
      checkSymbols(a.expr, `the assignment to ${a.target} in event ${ev.name}`, ev.component);
    }
  }
  if (problems.length) throw new ModelValidationError(problems);

  // Dependency order of assigned quantities.
  const assignedByName = new Map(model.assigned.map((a) => [a.name, a]));
  const deps = (n: string): string[] => [...symbolsOf(assignedByName.get(n)!.expr)].filter((s) => assignedByName.has(s));
  const order = topoOrder(model.assigned.map((a) => a.name), deps, 'assigned quantities');
  const assignedOrder = order.map((n) => assignedByName.get(n)!);

  // Initial values may refer to other states' initial values and to assigned quantities
  // (evaluated at t0 with the initial state): order states and assigned together.
  const stateByName = new Map(model.states.map((s) => [s.name, s]));
  const computedParams = new Map(model.parameters.filter((p) => p.initial).map((p) => [p.name, p.initial!]));
  for (const p of model.parameters) if (p.initial) checkSymbols(p.initial, `the initial assignment of ${p.name}`, p.component);
  if (problems.length) throw new ModelValidationError(problems);
  const initDeps = (n: string): string[] => {
    const e = stateByName.get(n)?.initial ?? assignedByName.get(n)?.expr ?? computedParams.get(n);
    return e ? [...symbolsOf(e)].filter((s) => stateByName.has(s) || assignedByName.has(s) || computedParams.has(s)) : [];
  };
  const initialOrder = topoOrder(
    [...model.states.map((s) => s.name), ...computedParams.keys(), ...model.assigned.map((a) => a.name)], initDeps, 'initial values');

  for (const s of model.states) {
    if (containsOp(s.initial, 'delay') || containsOp(s.initial, 'rateOf')) {
      problems.push(new ModelError(`the initial value of ${s.name} uses delay/rateOf, which have no meaning at t0${where(s.component)}`, s.name, s.component));
    }
  }

  const warnings: string[] = [];
  const unitMode = opts.units ?? 'warn';
  if (unitMode !== 'off') {
    const units = new Map<string, Unit>();
    const unitProblems: string[] = [];
    const declareUnit = (name: string, u: string | undefined, component: string | undefined): void => {
      if (u === undefined) return;
      try {
        units.set(name, parseUnit(u));
      } catch (e) {
        unitProblems.push(`unit '${u}' of ${name}${where(component)}: ${(e as Error).message}`);
      }
    };
    for (const s of model.states) declareUnit(s.name, s.unit, s.component);
    for (const p of model.parameters) declareUnit(p.name, p.unit, p.component);
    for (const a of model.assigned) declareUnit(a.name, a.unit, a.component);
    const timeUnit = model.meta?.timeUnit !== undefined ? parseUnit(model.meta.timeUnit) : undefined;
    if (timeUnit) units.set(TIME, timeUnit);
    const check = (e: Expr, expected: Unit | undefined, what: string, component: string | undefined): void => {
      const r = inferUnit(e, (n) => units.get(n));
      for (const p of r.problems) unitProblems.push(`${what}${where(component)}: ${p}`);
      if (expected && r.unit && !r.dimensionFree && !sameDim(r.unit, expected)) {
        unitProblems.push(`${what}${where(component)}: has unit ${r.formatted}, expected ${formatUnitSafe(expected)} (in ${formatExpr(e)})`);
      }
    };
    for (const a of assignedOrder) check(a.expr, units.get(a.name), `the formula of ${a.name}`, a.component);
    for (const s of model.states) {
      const su = units.get(s.name);
      const expected = su && timeUnit ? divUnits(su, timeUnit) : undefined;
      check(s.rate, expected, `the rate of ${s.name}`, s.component);
    }
    if (unitMode === 'error' && unitProblems.length) {
      throw new ModelValidationError(unitProblems.map((m) => new ModelError(`units: ${m}`)));
    }
    warnings.push(...unitProblems.map((m) => `units: ${m}`));
  }
  if (problems.length) throw new ModelValidationError(problems);
  return { model, assignedOrder, initialOrder, kindOf, warnings };
}

import { divide as divUnits, sameDimension as sameDim, formatUnit } from '../math/units.js';
const formatUnitSafe = (u: Unit): string => formatUnit(u);
