/**
 * Cell benchmarks (figures printed by `ltcc bench cell`, never asserted in tests):
 * - the young CA1 cell firing at 5 Hz (2 ms current pulses) for 10 simulated seconds;
 * - a 10-step voltage-clamp I–V family (−40 … +50 mV) of Cav1.3 in the heterologous context.
 * Compilation and settling are excluded from the timed part; the median of repeats is reported.
 */
import { compile } from '../compile/compile.js';
import { simulate } from '../solve/simulate.js';
import { type RetCode, isSuccessful } from '../solve/types.js';
import { buildCell, type CellSpec } from '../biology/contexts.js';
import { protocolInputs } from '../protocols/apply.js';
import { type Protocol, pulseTrain, stepFamily } from '../protocols/protocol.js';
import { setParam } from '../protocols/run.js';
import { spikeTimes } from './readouts.js';
import { AP_PULSE } from './cell.js';
import { cellToNmodl } from './cell-nmodl.js';

export interface CellBenchRow {
  readonly name: string;
  readonly simulatedMs: number;
  /** Median wall time of the solve (ms). */
  readonly wallMs: number;
  readonly compileMs: number;
  readonly steps: number;
  readonly rejected: number;
  readonly nf: number;
  readonly nJ: number;
  readonly states: number;
  readonly spikes?: number;
  readonly retcode: RetCode;
  readonly rtol: number;
  readonly atol: number;
}

interface Prepared {
  cm: import('../compile/compiled.js').CompiledModel;
  p: Float64Array;
  y0: Float64Array;
  run(): { wallMs: number; steps: number; rejected: number; nf: number; nJ: number; retcode: RetCode; t: Float64Array; y: Float64Array };
  compileMs: number;
  n: number;
  vIndex: number;
}

function prepare(spec: Omit<CellSpec, 'input'>, p: Protocol, rtol: number, atol: number, dt: number): Prepared {
  const ins = protocolInputs(p);
  const t0 = performance.now();
  const cell = buildCell({ ...spec, input: ins.input, overrides: { ...(spec.overrides ?? {}), ...ins.bath } });
  const cm = compile(cell.model, { discontinuityRoots: false, noCache: true });
  const compileMs = performance.now() - t0;
  const par = new Float64Array(cm.p0);
  const rest = new Float64Array(par);
  for (const [k, v] of Object.entries(ins.rest)) setParam(cm, rest, k, v);
  for (const [k, v] of Object.entries(ins.stimulus)) setParam(cm, par, k, v);
  const settle = simulate(cm, { tEnd: p.settle ?? (ins.input.clamp === 'current' ? 3000 : 500), p: rest, nOut: 1, rtol, atol, recordDerived: false });
  const y0 = settle.y.slice(settle.y.length - cm.n);
  const n = Math.floor(p.duration / dt);
  const saveAt = Float64Array.from({ length: n + 1 }, (_, i) => Math.min(i * dt, p.duration));
  const vRef = cm.symbols.index.get('mem.V');
  return {
    cm, p: par, y0, compileMs, n: cm.n, vIndex: vRef?.kind === 'state' ? vRef.index : -1,
    run() {
      const s = performance.now();
      const r = simulate(cm, { tEnd: p.duration, p: par, y0, saveAt, rtol, atol, tstops: ins.tstops, recordDerived: false });
      return { wallMs: performance.now() - s, steps: r.stats.steps, rejected: r.stats.rejected, nf: r.stats.nf, nJ: r.stats.nJ, retcode: r.retcode, t: r.t, y: r.y };
    },
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What the NEURON comparison needs to rebuild the same run. */
export interface FiringExport {
  readonly nmodl: string;
  /** Settled starting potential (mV). */
  readonly v0: number;
  /** Membrane area (cm²). */
  readonly area: number;
  /** Scale of the absolute tolerance of V (its `atolScale`), for the same tolerances in NEURON. */
  readonly vAtolScale: number;
  readonly pulses: { readonly start: number; readonly width: number; readonly amplitude: number; readonly period: number; readonly count: number };
}

/** The 5 Hz firing benchmark; also returns the spike times (and the NMODL export) for comparison with NEURON. */
export function benchFiring(rtol = 1e-6, atol = 1e-8, repeats = 3): CellBenchRow & { spikeTimes: number[]; neuron: FiringExport } {
  const p = pulseTrain(5, 50, AP_PULSE.amplitude, AP_PULSE.width, 0, 0);
  const prot: Protocol = { ...p, duration: 10_000 };
  const prep = prepare({ context: 'ca1', preset: 'young' }, prot, rtol, atol, 0.1);
  const runs = Array.from({ length: repeats }, () => prep.run());
  const last = runs[runs.length - 1];
  const V = new Float64Array(last.t.length);
  for (let k = 0; k < V.length; k++) V[k] = last.y[k * prep.n + prep.vIndex];
  const spikes = spikeTimes(last.t, V, 0);
  return {
    name: 'ca1 young, 10 s at 5 Hz (current pulses)', simulatedMs: 10_000, wallMs: median(runs.map((r) => r.wallMs)), compileMs: prep.compileMs,
    steps: last.steps, rejected: last.rejected, nf: last.nf, nJ: last.nJ, states: prep.n, spikes: spikes.length, spikeTimes: spikes, retcode: last.retcode, rtol, atol,
    neuron: {
      nmodl: cellToNmodl(prep.cm, prep.p, prep.y0), v0: prep.y0[prep.vIndex], area: prep.p[prep.cm.symbols.index.get('mem.area')!.index],
      vAtolScale: prep.cm.atolScale[prep.vIndex],
      pulses: { start: 0, width: AP_PULSE.width, amplitude: AP_PULSE.amplitude, period: 200, count: 50 },
    },
  };
}

/** The 10-step I–V family benchmark (one compiled model, ten solves). */
export function benchIvFamily(rtol = 1e-6, atol = 1e-8, repeats = 3): CellBenchRow {
  const levels = Array.from({ length: 10 }, (_, k) => -40 + 10 * k);
  const fam = stepFamily(-80, levels, 50, 10, 10);
  const preps = fam.map((p) => prepare({ context: 'heterologous', isoform: 'cav13' }, p, rtol, atol, 0.05));
  const totals: number[] = [];
  let steps = 0, rejected = 0, nf = 0, nJ = 0;
  let ok = true;
  let retcode = 'Success' as RetCode;
  for (let r = 0; r < repeats; r++) {
    let ms = 0;
    steps = 0; rejected = 0; nf = 0; nJ = 0;
    for (const pr of preps) {
      const x = pr.run();
      ms += x.wallMs; steps += x.steps; rejected += x.rejected; nf += x.nf; nJ += x.nJ;
      if (!isSuccessful(x.retcode)) { ok = false; retcode = x.retcode; }
    }
    totals.push(ms);
  }
  return {
    name: 'heterologous Cav1.3, 10-step I–V family (−40…+50 mV, 70 ms each)', simulatedMs: 700, wallMs: median(totals), compileMs: preps[0].compileMs,
    steps, rejected, nf, nJ, states: preps[0].n, retcode: ok ? ('Success' as RetCode) : retcode, rtol, atol,
  };
}
