/**
 * Builder for composing a {@link Model} from namespaced components.
 *
 * Each component declares its own quantities (`cav13.m`, `camkii.T286`); formulas inside a
 * component refer to its own symbols by their short name and to anything else by the fully
 * qualified name. Several components may add terms to one rate (`contribute`): the membrane
 * potential's rate is the sum of the currents that channels declare, a Ca²⁺ pool's rate the
 * sum of its fluxes — the way NEURON mechanisms WRITE an ion current.
 *
 * Names are resolved when `build()` is called, so components may be added in any order.
 */
import { type Expr, TIME, num, op, substitute, sym, symbolsOf } from '../math/ast.js';
import { parseExpr } from '../math/parser.js';
import type {
  AssignedDef, EventAssignment, EventDef, Model, ObservableDef, ParameterDef, Provenance, StateDef,
} from './ir.js';
import { ModelError, ModelValidationError } from './errors.js';

/** A formula as infix text (parsed with the math parser) or as an AST. */
export type Formula = string | number | Expr;

export interface QuantityOptions {
  unit?: string;
  description?: string;
  provenance?: Provenance;
  /** Shorthand for `provenance.source`. */
  source?: string;
  /** Shorthand for `provenance.assumption`. */
  assumption?: string;
}

export interface ParameterOptions extends QuantityOptions {
  bounds?: readonly [number, number];
}

export interface StateOptions extends QuantityOptions {
  initial: Formula;
  /** Rate terms owned by the component itself (more can be added with `contribute`). */
  rate?: Formula;
  /** Scale of the state's absolute tolerance (see `StateDef.atolScale`; default 1). */
  atolScale?: number;
}

export interface EventOptions {
  trigger: Formula;
  assignments: Record<string, Formula>;
  delay?: Formula;
  priority?: Formula;
  initialValue?: boolean;
  persistent?: boolean;
  useValuesFromTriggerTime?: boolean;
  terminal?: boolean;
}

interface PendingExpr {
  readonly expr: Expr;
  /** Namespace in which short names resolve first. */
  readonly ns: string;
  /** What this formula is, for error messages: "rate of cav13.m". */
  readonly where: string;
}

interface PendingState {
  name: string;
  ns: string;
  opts: StateOptions;
  initial: PendingExpr;
  terms: PendingExpr[];
}

const toExpr = (f: Formula, where: string): Expr => {
  if (typeof f === 'number') return num(f);
  if (typeof f === 'string') {
    try {
      return parseExpr(f);
    } catch (e) {
      throw new ModelError(`${where}: ${(e as Error).message}`);
    }
  }
  return f;
};

const provenanceOf = (o: QuantityOptions): Provenance | undefined => {
  if (o.provenance) return o.provenance;
  if (o.source !== undefined || o.assumption !== undefined) {
    return { ...(o.source !== undefined ? { source: o.source } : {}), ...(o.assumption !== undefined ? { assumption: o.assumption } : {}) };
  }
  return undefined;
};

const qualify = (ns: string, name: string): string => (ns === '' ? name : `${ns}.${name}`);

/** Declares quantities inside one namespace. Obtained from {@link ModelBuilder.component}. */
export class ComponentBuilder {
  constructor(
    private readonly model: ModelBuilder,
    /** Namespace prefix ('' for the root). */
    readonly ns: string,
  ) {}

  /** Fully qualified name of a short name in this component. */
  q(name: string): string {
    return qualify(this.ns, name);
  }

  parameter(name: string, value: number, opts: ParameterOptions = {}): this {
    this.model.declareParameter(this.q(name), this.ns, value, opts);
    return this;
  }

  state(name: string, opts: StateOptions): this {
    this.model.declareState(this.q(name), this.ns, opts);
    return this;
  }

  assigned(name: string, expr: Formula, opts: QuantityOptions = {}): this {
    this.model.declareAssigned(this.q(name), this.ns, expr, opts);
    return this;
  }

  observable(name: string, expr: Formula, opts: QuantityOptions = {}): this {
    this.model.declareObservable(this.q(name), this.ns, expr, opts);
    return this;
  }

  /** Adds `term` to the rate of the state `target` (short name in this component, or qualified). */
  contribute(target: string, term: Formula): this {
    this.model.addContribution(target, this.ns, term);
    return this;
  }

  event(name: string, opts: EventOptions): this {
    this.model.declareEvent(this.q(name), this.ns, opts);
    return this;
  }

  /** A nested namespace (`cell.cav13`). */
  component(name: string): ComponentBuilder {
    return new ComponentBuilder(this.model, this.q(name));
  }
}

/**
 * Assembles a model. Typical use:
 * ```ts
 * const b = new ModelBuilder('demo');
 * b.root.parameter('k', 0.1, { unit: '1/ms', source: '...' });
 * b.root.state('x', { initial: 1, rate: '-k*x', unit: 'uM' });
 * const model = b.build();
 * ```
 */
export class ModelBuilder {
  private readonly names = new Map<string, { kind: string; ns: string }>();
  private readonly parameters: ParameterDef[] = [];
  private readonly states = new Map<string, PendingState>();
  private readonly assigned: { def: Omit<AssignedDef, 'expr'>; expr: PendingExpr }[] = [];
  private readonly observables: { def: Omit<ObservableDef, 'expr'>; expr: PendingExpr }[] = [];
  private readonly pendingContributions: { target: string; ns: string; term: PendingExpr }[] = [];
  private readonly events: { name: string; ns: string; opts: EventOptions }[] = [];
  readonly root: ComponentBuilder;

  constructor(readonly name: string, readonly meta: Model['meta'] = {}) {
    this.root = new ComponentBuilder(this, '');
  }

  component(name: string): ComponentBuilder {
    return new ComponentBuilder(this, name);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  private claim(name: string, kind: string, ns: string): void {
    if (name === TIME) throw new ModelError(`'${TIME}' is reserved for simulation time and cannot be declared (component '${ns || '(root)'}')`, name, ns);
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name)) {
      throw new ModelError(`invalid name '${name}' in component '${ns || '(root)'}': use letters, digits and '_', with '.' between namespaces`, name, ns);
    }
    const prev = this.names.get(name);
    if (prev) throw new ModelError(`'${name}' is declared twice (as ${prev.kind} in '${prev.ns || '(root)'}' and as ${kind} in '${ns || '(root)'}')`, name, ns);
    this.names.set(name, { kind, ns });
  }

  declareParameter(name: string, ns: string, value: number, opts: ParameterOptions): void {
    this.claim(name, 'parameter', ns);
    if (typeof value !== 'number' || Number.isNaN(value)) throw new ModelError(`parameter '${name}' has a non-numeric value`, name, ns);
    if (opts.bounds && (value < opts.bounds[0] || value > opts.bounds[1])) {
      throw new ModelError(`parameter '${name}' = ${value} is outside its bounds [${opts.bounds[0]}, ${opts.bounds[1]}]`, name, ns);
    }
    const provenance = provenanceOf(opts);
    this.parameters.push({
      name, value, component: ns,
      ...(opts.unit !== undefined ? { unit: opts.unit } : {}),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      ...(provenance ? { provenance } : {}),
      ...(opts.bounds ? { bounds: opts.bounds } : {}),
    });
  }

  declareState(name: string, ns: string, opts: StateOptions): void {
    this.claim(name, 'state', ns);
    const st: PendingState = {
      name, ns, opts,
      initial: { expr: toExpr(opts.initial, `initial value of ${name}`), ns, where: `initial value of ${name}` },
      terms: [],
    };
    if (opts.rate !== undefined) st.terms.push({ expr: toExpr(opts.rate, `rate of ${name}`), ns, where: `rate of ${name}` });
    this.states.set(name, st);
  }

  declareAssigned(name: string, ns: string, expr: Formula, opts: QuantityOptions): void {
    this.claim(name, 'assigned quantity', ns);
    const provenance = provenanceOf(opts);
    this.assigned.push({
      def: { name, component: ns, ...(opts.unit !== undefined ? { unit: opts.unit } : {}), ...(opts.description !== undefined ? { description: opts.description } : {}), ...(provenance ? { provenance } : {}) },
      expr: { expr: toExpr(expr, `formula of ${name}`), ns, where: `formula of ${name}` },
    });
  }

  declareObservable(name: string, ns: string, expr: Formula, opts: QuantityOptions): void {
    this.claim(name, 'observable', ns);
    this.observables.push({
      def: { name, component: ns, ...(opts.unit !== undefined ? { unit: opts.unit } : {}), ...(opts.description !== undefined ? { description: opts.description } : {}) },
      expr: { expr: toExpr(expr, `observable ${name}`), ns, where: `observable ${name}` },
    });
  }

  addContribution(target: string, ns: string, term: Formula): void {
    this.pendingContributions.push({ target, ns, term: { expr: toExpr(term, `contribution of '${ns}' to ${target}`), ns, where: `contribution of '${ns || '(root)'}' to the rate of ${target}` } });
  }

  declareEvent(name: string, ns: string, opts: EventOptions): void {
    this.claim(name, 'event', ns);
    this.events.push({ name, ns, opts });
  }

  /**
   * Resolves a name used inside namespace `ns`: the innermost enclosing namespace that declares
   * it wins (`cav13.m` before `m`), then the fully qualified name itself.
   */
  resolveName(name: string, ns: string): string | undefined {
    if (name === TIME) return TIME;
    let scope = ns;
    while (true) {
      const cand = qualify(scope, name);
      const d = this.names.get(cand);
      if (d && d.kind !== 'event') return cand;
      if (scope === '') return undefined;
      const dot = scope.lastIndexOf('.');
      scope = dot < 0 ? '' : scope.slice(0, dot);
    }
  }

  private resolve(p: PendingExpr, problems: ModelError[]): Expr {
    const map = new Map<string, Expr>();
    for (const s of symbolsOf(p.expr)) {
      const r = this.resolveName(s, p.ns);
      if (r === undefined) {
        problems.push(new ModelError(`undefined symbol '${s}' in the ${p.where} (component '${p.ns || '(root)'}')`, s, p.ns));
      } else if (r !== s) {
        map.set(s, sym(r));
      }
    }
    return map.size ? substitute(p.expr, map) : p.expr;
  }

  /** Resolves every name and returns the IR. Throws {@link ModelValidationError} listing all problems. */
  build(): Model {
    const problems: ModelError[] = [];
    for (const c of this.pendingContributions) {
      const target = this.resolveName(c.target, c.ns);
      const st = target !== undefined ? this.states.get(target) : undefined;
      if (!st) {
        problems.push(new ModelError(`component '${c.ns || '(root)'}' contributes to '${c.target}', which is not a state`, c.target, c.ns));
        continue;
      }
      st.terms.push(c.term);
    }
    this.pendingContributions.length = 0;

    const states: StateDef[] = [];
    for (const st of this.states.values()) {
      const terms = st.terms.map((t) => this.resolve(t, problems));
      const provenance = provenanceOf(st.opts);
      states.push({
        name: st.name, component: st.ns,
        initial: this.resolve(st.initial, problems),
        rate: terms.length === 0 ? num(0) : terms.length === 1 ? terms[0] : op('add', ...terms),
        ...(st.opts.unit !== undefined ? { unit: st.opts.unit } : {}),
        ...(st.opts.description !== undefined ? { description: st.opts.description } : {}),
        ...(provenance ? { provenance } : {}),
        ...(st.opts.atolScale !== undefined ? { atolScale: st.opts.atolScale } : {}),
      });
    }
    const assigned: AssignedDef[] = this.assigned.map((a) => ({ ...a.def, expr: this.resolve(a.expr, problems) }));
    const observables: ObservableDef[] = this.observables.map((a) => ({ ...a.def, expr: this.resolve(a.expr, problems) }));
    const events: EventDef[] = this.events.map(({ name, ns, opts }) => {
      const where = (w: string): PendingExpr => ({ expr: num(0), ns, where: `${w} of event ${name}` });
      const res = (f: Formula, w: string): Expr => this.resolve({ ...where(w), expr: toExpr(f, `${w} of event ${name}`) }, problems);
      const assignments: EventAssignment[] = Object.entries(opts.assignments).map(([target, f]) => {
        const t = this.resolveName(target, ns);
        if (t === undefined) problems.push(new ModelError(`event ${name} assigns to undefined symbol '${target}'`, target, ns));
        return { target: t ?? target, expr: res(f, `assignment to ${target}`) };
      });
      return {
        name, component: ns, trigger: res(opts.trigger, 'trigger'), assignments,
        ...(opts.delay !== undefined ? { delay: res(opts.delay, 'delay') } : {}),
        ...(opts.priority !== undefined ? { priority: res(opts.priority, 'priority') } : {}),
        ...(opts.initialValue !== undefined ? { initialValue: opts.initialValue } : {}),
        ...(opts.persistent !== undefined ? { persistent: opts.persistent } : {}),
        ...(opts.useValuesFromTriggerTime !== undefined ? { useValuesFromTriggerTime: opts.useValuesFromTriggerTime } : {}),
        ...(opts.terminal !== undefined ? { terminal: opts.terminal } : {}),
      };
    });
    if (problems.length) throw new ModelValidationError(problems);
    return { name: this.name, states, parameters: [...this.parameters], assigned, events, observables, meta: this.meta };
  }
}
