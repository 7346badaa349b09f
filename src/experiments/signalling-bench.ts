/**
 * Benchmarks of the CA1 cell with the signalling attached (figures printed by
 * `ltcc bench cell`, never asserted in tests):
 * - 10 simulated minutes of 5 Hz firing (2 ms, 2 nA current pulses) in the young cell;
 * - 60 minutes after a 3-minute 40 mM K⁺ depolarisation.
 * Compilation and settling are excluded from the timed part. Besides wall time, steps and
 * right-hand-side evaluations, each row says how the stiff solver copes with the time scales:
 * the Jacobian sparsity, and for the firing case the step sizes within and between spikes
 * (measured on the last second of the run).
 */
import { compile } from '../compile/compile.js';
import { buildCell } from '../biology/contexts.js';
import { attachSignalling } from '../biology/signalling/attach.js';
import { protocolInputs } from '../protocols/apply.js';
import { pulseTrain } from '../protocols/protocol.js';
import { setParam } from '../protocols/run.js';
import { simulate, stateTolerances } from '../solve/simulate.js';
import { solve } from '../solve/solve.js';
import { type RetCode, isSuccessful } from '../solve/types.js';
import type { CellBenchRow } from './cell-bench.js';
import { AP_PULSE } from './cell.js';
import { spikeTimes } from './readouts.js';
import { MINUTE, runSignalling, signallingModel } from './signalling.js';

/** A benchmark row with notes on how the solver handled the time scales. */
export interface SignallingBenchRow extends CellBenchRow {
  /** One line per observation (step sizes, Jacobian sparsity, pCREB reached). */
  readonly notes: readonly string[];
}

export interface SignallingBenchOptions {
  /** Simulated minutes of 5 Hz firing (default 10). */
  firingMinutes?: number;
  /** Minutes after the 3-min K⁺ depolarisation (default 60). */
  afterMinutes?: number;
  /** Repeats of each timed run (median reported; default 1 because the runs are long). */
  repeats?: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU time of this process (ms), where the platform has it: wall time alone misleads on a shared machine. */
const cpuMs = (): number => (typeof process !== 'undefined' && typeof process.cpuUsage === 'function' ? (process.cpuUsage().user + process.cpuUsage().system) / 1000 : NaN);
const fmt = (x: number): string => (x >= 1 ? x.toFixed(1) : x.toPrecision(2));

function sparsity(n: number, nnz: number): string {
  return `Jacobian ${n}×${n}, ${nnz} structural non-zeros (${((100 * nnz) / (n * n)).toFixed(1)} % dense, analytic)`;
}

/** 10 minutes (by default) of 5 Hz firing in the young CA1 cell with all signalling. */
export function benchFiringSignalling(rtol = 1e-6, atol = 1e-8, o: SignallingBenchOptions = {}): SignallingBenchRow {
  const minutes = o.firingMinutes ?? 10;
  const duration = minutes * MINUTE;
  const hz = 5;
  const start = 100;
  const count = Math.floor(((duration - start) * hz) / 1000) - 1;
  const prot = { ...pulseTrain(hz, count, AP_PULSE.amplitude, AP_PULSE.width, start, 0), duration };
  const ins = protocolInputs(prot);
  const t0 = performance.now();
  const cell = buildCell({ context: 'ca1', preset: 'young', input: ins.input });
  const cm = compile(attachSignalling(cell.model), { discontinuityRoots: false, noCache: true });
  const compileMs = performance.now() - t0;
  const par = new Float64Array(cm.p0);
  const rest = new Float64Array(par);
  for (const [k, v] of Object.entries(ins.rest)) setParam(cm, rest, k, v);
  for (const [k, v] of Object.entries(ins.stimulus)) setParam(cm, par, k, v);
  const settle = simulate(cm, { tEnd: 60 * MINUTE, p: rest, saveAt: [60 * MINUTE], rtol, atol, recordDerived: false });
  const y0 = settle.y.slice(settle.y.length - cm.n);
  const saveAt = Float64Array.from({ length: Math.floor(duration / 1000) + 1 }, (_, k) => Math.min(k * 1000, duration));
  const iP = cm.symbols.index.get('sig.creb.pS133')!.index;
  const runs = Array.from({ length: Math.max(1, o.repeats ?? 1) }, () => {
    const s = performance.now();
    const c = cpuMs();
    const r = simulate(cm, { tEnd: duration, p: par, y0, saveAt, rtol, atol, tstops: ins.tstops, recordDerived: false, maxSteps: 100_000_000 });
    return { ms: performance.now() - s, cpu: cpuMs() - c, r };
  });
  const last = runs[runs.length - 1].r;
  const notes: string[] = [`CPU time ${(median(runs.map((x) => x.cpu)) / 1000).toFixed(1)} s (wall ${(median(runs.map((x) => x.ms)) / 1000).toFixed(1)} s)`, sparsity(cm.n, cm.jacPattern.colIdx.length)];
  if (!isSuccessful(last.retcode)) notes.push(`stopped at t = ${(last.tReached / 1000).toFixed(1)} s: ${last.message}`);
  let spikes: number | undefined;
  if (isSuccessful(last.retcode) && last.t.length > 1) {
    // Step sizes over the last second (5 spikes): every accepted step, from the state at t − 1 s.
    const ta = duration - 1000;
    const ka = last.t.findIndex((x) => x >= ta);
    const ya = last.y.slice(ka * cm.n, (ka + 1) * cm.n);
    const stops = ins.tstops.filter((x) => x > ta && x < duration);
    const s = solve(cm.problem(par), ya, { t0: ta, tEnd: duration, rtol, atol: stateTolerances(cm, atol), tstops: stops, saveEverystep: true });
    const iV = cm.symbols.index.get('mem.V')!.index;
    const V = Float64Array.from(s.t, (_, k) => s.y[k * cm.n + iV]);
    const sp = spikeTimes(s.t, V, 0);
    spikes = Math.round((sp.length * (duration - start)) / 1000);
    const within: number[] = [];
    const between: number[] = [];
    for (let k = 1; k < s.t.length; k++) {
      const h = s.t[k] - s.t[k - 1];
      if (h <= 0) continue;
      const near = sp.some((ts) => s.t[k] > ts - 5 && s.t[k - 1] < ts + 20);
      (near ? within : between).push(h);
    }
    notes.push(`last second: ${s.stats.steps} steps for ${sp.length} spikes (${(s.stats.steps / Math.max(1, sp.length)).toFixed(0)} per spike period); steps within 5 ms before to 20 ms after a spike: ${within.length}, median ${fmt(median(within))} ms, smallest ${fmt(Math.min(...within))} ms; between spikes: ${between.length}, median ${fmt(median(between))} ms, largest ${fmt(Math.max(...between))} ms`);
    notes.push(`spike count extrapolated from the last second (${sp.length} spikes/s); pCREB ${last.y[(last.t.length - 1) * cm.n + iP].toFixed(3)} at the end (rest ${y0[iP].toFixed(3)})`);
  }
  return {
    name: `ca1 young + signalling, ${minutes} min at 5 Hz (current pulses)`, simulatedMs: duration, wallMs: median(runs.map((x) => x.ms)), compileMs,
    steps: last.stats.steps, rejected: last.stats.rejected, nf: last.stats.nf, nJ: last.stats.nJ, states: cm.n,
    ...(spikes !== undefined ? { spikes } : {}), retcode: last.retcode as RetCode, rtol, atol, notes,
  };
}

/** 60 minutes (by default) after a 3-minute 40 mM K⁺ depolarisation, young CA1 cell with signalling. */
export function benchDepolarisationSignalling(rtol = 1e-6, atol = 1e-8, o: SignallingBenchOptions = {}): SignallingBenchRow {
  const after = o.afterMinutes ?? 60;
  const t0 = performance.now();
  const cm = signallingModel('ca1', 'young');
  const compileMs = performance.now() - t0;
  const spec = { driver: 'ca1' as const, depolarisation: { duration: 3 * MINUTE, kMM: 40 }, tEnd: (3 + after) * MINUTE, saveEvery: 10_000, rtol, atol };
  runSignalling(spec); // settles (cached) outside the timed runs
  const c0 = cpuMs();
  const runs = Array.from({ length: Math.max(1, o.repeats ?? 1) }, () => runSignalling(spec));
  const cpu = (cpuMs() - c0) / runs.length;
  const last = runs[runs.length - 1];
  const pc = last.readout('pCREB');
  const cf = last.readout('cfos');
  let kc = 0;
  for (let k = 0; k < cf.length; k++) if (cf[k] > cf[kc]) kc = k;
  return {
    name: `ca1 young + signalling, 3 min 40 mM K⁺ then ${after} min`, simulatedMs: (3 + after) * MINUTE, wallMs: median(runs.map((r) => r.wallMs)), compileMs,
    steps: last.stats.steps, rejected: last.stats.rejected, nf: last.stats.nf, nJ: last.stats.nJ, states: cm.n, retcode: 'Success' as RetCode, rtol, atol,
    notes: [
      `CPU time ${(cpu / 1000).toFixed(2)} s per run`,
      sparsity(cm.n, cm.jacPattern.colIdx.length),
      `mean step ${(last.spec.tEnd / Math.max(1, last.stats.steps) / 1000).toFixed(2)} s over ${last.stats.steps} steps (the depolarisation, its end and the return to rest are integrated as separate segments)`,
      `pCREB ${pc[0].toFixed(3)} → ${Math.max(...pc).toFixed(3)} (peak) → ${pc[pc.length - 1].toFixed(3)} at the end; c-fos mRNA ×${(cf[kc] / cf[0]).toFixed(0)} at ${(last.t[kc] / MINUTE).toFixed(0)} min`,
    ],
  };
}

/** The signalling cases of `ltcc bench cell`. */
export function signallingBenchCases(rtol = 1e-6, atol = 1e-8, o: SignallingBenchOptions = {}): SignallingBenchRow[] {
  return [benchFiringSignalling(rtol, atol, o), benchDepolarisationSignalling(rtol, atol, o)];
}
