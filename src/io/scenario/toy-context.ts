/**
 * `toy-cell`: a deliberately small demonstration context with the same interface as the
 * biology contexts — a passive membrane with one voltage-gated Ca²⁺ conductance, a Ca²⁺ pool,
 * a Ca²⁺-activated K⁺ conductance, a Ca²⁺-driven phosphorylation read-out and a blocker with
 * one-compartment oral kinetics. It accepts every protocol type, so scenario files, the command
 * line and the reports can be exercised end to end. None of its numbers describe a real cell:
 * every parameter is marked as an assumption.
 */
import { ModelBuilder } from '../../model/builder.js';
import type { Model } from '../../model/ir.js';
import { InputError } from '../errors.js';
import { type ContextEntry, type BuildRequest, contextFromFactory } from './registry.js';
import { PROTOCOL_TYPES, type ProtocolSpec } from './schema.js';

const TOY = 'illustrative value of the toy-cell demonstration context, not a measurement';

/** Resting extracellular K⁺ of the toy cell (mM). */
const K_REST = 5;
/** Most pulses a train may have in the toy model (each becomes a piece of a piecewise formula). */
const MAX_PIECES = 2000;

const fmt = (x: number): string => (Object.is(x, -0) ? '0' : String(x));

/**
 * A piecewise function of time: on [t0, t1) `level`, or a ramp from `level` to `to` for each
 * piece; `otherwise` elsewhere.
 */
function piecewiseOfTime(pieces: readonly { t0: number; t1: number; level: number; to?: number }[], otherwise: number): string {
  if (pieces.length === 0) return fmt(otherwise);
  const value = (p: { t0: number; t1: number; level: number; to?: number }): string =>
    p.to === undefined || p.to === p.level ? fmt(p.level) : `(${fmt(p.level)} + ${fmt((p.to - p.level) / (p.t1 - p.t0))} * (time - ${fmt(p.t0)}))`;
  const args = pieces.flatMap((p) => [value(p), `and(time >= ${fmt(p.t0)}, time < ${fmt(p.t1)})`]);
  return `piecewise(${args.join(', ')}, ${fmt(otherwise)})`;
}

function stimulus(p: ProtocolSpec | undefined): { vCommand?: string; current: string; kOut: string; doses: number[] } {
  const none = { current: '0', kOut: fmt(K_REST), doses: [] };
  if (!p) return none;
  switch (p.type) {
    case 'voltage-clamp': {
      let t = p.hold;
      const pieces = p.segments.map((s) => {
        const piece = { t0: t, t1: t + s.duration, level: s.voltage, ...(s.to !== undefined ? { to: s.to } : {}) };
        t += s.duration;
        return piece;
      });
      return { ...none, vCommand: piecewiseOfTime(pieces, p.holding) };
    }
    case 'current-steps': {
      let t = p.delay;
      const pieces = p.steps.map((s) => {
        const piece = { t0: t, t1: t + s.duration, level: s.amplitude };
        t += s.duration;
        return piece;
      });
      return { ...none, current: piecewiseOfTime(pieces, 0) };
    }
    case 'current-train': {
      if (p.count > MAX_PIECES) throw new InputError(`the toy-cell context takes at most ${MAX_PIECES} pulses (got ${p.count})`, undefined, 'protocol.count');
      const period = 1000 / p.frequency;
      const pieces = Array.from({ length: p.count }, (_, k) => ({ t0: p.start + k * period, t1: p.start + k * period + p.width, level: p.amplitude }));
      return { ...none, current: piecewiseOfTime(pieces, 0) };
    }
    case 'k-depolarisation': {
      const base = p.baseline ?? K_REST;
      return { ...none, kOut: piecewiseOfTime([{ t0: p.start, t1: p.start + p.duration, level: p.concentration }], base) };
    }
    case 'dosing':
      return { ...none, doses: [] };
  }
}

/** Builds the toy model for one request. */
function buildToy(req: BuildRequest): Model {
  const b = new ModelBuilder('toy-cell', { timeUnit: 'ms', description: 'toy-cell demonstration context' });
  const stim = stimulus(req.protocol);
  const scaleOf = (id: string): number => {
    const c = req.components[id];
    if (!c) return 1;
    return c.knockout ? 0 : (c.scale ?? 1);
  };
  const caScale = (req.preset === 'high-ca' ? 2 : 1) * scaleOf('ca');

  const cell = b.component('cell');
  cell.parameter('C', 100, { unit: 'pF', assumption: TOY, description: 'membrane capacitance' });
  cell.parameter('Ki', 140, { unit: 'mM', assumption: TOY, description: 'intracellular K⁺' });
  cell.assigned('Ko', stim.kOut, { unit: 'mM', description: 'extracellular K⁺ (protocol)' });
  cell.parameter('RTF', 26.7, { unit: 'mV', source: 'RT/F at 37 °C (physical constants)' });
  cell.assigned('EK', 'RTF * ln(Ko / Ki)', { unit: 'mV', description: 'K⁺ reversal potential (Nernst at 37 °C)' });
  cell.assigned('Istim', stim.current, { unit: 'pA', description: 'injected current (protocol)' });
  if (stim.vCommand !== undefined) {
    cell.assigned('V', stim.vCommand, { unit: 'mV', description: 'membrane potential (voltage clamp command)' });
  } else {
    cell.state('V', { initial: -75, unit: 'mV', description: 'membrane potential', assumption: TOY, rate: '(Istim - leak.I - ca.I - kca.I) / C' });
  }

  const leak = b.component('leak');
  leak.parameter('g', 5, { unit: 'nS', assumption: TOY });
  leak.parameter('fK', 0.8, { unit: 'dimensionless', assumption: TOY, description: 'K⁺ share of the leak conductance', bounds: [0, 1] });
  leak.assigned('I', 'g * (cell.V - fK * cell.EK)', { unit: 'pA' });

  const drug = b.component('drug');
  const fixed = req.compounds.find((c) => c.concentration !== undefined);
  const dosed = req.compounds.find((c) => c.regimen !== undefined);
  drug.parameter('IC50', 0.1, { unit: 'uM', assumption: TOY, description: 'blocker potency' });
  if (dosed?.regimen) {
    const r = dosed.regimen;
    drug.parameter('ka', 1 / 3.6e6, { unit: '1/ms', assumption: TOY, description: 'absorption rate (1/h)' });
    drug.parameter('ke', 0.1 / 3.6e6, { unit: '1/ms', assumption: TOY, description: 'elimination rate (0.1/h)' });
    drug.parameter('F', r.route === 'iv' ? 1 : 0.5, { unit: 'dimensionless', assumption: TOY, description: 'bioavailability' });
    drug.parameter('Vd', 100, { unit: 'L', assumption: TOY, description: 'volume of distribution' });
    drug.parameter('MW', 400, { unit: 'g/mol', assumption: TOY, description: 'molar mass' });
    drug.parameter('dose', r.dose, { unit: 'mg', description: 'dose per administration (scenario)' });
    drug.state('gut', { initial: 0, unit: 'mg', rate: '-ka * gut' });
    drug.state('conc', { initial: 0, unit: 'uM', rate: 'ka * F * gut / Vd / MW * 1000 - ke * conc' });
    const days = req.protocol?.type === 'dosing' ? req.protocol.days : 1;
    const n = r.count ?? Math.floor((days * 24) / r.interval) + 1;
    for (let k = 0; k < n; k++) {
      const t = k * r.interval * 3.6e6;
      if (t > days * 24 * 3.6e6) break;
      drug.event(`dose${k}`, { trigger: `time >= ${fmt(t)}`, assignments: { gut: 'gut + dose' }, initialValue: false });
    }
  } else {
    drug.parameter('conc', fixed?.concentration ?? 0, { unit: 'uM', description: 'free blocker concentration (scenario)' });
  }
  drug.assigned('block', 'conc / (conc + IC50)', { unit: 'dimensionless', description: 'fraction of Ca²⁺ channels blocked' });

  const ca = b.component('ca');
  ca.parameter('g', 2 * caScale, { unit: 'nS', assumption: TOY, description: 'maximal Ca²⁺ conductance' });
  ca.parameter('E', 60, { unit: 'mV', assumption: TOY });
  ca.parameter('Vh', -20, { unit: 'mV', assumption: TOY, description: 'half-activation potential' });
  ca.parameter('k', 6, { unit: 'mV', assumption: TOY, description: 'activation slope' });
  ca.parameter('tau', 1, { unit: 'ms', assumption: TOY, description: 'activation time constant' });
  ca.assigned('minf', '1 / (1 + exp(-(cell.V - Vh) / k))', { unit: 'dimensionless' });
  ca.state('m', { initial: 0, unit: 'dimensionless', rate: '(minf - m) / tau' });
  ca.assigned('I', 'g * (1 - drug.block) * m * (cell.V - E)', { unit: 'pA', description: 'Ca²⁺ current' });

  const pool = b.component('pool');
  pool.parameter('alpha', 1e-4, { unit: 'uM/(pA*ms)', assumption: TOY, description: 'current-to-concentration factor' });
  pool.parameter('rest', 0.05, { unit: 'uM', assumption: TOY });
  pool.parameter('tau', 50, { unit: 'ms', assumption: TOY, description: 'clearance time constant' });
  pool.state('Ca', { initial: 0.05, unit: 'uM', rate: '-alpha * ca.I - (Ca - rest) / tau' });

  const kca = b.component('kca');
  kca.parameter('g', 3 * scaleOf('kca'), { unit: 'nS', assumption: TOY });
  kca.parameter('Kd', 0.5, { unit: 'uM', assumption: TOY });
  kca.assigned('I', 'g * pool.Ca / (pool.Ca + Kd) * (cell.V - cell.EK)', { unit: 'pA', description: 'Ca²⁺-activated K⁺ current' });

  const sig = b.component('signal');
  sig.parameter('kon', 0.01 * scaleOf('signal'), { unit: '1/ms', assumption: TOY });
  sig.parameter('koff', 0.002, { unit: '1/ms', assumption: TOY });
  sig.parameter('K', 0.3, { unit: 'uM', assumption: TOY });
  sig.state('p', { initial: 0, unit: 'dimensionless', rate: 'kon * pool.Ca^2 / (pool.Ca^2 + K^2) * (1 - p) - koff * p', description: 'phosphorylated fraction' });

  b.root.observable('V', 'cell.V', { unit: 'mV', description: 'membrane potential' });
  b.root.observable('ICa', 'ca.I', { unit: 'pA', description: 'Ca²⁺ current' });
  b.root.observable('Ca', 'pool.Ca', { unit: 'uM', description: 'cytosolic Ca²⁺' });
  b.root.observable('drug', 'drug.conc', { unit: 'uM', description: 'free blocker concentration' });
  b.root.observable('block', 'drug.block', { unit: 'dimensionless', description: 'fraction of Ca²⁺ channels blocked' });
  b.root.observable('pSignal', 'signal.p', { unit: 'dimensionless', description: 'phosphorylated fraction of the read-out' });
  return b.build();
}

/** The `toy-cell` demonstration context. */
export function toyContext(): ContextEntry {
  return contextFromFactory({
    id: 'toy-cell',
    description: 'demonstration cell (one Ca²⁺ conductance, Ca²⁺ pool, KCa, a phosphorylation read-out, a blocker); illustrative numbers only',
    presets: [
      { id: 'default', description: 'baseline toy cell' },
      { id: 'high-ca', description: 'twice the Ca²⁺ conductance' },
    ],
    components: ['ca', 'kca', 'signal'],
    protocols: PROTOCOL_TYPES,
    compounds: ['toy-blocker'],
    build: buildToy,
  });
}
