/**
 * IR → {@link CompiledModel}. Generated JavaScript contains only array indices, local variable
 * names made here (`a12`, `d3_4`), numeric literals and whitelisted operators: names from the
 * model never enter the source, so a crafted model file cannot run code.
 *
 * The Jacobian is analytic: partial derivatives of every formula with respect to the states and
 * assigned quantities it mentions, chained through the assigned quantities in evaluation order
 * (forward mode over the dependency graph), so no formula is inlined and duplicated.
 */
import { createHash } from 'node:crypto';
import { type Expr, type OpExpr, TIME, containsOp, num, op, substitute, sym, symbolsOf } from '../math/ast.js';
import { diff } from '../math/diff.js';
import { JS_RUNTIME_PRELUDE, emitJs } from '../math/interpret.js';
import { simplify } from '../math/simplify.js';
import { formatExpr } from '../math/parser.js';
import type { Model } from '../model/ir.js';
import { ModelError } from '../model/errors.js';
import { validateModel, type ValidateOptions } from '../model/validate.js';
import type { OdeProblem, SparsePattern } from '../solve/types.js';
import { splitBody } from './chunks.js';
import { type CseStatement, emitWithCse } from './cse.js';
import type { CompiledDelays, CompiledEvent, CompiledModel, SymbolRef, SymbolTable } from './compiled.js';

export interface CompileOptions extends ValidateOptions {
  /**
   * Add a root function for every relational condition in the right-hand side, so the solver
   * stops at the discontinuity instead of stepping across it (default true).
   */
  discontinuityRoots?: boolean;
  /** Skip the cache (default false). */
  noCache?: boolean;
}

const RELATIONAL = new Set(['lt', 'le', 'gt', 'ge', 'eq', 'neq']);

/** Canonical JSON for hashing: handles NaN/±Infinity/−0, which JSON.stringify would lose. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return '__NaN';
      if (v === Infinity) return '__Inf';
      if (v === -Infinity) return '__-Inf';
      if (Object.is(v, -0)) return '__-0';
    }
    return v;
  });
}

/** SHA-256 of the model IR (hex). Equal models give equal hashes; any change of a number or formula changes it. */
export function modelHash(model: Model, opts: CompileOptions = {}): string {
  return createHash('sha256').update(canonical({ model, d: opts.discontinuityRoots ?? true })).digest('hex');
}

const cache = new Map<string, CompiledModel>();
const CACHE_LIMIT = 64;

/** Compiles (or returns the cached compilation of) a model. */
export function compile(model: Model, opts: CompileOptions = {}): CompiledModel {
  const hash = modelHash(model, opts);
  if (!opts.noCache) {
    const hit = cache.get(hash);
    if (hit) return hit;
  }
  const cm = compileUncached(model, hash, opts);
  if (!opts.noCache) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(hash, cm);
  }
  return cm;
}

/** Collects relational sub-expressions (a op b) as root functions a − b. */
function collectRelations(e: Expr, out: Expr[]): void {
  if (e.kind !== 'op') return;
  if (RELATIONAL.has(e.op)) {
    for (let i = 0; i + 1 < e.args.length; i++) out.push(simplify(op('sub', e.args[i], e.args[i + 1])));
  }
  for (const a of e.args) collectRelations(a, out);
}

/** Replaces rateOf(x) by x's rate (states) or 0 (parameters); other uses are errors. */
function expandRateOf(e: Expr, rateOf: (name: string) => Expr | undefined, where: string): Expr {
  if (e.kind !== 'op') return e;
  if (e.op === 'rateOf') {
    const a = e.args[0];
    if (a.kind !== 'sym') throw new ModelError(`rateOf in ${where} must be applied to a symbol, not ${formatExpr(a)}`);
    const r = rateOf(a.name);
    if (r === undefined) throw new ModelError(`rateOf(${a.name}) in ${where} is not supported: '${a.name}' is not a state or parameter`, a.name);
    return r;
  }
  if (e.op === 'delay') throw new ModelError(`delay() in ${where} is not supported by the ODE compiler`);
  const args = e.args.map((x) => expandRateOf(x, rateOf, where));
  return { kind: 'op', op: e.op, args } as OpExpr;
}

/**
 * SBML `delay(x, τ)`: every distinct delayed term becomes a hidden parameter `#delayK` that the
 * simulation driver sets to x(t − τ) from the history it keeps (see `CompiledModel.delays`);
 * the formulas then compile as usual. A delayed term inside another one is refused.
 */
function liftDelays(model: Model): { model: Model; terms: { name: string; x: Expr; tau: Expr }[] } {
  const terms: { name: string; x: Expr; tau: Expr }[] = [];
  const byKey = new Map<string, string>();
  const lift = (e: Expr, where: string): Expr => {
    if (e.kind !== 'op' || !containsOp(e, 'delay')) return e;
    if (e.op === 'delay') {
      const [x, tau] = e.args;
      if (containsOp(x, 'delay') || containsOp(tau, 'delay')) throw new ModelError(`a delay inside a delay in ${where} is not supported`);
      const key = formatExpr(e);
      let name = byKey.get(key);
      if (name === undefined) {
        name = `#delay${terms.length}`;
        byKey.set(key, name);
        terms.push({ name, x, tau });
      }
      return sym(name);
    }
    return { kind: 'op', op: e.op, args: e.args.map((a) => lift(a, where)) } as OpExpr;
  };
  const uses = (e: Expr | undefined): boolean => e !== undefined && containsOp(e, 'delay');
  const any = model.states.some((s) => uses(s.rate)) || model.assigned.some((a) => uses(a.expr)) || model.observables.some((o) => uses(o.expr))
    || model.events.some((ev) => uses(ev.trigger) || uses(ev.delay) || uses(ev.priority) || ev.assignments.some((a) => uses(a.expr)));
  if (!any) return { model, terms };
  const lifted: Model = {
    ...model,
    states: model.states.map((s) => ({ ...s, rate: lift(s.rate, `the rate of ${s.name}`) })),
    assigned: model.assigned.map((a) => ({ ...a, expr: lift(a.expr, `the formula of ${a.name}`) })),
    observables: model.observables.map((o) => ({ ...o, expr: lift(o.expr, `observable ${o.name}`) })),
    events: model.events.map((ev) => ({
      ...ev, trigger: lift(ev.trigger, `the trigger of event ${ev.name}`),
      ...(ev.delay ? { delay: lift(ev.delay, `the delay of event ${ev.name}`) } : {}),
      ...(ev.priority ? { priority: lift(ev.priority, `the priority of event ${ev.name}`) } : {}),
      assignments: ev.assignments.map((a) => ({ ...a, expr: lift(a.expr, `event ${ev.name}`) })),
    })),
  };
  return {
    model: { ...lifted, parameters: [...model.parameters, ...terms.map((t) => ({ name: t.name, value: NaN, description: `value of ${formatExpr(op('delay', t.x, t.tau))}, set by the simulation` }))] },
    terms,
  };
}

function compileUncached(original: Model, hash: string, opts: CompileOptions): CompiledModel {
  const { model, terms: delayTerms } = liftDelays(original);
  const vm = validateModel(model, opts);
  const states = model.states.map((s) => s.name);
  const params = model.parameters.map((p) => p.name);
  const assignedNames = vm.assignedOrder.map((a) => a.name);
  const obsNames = model.observables.map((o) => o.name);
  const index = new Map<string, SymbolRef>();
  states.forEach((s, i) => index.set(s, { kind: 'state', index: i }));
  params.forEach((s, i) => index.set(s, { kind: 'parameter', index: i }));
  assignedNames.forEach((s, i) => index.set(s, { kind: 'assigned', index: i }));
  obsNames.forEach((s, i) => index.set(s, { kind: 'observable', index: i }));
  const symbols: SymbolTable = { states, parameters: params, assigned: assignedNames, observables: obsNames, index };
  const n = states.length;

  // rateOf expansion (needs the raw rates first).
  const rawRate = new Map(model.states.map((s) => [s.name, s.rate]));
  const rateOfFn = (name: string): Expr | undefined => {
    const r = index.get(name);
    if (r?.kind === 'state') return rawRate.get(name);
    if (r?.kind === 'parameter') return num(0);
    return undefined;
  };
  const rates = model.states.map((s) => simplify(expandRateOf(s.rate, rateOfFn, `the rate of ${s.name}`)));
  const assignedExpr = vm.assignedOrder.map((a) => simplify(expandRateOf(a.expr, rateOfFn, `the formula of ${a.name}`)));
  const assignedByName = new Map(assignedNames.map((nm, i) => [nm, assignedExpr[i]]));

  // Access strings for generated code.
  const access = (name: string): string => {
    if (name === TIME) return 't';
    const r = index.get(name);
    if (!r) throw new ModelError(`internal: unresolved symbol '${name}'`, name);
    switch (r.kind) {
      case 'state': return `y[${r.index}]`;
      case 'parameter': return `p[${r.index}]`;
      case 'assigned': return `a${r.index}`;
      case 'observable': return `o${r.index}`;
    }
  };
  const js = (e: Expr): string => emitJs(e, access);

  /** Assigned quantities (indices, in order) needed to evaluate `exprs`. */
  const neededAssigned = (exprs: readonly Expr[]): number[] => {
    const need = new Set<number>();
    const visit = (e: Expr): void => {
      for (const s of symbolsOf(e)) {
        const r = index.get(s);
        if (r?.kind === 'assigned' && !need.has(r.index)) {
          need.add(r.index);
          visit(assignedExpr[r.index]);
        }
      }
    };
    exprs.forEach(visit);
    return [...need].sort((a, b) => a - b);
  };
  const assignedLines = (idx: readonly number[]): string => idx.map((k) => `const a${k} = ${js(assignedExpr[k])};`).join('\n');

  // The runtime helpers are declared once in an outer closure, so calling a generated function
  // allocates nothing.
  const make = <F>(args: string[], body: string): F => {
    try {
      return new Function(`"use strict";\n${JS_RUNTIME_PRELUDE}\nreturn function (${args.join(', ')}) {\n${body}\n};`)() as F;
    } catch (e) {
      throw new ModelError(`internal code generation error: ${(e as Error).message}`);
    }
  };
  /**
   * `make` for the functions called at every solver step, cut into pieces sharing a scratch
   * array when the body is too large for V8 to optimise (see chunks.ts).
   */
  const makeHot = <F>(args: readonly [string, string, string, string], body: string): F => {
    const split = splitBody(body, 'w');
    if (split === null) return make<F>([...args], body);
    type Piece = (a: number, b: Float64Array, c: Float64Array, d: Float64Array, w: Float64Array) => void;
    const pieces = split.pieces.map((b) => make<Piece>([...args, 'w'], b));
    const w = new Float64Array(split.slots);
    const k = pieces.length;
    const whole = (a: number, b: Float64Array, c: Float64Array, d: Float64Array): void => {
      for (let i = 0; i < k; i++) pieces[i](a, b, c, d, w);
    };
    return whole as F;
  };

  // --- rhs
  const rhsAssigned = neededAssigned(rates);
  const assignedStatements = (idx: readonly number[]): CseStatement[] => idx.map((k) => ({ lhs: `const a${k}`, expr: assignedExpr[k] }));
  const rhsBody = emitWithCse([...assignedStatements(rhsAssigned), ...rates.map((r, i) => ({ lhs: `dy[${i}]`, expr: r }))], access);
  const rhs = makeHot<CompiledModel['rhs']>(['t', 'y', 'p', 'dy'], rhsBody);

  // --- Jacobian by forward mode over assigned quantities.
  // D[k]: map state index -> expression for d a_k / d y_j, referencing local derivative vars.
  const dName = (k: number, j: number): string => `\u0000d${k}_${j}`;
  const derivLocals: { k: number; j: number; expr: Expr }[] = [];
  const D: Map<number, Expr>[] = [];
  const chain = (e: Expr): Map<number, Expr> => {
    // total derivative of e w.r.t. each state, as expressions over partials and D locals
    const terms = new Map<number, Expr[]>();
    for (const s of symbolsOf(e)) {
      const r = index.get(s);
      if (!r) continue;
      if (r.kind === 'state') {
        const d = simplify(diff(e, s));
        if (!(d.kind === 'num' && d.value === 0)) {
          if (!terms.has(r.index)) terms.set(r.index, []);
          terms.get(r.index)!.push(d);
        }
      } else if (r.kind === 'assigned') {
        const dk = D[r.index];
        if (!dk || dk.size === 0) continue;
        const pd = simplify(diff(e, s));
        if (pd.kind === 'num' && pd.value === 0) continue;
        for (const j of dk.keys()) {
          if (!terms.has(j)) terms.set(j, []);
          terms.get(j)!.push(simplify(op('mul', pd, { kind: 'sym', name: dName(r.index, j) })));
        }
      }
    }
    const out = new Map<number, Expr>();
    for (const [j, ts] of terms) {
      const s = simplify(ts.length === 1 ? ts[0] : op('add', ...ts));
      if (!(s.kind === 'num' && s.value === 0)) out.set(j, s);
    }
    return out;
  };
  for (let k = 0; k < assignedExpr.length; k++) {
    const dk = chain(assignedExpr[k]);
    D[k] = dk;
    for (const [j, expr] of dk) derivLocals.push({ k, j, expr });
  }
  const jacEntries: { i: number; j: number; expr: Expr }[] = [];
  rates.forEach((r, i) => {
    for (const [j, expr] of chain(r)) jacEntries.push({ i, j, expr });
  });
  const derivAccess = (name: string): string => {
    if (name.startsWith('\u0000d')) {
      const [k, j] = name.slice(2).split('_');
      return `d${Number(k)}_${Number(j)}`;
    }
    return access(name);
  };
  // Which derivative locals and assigned values does the Jacobian need?
  const neededD = new Set<string>();
  const visitD = (e: Expr): void => {
    for (const s of symbolsOf(e)) {
      if (s.startsWith('\u0000d') && !neededD.has(s)) {
        neededD.add(s);
        const [k, j] = s.slice(2).split('_').map(Number);
        visitD(D[k].get(j)!);
      }
    }
  };
  jacEntries.forEach((en) => visitD(en.expr));
  const jacExprs = [...jacEntries.map((e) => e.expr), ...derivLocals.filter((d) => neededD.has(dName(d.k, d.j))).map((d) => d.expr)];
  const jacAssigned = neededAssigned(jacExprs);
  const jacPre: CseStatement[] = [
    ...assignedStatements(jacAssigned),
    ...derivLocals.filter((d) => neededD.has(dName(d.k, d.j))).map((d) => ({ lhs: `const d${d.k}_${d.j}`, expr: d.expr })),
  ];
  const jac = makeHot<CompiledModel['jac']>(['t', 'y', 'p', 'J'],
    `J.fill(0);\n${emitWithCse([...jacPre, ...jacEntries.map((en) => ({ lhs: `J[${en.i * n + en.j}]`, expr: en.expr }))], derivAccess)}`);

  // Sparse pattern (CSR, sorted columns, diagonal always present).
  const rowsCols: Set<number>[] = Array.from({ length: n }, (_, i) => new Set([i]));
  for (const en of jacEntries) rowsCols[en.i].add(en.j);
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const slot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const cs = [...rowsCols[i]].sort((a, b) => a - b);
    for (const j of cs) {
      slot.set(i * n + j, cols.length);
      cols.push(j);
    }
    rowPtr[i + 1] = cols.length;
  }
  const jacPattern: SparsePattern = { n, rowPtr, colIdx: Int32Array.from(cols) };
  const jacSparse = makeHot<CompiledModel['jacSparse']>(['t', 'y', 'p', 'v'],
    `v.fill(0);\n${emitWithCse([...jacPre, ...jacEntries.map((en) => ({ lhs: `v[${slot.get(en.i * n + en.j)}]`, expr: en.expr }))], derivAccess)}`);

  // --- assigned & observables
  const allAssigned = assignedExpr.map((_, k) => k);
  const assignedFn = make<CompiledModel['assigned']>(['t', 'y', 'p', 'out'],
    `${assignedLines(allAssigned)}\n${allAssigned.map((k) => `out[${k}] = a${k};`).join('\n')}`);
  const obsExpr = model.observables.map((o) => simplify(expandRateOf(o.expr, rateOfFn, `observable ${o.name}`)));
  // Observables may reference other observables: inline them (no cycles allowed).
  const obsByName = new Map(obsNames.map((nm, i) => [nm, obsExpr[i]]));
  const inlineObs = (e: Expr, depth: number): Expr => {
    if (depth > 50) throw new ModelError('observables refer to each other in a cycle');
    const m = new Map<string, Expr>();
    for (const s of symbolsOf(e)) if (obsByName.has(s)) m.set(s, inlineObs(obsByName.get(s)!, depth + 1));
    return m.size ? substitute(e, m) : e;
  };
  const obsInlined = obsExpr.map((e) => inlineObs(e, 0));
  const observablesFn = make<CompiledModel['observables']>(['t', 'y', 'p', 'out'],
    `${assignedLines(neededAssigned(obsInlined))}\n${obsInlined.map((e, i) => `out[${i}] = ${js(e)};`).join('\n')}`);

  // --- init: combined order of states, computed parameters and assigned quantities.
  const stateInit = new Map(model.states.map((s) => [s.name, expandRateOf(s.initial, rateOfFn, `the initial value of ${s.name}`)]));
  const paramInit = new Map(model.parameters.filter((p) => p.initial).map((p) => [p.name, p.initial!]));
  const initLines: string[] = [];
  for (const name of vm.initialOrder) {
    const r = index.get(name)!;
    if (r.kind === 'state') initLines.push(`y[${r.index}] = ${js(simplify(stateInit.get(name)!))};`);
    else if (r.kind === 'parameter') initLines.push(`p[${r.index}] = ${js(simplify(paramInit.get(name)!))};`);
    else if (r.kind === 'assigned') initLines.push(`const a${r.index} = ${js(assignedByName.get(name)!)};`);
  }
  const init = make<CompiledModel['init']>(['t', 'p', 'y'], initLines.join('\n'));

  // --- roots: discontinuities in the rhs and relations in event triggers.
  const rootExprs: Expr[] = [];
  const rootKey = new Map<string, number>();
  const rootSources: { rhs: boolean; events: number[] }[] = [];
  const addRoot = (g: Expr, fromRhs: boolean, ev: number | undefined): number => {
    const key = formatExpr(g);
    let k = rootKey.get(key);
    if (k === undefined) {
      k = rootExprs.length;
      rootKey.set(key, k);
      rootExprs.push(g);
      rootSources.push({ rhs: false, events: [] });
    }
    if (fromRhs) rootSources[k].rhs = true;
    if (ev !== undefined && !rootSources[k].events.includes(ev)) rootSources[k].events.push(ev);
    return k;
  };
  if (opts.discontinuityRoots ?? true) {
    const rel: Expr[] = [];
    rates.forEach((r) => collectRelations(r, rel));
    rhsAssigned.forEach((k) => collectRelations(assignedExpr[k], rel));
    for (const g of rel) if ([...symbolsOf(g)].length > 0) addRoot(g, true, undefined);
  }
  const events: CompiledEvent[] = [];
  const triggerExprs: Expr[] = [];
  model.events.forEach((ev, k) => {
    const trig = simplify(expandRateOf(ev.trigger, rateOfFn, `the trigger of event ${ev.name}`));
    triggerExprs.push(trig);
    const rel: Expr[] = [];
    collectRelations(trig, rel);
    const roots = rel.map((g) => addRoot(g, false, k));
    // A trigger with no relation (e.g. a boolean parameter) is watched through a root on itself.
    if (rel.length === 0 && [...symbolsOf(trig)].length > 0) roots.push(addRoot(op('sub', trig, num(0.5)), false, k));
    events.push({
      name: ev.name, roots,
      hasDelay: ev.delay !== undefined, hasPriority: ev.priority !== undefined,
      initialValue: ev.initialValue ?? true, persistent: ev.persistent ?? true,
      useValuesFromTriggerTime: ev.useValuesFromTriggerTime ?? true, terminal: ev.terminal ?? false,
      targets: ev.assignments.map((a) => index.get(a.target)!),
    });
  });
  const rootsFn = make<CompiledModel['roots']>(['t', 'y', 'p', 'out'],
    `${assignedLines(neededAssigned(rootExprs))}\n${rootExprs.map((g, i) => `out[${i}] = ${js(g)};`).join('\n')}`);
  const eventTriggers = make<CompiledModel['eventTriggers']>(['t', 'y', 'p', 'out'],
    `${assignedLines(neededAssigned(triggerExprs))}\n${triggerExprs.map((g, i) => `out[${i}] = (${js(g)}) ? 1 : 0;`).join('\n')}`);
  const delayExprs = model.events.map((ev) => (ev.delay ? simplify(expandRateOf(ev.delay, rateOfFn, `the delay of event ${ev.name}`)) : num(0)));
  const eventDelays = make<CompiledModel['eventDelays']>(['t', 'y', 'p', 'out'],
    `${assignedLines(neededAssigned(delayExprs))}\n${delayExprs.map((g, i) => `out[${i}] = ${js(g)};`).join('\n')}`);
  const prioExprs = model.events.map((ev) => (ev.priority ? simplify(expandRateOf(ev.priority, rateOfFn, `the priority of event ${ev.name}`)) : num(-Infinity)));
  const eventPriorities = make<CompiledModel['eventPriorities']>(['t', 'y', 'p', 'out'],
    `${assignedLines(neededAssigned(prioExprs))}\n${prioExprs.map((g, i) => `out[${i}] = ${js(g)};`).join('\n')}`);
  const valueFns = model.events.map((ev) => {
    const ex = ev.assignments.map((a) => simplify(expandRateOf(a.expr, rateOfFn, `event ${ev.name}`)));
    return make<(t: number, y: Float64Array, p: Float64Array, out: Float64Array) => void>(['t', 'y', 'p', 'out'],
      `${assignedLines(neededAssigned(ex))}\n${ex.map((g, i) => `out[${i}] = ${js(g)};`).join('\n')}`);
  });
  const eventValues: CompiledModel['eventValues'] = (k, t, y, p, out) => valueFns[k](t, y, p, out);

  const p0 = Float64Array.from(model.parameters.map((p) => p.value));
  const nnz = jacPattern.colIdx.length;
  const problem = (p: Float64Array): OdeProblem => ({
    n,
    rhs: (t, y, dy) => rhs(t, y, p, dy),
    jac: (t, y, J) => jac(t, y, p, J),
    jacPattern,
    jacSparse: (t, y, v) => jacSparse(t, y, p, v),
  });
  void nnz;

  let delays: CompiledDelays | undefined;
  if (delayTerms.length > 0) {
    const xs = delayTerms.map((d) => simplify(expandRateOf(d.x, rateOfFn, 'a delayed expression')));
    const taus = delayTerms.map((d) => simplify(expandRateOf(d.tau, rateOfFn, 'a delay time')));
    delays = {
      n: delayTerms.length,
      params: delayTerms.map((d) => index.get(d.name)!.index),
      values: make<CompiledDelays['values']>(['t', 'y', 'p', 'out'], `${assignedLines(neededAssigned(xs))}\n${xs.map((g, i) => `out[${i}] = ${js(g)};`).join('\n')}`),
      taus: make<CompiledDelays['taus']>(['t', 'y', 'p', 'out'], `${assignedLines(neededAssigned(taus))}\n${taus.map((g, i) => `out[${i}] = ${js(g)};`).join('\n')}`),
    };
  }

  return {
    ...(delays ? { delays } : {}),
    hash, model: original, symbols, n, nParams: params.length, nAssigned: assignedNames.length, nObservables: obsNames.length, p0,
    atolScale: Float64Array.from(model.states, (s) => s.atolScale ?? 1),
    warnings: vm.warnings,
    init, rhs, jac, jacPattern, jacSparse, assigned: assignedFn, observables: observablesFn,
    nRoots: rootExprs.length, roots: rootsFn, rootSources,
    events, eventTriggers, eventDelays, eventPriorities, eventValues,
    problem,
  };
}
