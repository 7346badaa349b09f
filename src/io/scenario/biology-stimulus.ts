/**
 * How a scenario's protocol reaches a built-in cell model:
 * - voltage clamp, current steps and current trains become a protocol of the protocols layer
 *   (steps, ramps, prepulses, trains), whose stimulus values are parameters (`stim.*`);
 * - K⁺ depolarisation becomes a time course of the bath K⁺: `env.K_o` stays the resting
 *   (baseline) value and the model reads `env.K_bath`, which is `stim.K_o` from `stim.K_start`
 *   to `stim.K_end` and `env.K_o` otherwise (E_K and every K⁺-dependent current follow it);
 * - a dosing regimen becomes the free concentration of the pharmacology layer's PK model
 *   (free brain concentration for the neuron, free plasma concentration for vascular smooth
 *   muscle), sampled every 15 min and joined linearly, that binds the channels in place of the
 *   fixed concentration parameter.
 *
 * Units: the scenario gives currents in pA and drug concentrations in µM; the protocols layer
 * takes nA and the binding model nM.
 */
import { type Expr, TIME, num, op, parseExpr, substitute, sym } from '../../math/index.js';
import type { AssignedDef, Model, ParameterDef } from '../../model/ir.js';
import { type PkParameters, grid, simulatePk } from '../../pharmacology/pk.js';
import { protocolInputs, type ProtocolInputs } from '../../protocols/apply.js';
import { ProtocolError } from '../../protocols/errors.js';
import type { Protocol, VoltageSegment } from '../../protocols/protocol.js';
import { RequestError } from './registry.js';
import { type ProtocolSpec, type RegimenSpec, protocolDuration } from './schema.js';

/** PK samples per hour of a dosing protocol (every 15 min, as the default study samples a day). */
export const PK_SAMPLES_PER_HOUR = 4;
/** Most PK samples of one run (a longer regimen is sampled more coarsely). */
export const MAX_PK_SAMPLES = 4096;
const MS_PER_HOUR = 3.6e6;

/** A K⁺ application: raised to `concentration` (mM) from `start` to `end` (ms). */
export interface KApplication {
  readonly concentration: number;
  readonly baseline?: number;
  readonly start: number;
  readonly end: number;
}

/** The scenario protocol in the terms of the protocols layer. */
export interface MappedStimulus {
  /** Clamp and stimulus structure (bath unchanged). */
  readonly protocol: Protocol;
  readonly inputs: ProtocolInputs;
  readonly k?: KApplication;
  /** Days of a dosing protocol. */
  readonly dosingDays?: number;
}

/**
 * Maps a scenario protocol onto the protocols layer. `clampOnly` is set for contexts that are
 * voltage-clamped only (a missing protocol is then an error).
 * @throws RequestError at the protocol field when it cannot be applied.
 */
export function mapStimulus(p: ProtocolSpec | undefined, duration: number | undefined, contextId: string, voltageOnly: boolean): MappedStimulus {
  const natural = protocolDuration(p) ?? 0;
  const total = Math.max(duration ?? natural, natural, 1e-9);
  if (!p) {
    if (voltageOnly) throw new RequestError(`context '${contextId}' needs a protocol`, ['protocol'], "it is voltage-clamped: give a 'voltage-clamp' protocol");
    return done({ clamp: { kind: 'current-clamp' }, duration: total });
  }
  switch (p.type) {
    case 'voltage-clamp': {
      const segments: VoltageSegment[] = p.segments.map((s) => ({ duration: s.duration, level: s.voltage, ...(s.to !== undefined ? { to: s.to } : {}) }));
      return done({ clamp: { kind: 'voltage-clamp', holding: p.holding, start: p.hold, segments }, duration: total });
    }
    case 'current-steps': {
      let t = p.delay;
      const steps = p.steps.map((s) => {
        const step = { start: t, duration: s.duration, amplitude: s.amplitude / 1000 };
        t += s.duration;
        return step;
      });
      return done({ clamp: { kind: 'current-clamp', steps }, duration: total });
    }
    case 'current-train':
      return done({ clamp: { kind: 'current-clamp', trains: [{ start: p.start, frequency: p.frequency, count: p.count, width: p.width, amplitude: p.amplitude / 1000 }] }, duration: total });
    case 'k-depolarisation':
      return done({ clamp: { kind: 'current-clamp' }, duration: total }, {
        k: { concentration: p.concentration, ...(p.baseline !== undefined ? { baseline: p.baseline } : {}), start: p.start, end: p.start + p.duration },
      });
    case 'dosing':
      return done({ clamp: { kind: 'current-clamp' }, duration: total }, { dosingDays: p.days });
  }
}

function done(protocol: Protocol, extra: { k?: KApplication; dosingDays?: number } = {}): MappedStimulus {
  let inputs: ProtocolInputs;
  try {
    inputs = protocolInputs(protocol);
  } catch (e) {
    if (e instanceof ProtocolError) throw new RequestError(e.message.replace(/^protocol field [^:]+: /, ''), ['protocol']);
    throw e;
  }
  return { protocol, inputs, ...extra };
}

/**
 * Parameters that set when the stimulus changes. Their values come from the protocol fields,
 * which also give the integrator its stop times, so they are not settable on their own.
 */
export function isStimulusTime(name: string): boolean {
  return /^stim\.(t\d+|(step|train)\d+_(start|dur|period|width|count)|K_start|K_end)$/.test(name);
}

/** Parameter values that switch the stimulus off, for settling at rest or at the holding potential. */
export function restValues(inputs: ProtocolInputs, get: (name: string) => number): Record<string, number> {
  const rest: Record<string, number> = {};
  if (inputs.input.clamp === 'voltage') {
    const S = inputs.input.segments ?? 1;
    const holding = get('stim.v0');
    rest['stim.s0'] = 0;
    for (let k = 1; k < S; k++) {
      rest[`stim.v${k}`] = holding;
      rest[`stim.s${k}`] = 0;
    }
  } else {
    for (let k = 0; k < (inputs.input.steps ?? 0); k++) rest[`stim.step${k}_amp`] = 0;
    for (let k = 0; k < (inputs.input.trains ?? 0); k++) rest[`stim.train${k}_amp`] = 0;
  }
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Model edits

/** Replaces references to `name` in every formula of the model (not in initial values, which hold at the start). */
function replaceSymbol(m: Model, name: string, by: Expr, keep: string): Model {
  const map = new Map([[name, by]]);
  const sub = (e: Expr): Expr => substitute(e, map);
  return {
    ...m,
    states: m.states.map((s) => ({ ...s, rate: sub(s.rate) })),
    assigned: m.assigned.map((a) => (a.name === keep ? a : { ...a, expr: sub(a.expr) })),
    observables: m.observables.map((o) => ({ ...o, expr: sub(o.expr) })),
    events: m.events.map((ev) => ({ ...ev, trigger: sub(ev.trigger), assignments: ev.assignments.map((a) => ({ ...a, expr: sub(a.expr) })) })),
  };
}

/**
 * Makes the bath K⁺ follow a K⁺ application: adds `stim.K_o`, `stim.K_start`, `stim.K_end` and
 * `env.K_bath`, and points every formula that read `env.K_o` to `env.K_bath`.
 */
export function withKApplication(m: Model, k: KApplication): Model {
  if (!m.parameters.some((p) => p.name === 'env.K_o')) throw new Error(`model '${m.name}' has no env.K_o`);
  const params: ParameterDef[] = [
    { name: 'stim.K_o', value: k.concentration, unit: 'mM', component: 'stim', bounds: [Number.MIN_VALUE, Infinity], description: 'extracellular K⁺ during the application', provenance: { assumption: 'set by the protocol' } },
    { name: 'stim.K_start', value: k.start, unit: 'ms', component: 'stim', description: 'start of the K⁺ application', provenance: { assumption: 'set by the protocol' } },
    { name: 'stim.K_end', value: k.end, unit: 'ms', component: 'stim', description: 'end of the K⁺ application', provenance: { assumption: 'set by the protocol' } },
  ];
  const bath: AssignedDef = {
    name: 'env.K_bath', component: 'env', unit: 'mM', description: 'extracellular K⁺ now: the applied level during the application, the resting level (env.K_o) otherwise',
    expr: parseExpr('piecewise(stim.K_o, and(time >= stim.K_start, time < stim.K_end), env.K_o)'),
  };
  const edited = replaceSymbol(m, 'env.K_o', sym('env.K_bath'), 'env.K_bath');
  return { ...edited, parameters: [...edited.parameters, ...params], assigned: [...edited.assigned, bath] };
}

/**
 * A piecewise-linear function of time through (t[i], y[i]) as a balanced tree of `piecewise`
 * (depth log₂ n, so its cost per evaluation stays small for thousands of samples); constant
 * before the first and after the last sample.
 */
export function piecewiseLinear(t: readonly number[], y: readonly number[]): Expr {
  const n = t.length;
  if (n === 0) return num(0);
  if (n === 1) return num(y[0]);
  const segment = (i: number): Expr => {
    const slope = (y[i + 1] - y[i]) / (t[i + 1] - t[i]);
    return slope === 0 || !Number.isFinite(slope) ? num(y[i]) : op('add', num(y[i]), op('mul', num(slope), op('sub', sym(TIME), num(t[i]))));
  };
  const build = (lo: number, hi: number): Expr => {
    if (hi - lo === 1) return segment(lo);
    const mid = (lo + hi) >> 1;
    return op('piecewise', build(lo, mid), op('lt', sym(TIME), num(t[mid])), build(mid, hi));
  };
  return op('piecewise', num(y[0]), op('lt', sym(TIME), num(t[0])), build(0, n - 1), op('lt', sym(TIME), num(t[n - 1])), num(y[n - 1]));
}

/** One dosed compound: its sampled free concentration and the binding parameters it feeds. */
export interface DosedCompound {
  readonly id: string;
  /** Sample times (ms) and free concentrations (nM) at the channels. */
  readonly t: readonly number[];
  readonly c_nM: readonly number[];
  /** Binding-model concentration parameters and the fraction of the compound each receives. */
  readonly fractions: Readonly<Record<string, number>>;
}

/** The name of a compound in model symbols (letters, digits and `_` only). */
export const compoundSymbol = (id: string): string => id.replace(/[^A-Za-z0-9]/g, '_');

/**
 * Samples the free concentration of a regimen over `days` (every 15 min, at most
 * {@link MAX_PK_SAMPLES} samples). `site` chooses free brain or free plasma concentration.
 * @throws RequestError at the regimen for routes the PK models do not have.
 */
export function sampleRegimen(pk: PkParameters, r: RegimenSpec, days: number, site: 'brain' | 'plasma', field: readonly (string | number)[]): { t: number[]; c_nM: number[] } {
  if (r.route !== 'oral') throw new RequestError(`the PK models describe oral dosing only, not '${r.route}'`, [...field, 'route'], "use route: oral, or a fixed 'concentration'");
  const hours = days * 24;
  const count = r.count ?? Math.max(1, Math.ceil(hours / r.interval - 1e-9));
  const n = Math.max(2, Math.min(MAX_PK_SAMPLES, Math.ceil(hours * PK_SAMPLES_PER_HOUR)));
  const prof = simulatePk(pk, { kind: 'repeated', dose_mg: r.dose, interval_h: r.interval, count }, { times_h: grid(0, hours, n) });
  const c = site === 'brain' ? prof.brainFree_nM : prof.plasmaFree_nM;
  return { t: Array.from(prof.t_h, (h) => h * MS_PER_HOUR), c_nM: Array.from(c) };
}

/**
 * Drives the binding model's concentration parameters with the dosed compounds: each parameter
 * becomes `fixed + Σ fraction·C(t)` through an assigned quantity `dose.<compound>_nM` per
 * compound (the parameter is removed; its fixed part, from compounds at a fixed concentration,
 * stays as a number). Initial values use the concentrations at t = 0.
 */
export function withDosing(m: Model, dosed: readonly DosedCompound[], fixed: Readonly<Record<string, number>>): Model {
  const assigned: AssignedDef[] = dosed.map((d) => ({
    name: `dose.${compoundSymbol(d.id)}_nM`, component: 'dose', unit: 'nM',
    description: `free concentration of ${d.id} at the channels (PK model, sampled every ${60 / PK_SAMPLES_PER_HOUR} min and joined linearly)`,
    expr: piecewiseLinear(d.t, d.c_nM),
  }));
  const targets = new Set(dosed.flatMap((d) => Object.keys(d.fractions)));
  const now = new Map<string, Expr>();
  const atStart = new Map<string, Expr>();
  for (const name of targets) {
    let terms: Expr[] = [];
    let start = fixed[name] ?? 0;
    for (const d of dosed) {
      const f = d.fractions[name] ?? 0;
      if (f === 0) continue;
      terms.push(op('mul', num(f), sym(`dose.${compoundSymbol(d.id)}_nM`)));
      start += f * d.c_nM[0];
    }
    if (fixed[name]) terms = [num(fixed[name]), ...terms];
    now.set(name, terms.length === 1 ? terms[0] : op('add', ...terms));
    atStart.set(name, num(start));
  }
  const sub = (e: Expr): Expr => substitute(e, now);
  return {
    ...m,
    parameters: m.parameters.filter((p) => !targets.has(p.name)),
    states: m.states.map((s) => ({ ...s, initial: substitute(s.initial, atStart), rate: sub(s.rate) })),
    assigned: [...m.assigned.map((a) => ({ ...a, expr: sub(a.expr) })), ...assigned],
    observables: m.observables.map((o) => ({ ...o, expr: sub(o.expr) })),
    events: m.events.map((ev) => ({ ...ev, trigger: sub(ev.trigger), assignments: ev.assignments.map((a) => ({ ...a, expr: sub(a.expr) })) })),
  };
}
