/**
 * Benchmarks of the CA1 cell with the signalling attached (figures printed by
 * `ltcc bench cell`, never asserted in tests):
 * - 10 simulated minutes of 5 Hz firing (2 ms, 2 nA current pulses) in the young cell;
 * - 60 minutes after a 3-minute 40 mM K⁺ depolarisation.
 * Compilation and settling are excluded from the timed part. Besides wall time, steps and
 * right-hand-side evaluations, each row says how the stiff solver copes with the time scales:
 * the Jacobian sparsity, and for the firing case the step sizes within and between spikes
 * (measured on the last five periods of the train).
 */
import { compile } from '../compile/compile.js';
import { buildCell } from '../biology/contexts.js';
import { attachSignalling } from '../biology/signalling/attach.js';
import { protocolInputs } from '../protocols/apply.js';
import { pulseTrain } from '../protocols/protocol.js';
import { setParam } from '../protocols/run.js';
import { simulate, stateTolerances } from '../solve/simulate.js';
import { solve } from '../solve/solve.js';
import { solveEnvelope } from '../solve/envelope.js';
import { type RetCode, addStats, isSuccessful } from '../solve/types.js';
import type { CellBenchRow } from './cell-bench.js';
import { AP_PULSE } from './cell.js';
import { spikeCount, spikeTimes } from './readouts.js';
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

/** Phase-0 samples of one run, for comparing runs: the state at the start of every period. */
interface PhaseSamples {
  readonly y: Float64Array;
  readonly count: number;
}

/**
 * 10 minutes (by default) of 5 Hz firing in the young CA1 cell with all signalling, three ways:
 * integrated in full at the benchmark tolerances (the reference), integrated in full at the
 * looser tolerances of `loose` (default rtol 1e-4, atol 1e-6), and by envelope following
 * (`solveEnvelope`) with the looser tolerances inside the periods. The pulses cover the run
 * from 100 ms to the last whole period. The last two rows report their differences from the
 * reference at the start of every period: pCREB, the largest weighted difference of the whole
 * state at the end, and the spikes.
 */
export function benchFiringSignallingRows(rtol = 1e-6, atol = 1e-8, o: SignallingBenchOptions & { loose?: { rtol: number; atol: number }; envelopeRtol?: number } = {}): SignallingBenchRow[] {
  const minutes = o.firingMinutes ?? 10;
  const duration = minutes * MINUTE;
  const hz = 5;
  const T = 1000 / hz;
  const start = 100;
  const K = Math.floor((duration - start) / T);
  const trainEnd = start + K * T;
  const prot = { ...pulseTrain(hz, K, AP_PULSE.amplitude, AP_PULSE.width, start, 0), duration };
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
  const iP = cm.symbols.index.get('sig.creb.pS133')!.index;
  const iV = cm.symbols.index.get('mem.V')!.index;
  const problem = cm.problem(par);
  const phases = Float64Array.from({ length: K + 1 }, (_, k) => start + k * T);
  const jac = sparsity(cm.n, cm.jacPattern.colIdx.length);
  const repeats = Math.max(1, o.repeats ?? 1);

  /** One run integrated in full: the state at every period start, and the end. */
  const fullRun = (rt: number, at: number) => {
    const runs = Array.from({ length: repeats }, () => {
      const s = performance.now();
      const c = cpuMs();
      const r = solve(problem, y0, { t0: 0, tEnd: duration, rtol: rt, atol: stateTolerances(cm, at), tstops: ins.tstops, saveAt: phases, maxSteps: 100_000_000 });
      return { ms: performance.now() - s, cpu: cpuMs() - c, r };
    });
    const r = runs[runs.length - 1].r;
    return { r, ms: median(runs.map((x) => x.ms)), cpu: median(runs.map((x) => x.cpu)), samples: { y: r.y, count: r.t.length } as PhaseSamples };
  };
  /** Step sizes and spikes over the last five whole periods (from the state saved at their start). */
  const lastPeriods = (samples: PhaseSamples, rt: number, at: number): { line: string; perPeriod: number } => {
    const k0 = K - 5;
    const ya = samples.y.slice(k0 * cm.n, (k0 + 1) * cm.n);
    const ta = phases[k0];
    const stops = ins.tstops.filter((x) => x > ta && x < trainEnd);
    const s = solve(problem, ya, { t0: ta, tEnd: trainEnd, rtol: rt, atol: stateTolerances(cm, at), tstops: stops, saveEverystep: true });
    const V = Float64Array.from(s.t, (_, k) => s.y[k * cm.n + iV]);
    const sp = spikeTimes(s.t, V, 0);
    const within: number[] = [];
    const between: number[] = [];
    for (let k = 1; k < s.t.length; k++) {
      const h = s.t[k] - s.t[k - 1];
      if (h <= 0) continue;
      const near = sp.some((ts) => s.t[k] > ts - 5 && s.t[k - 1] < ts + 20);
      (near ? within : between).push(h);
    }
    return {
      perPeriod: sp.length / 5,
      line: `last 5 periods: ${s.stats.steps} steps for ${sp.length} spikes (${(s.stats.steps / 5).toFixed(0)} per period); steps within 5 ms before to 20 ms after a spike: ${within.length}, median ${fmt(median(within))} ms, smallest ${fmt(Math.min(...within))} ms; between spikes: ${between.length}, median ${fmt(median(between))} ms, largest ${fmt(Math.max(...between))} ms`,
    };
  };
  /** Differences from the reference at the period starts both runs have. */
  const compare = (ref: PhaseSamples, ks: ArrayLike<number>, ys: Float64Array, what: string): string[] => {
    let dP = 0;
    for (let j = 0; j < ks.length; j++) dP = Math.max(dP, Math.abs(ys[j * cm.n + iP] - ref.y[ks[j] * cm.n + iP]));
    const last = ks.length - 1;
    const kEnd = ks[last];
    let worst = 0;
    let worstName = '';
    for (let i = 0; i < cm.n; i++) {
      const a = ref.y[kEnd * cm.n + i];
      const d = Math.abs(ys[last * cm.n + i] - a) / (1e-3 * Math.abs(a) + atol * cm.atolScale[i]);
      if (d > worst) {
        worst = d;
        worstName = cm.symbols.states[i];
      }
    }
    const pEnd = ref.y[kEnd * cm.n + iP];
    const rise = pEnd - ref.y[iP];
    return [
      `${what}: pCREB differs by at most ${dP.toExponential(1)} (${((100 * dP) / rise).toFixed(2)} % of its rise to ${pEnd.toFixed(3)}) at ${ks.length} period starts; at the last period start the largest difference of any state is ${worst.toFixed(2)} × (10⁻³ relative + atol) (${worstName})`,
    ];
  };

  const ref = fullRun(rtol, atol);
  const refLast = isSuccessful(ref.r.retcode) ? lastPeriods(ref.samples, rtol, atol) : null;
  const name = `ca1 young + signalling, ${minutes} min at 5 Hz (current pulses)`;
  const rowOf = (label: string, r: { stats: { steps: number; rejected: number; nf: number; nJ: number }; retcode: RetCode }, ms: number, rt: number, at: number, notes: string[], spikes?: number): SignallingBenchRow => ({
    name: `${name}${label}`, simulatedMs: duration, wallMs: ms, compileMs, steps: r.stats.steps, rejected: r.stats.rejected, nf: r.stats.nf, nJ: r.stats.nJ,
    states: cm.n, ...(spikes !== undefined ? { spikes } : {}), retcode: r.retcode, rtol: rt, atol: at, notes,
  });
  const refNotes = [`CPU time ${(ref.cpu / 1000).toFixed(1)} s (wall ${(ref.ms / 1000).toFixed(1)} s)`, jac];
  if (!isSuccessful(ref.r.retcode)) refNotes.push(`stopped at t = ${(ref.r.tReached / 1000).toFixed(1)} s: ${ref.r.message}`);
  if (refLast) refNotes.push(refLast.line, `pCREB ${ref.r.y[(ref.r.t.length - 1) * cm.n + iP].toFixed(3)} at the end of the train (rest ${y0[iP].toFixed(3)})`);
  const rows: SignallingBenchRow[] = [rowOf('', ref.r, ref.ms, rtol, atol, refNotes, refLast ? Math.round(refLast.perPeriod * K) : undefined)];
  if (!isSuccessful(ref.r.retcode)) return rows;

  const loose = o.loose ?? { rtol: 1e-4, atol: 1e-6 };
  const lo = fullRun(loose.rtol, loose.atol);
  const loNotes = [`CPU time ${(lo.cpu / 1000).toFixed(1)} s (wall ${(lo.ms / 1000).toFixed(1)} s); ${(ref.ms / lo.ms).toFixed(1)}× faster than the reference row`];
  if (isSuccessful(lo.r.retcode)) loNotes.push(...compare(ref.samples, Int32Array.from({ length: K + 1 }, (_, k) => k), lo.r.y, 'against the reference'), lastPeriods(lo.samples, loose.rtol, loose.atol).line);
  rows.push(rowOf(', looser tolerances', lo.r, lo.ms, loose.rtol, loose.atol, loNotes));

  // Envelope following over the whole periods; the 100 ms before the train is integrated as usual.
  const eRtol = o.envelopeRtol ?? 1e-3;
  const envRuns = Array.from({ length: repeats }, () => {
    const s = performance.now();
    const c = cpuMs();
    const pre = solve(problem, y0, { t0: 0, tEnd: start, rtol: loose.rtol, atol: stateTolerances(cm, loose.atol), saveAt: [start] });
    const e = solveEnvelope(problem, pre.yEnd, {
      t0: start, tEnd: trainEnd, period: T, stopOffsets: [0, AP_PULSE.width], rtol: loose.rtol, atol: stateTolerances(cm, loose.atol), envelopeRtol: eRtol,
      periodSignature: (t, y, n) => spikeCount(y, n, iV, t.length),
    });
    return { ms: performance.now() - s, cpu: cpuMs() - c, e, pre };
  });
  const env = envRuns[envRuns.length - 1].e;
  const pre = envRuns[envRuns.length - 1].pre;
  const envMs = median(envRuns.map((x) => x.ms));
  const envNotes = [
    `CPU time ${(median(envRuns.map((x) => x.cpu)) / 1000).toFixed(1)} s (wall ${(envMs / 1000).toFixed(1)} s); ${(ref.ms / envMs).toFixed(1)}× faster than the reference row`,
    `envelope rtol ${eRtol}: of ${K} periods, ${env.periodsIntegrated - env.periodsDiscarded} integrated in full and ${env.periodsProjected} jumped over (${env.jumps} jumps); ${env.rejectedJumps} further ${env.rejectedJumps === 1 ? 'jump was' : 'jumps were'} undone, discarding ${env.periodsDiscarded} integrated periods; the inner solver as in the row above, its step sequence recorded in ${env.sequencesRecorded} periods and repeated in the other ${env.periodsIntegrated - env.sequencesRecorded}`,
  ];
  if (isSuccessful(env.retcode)) {
    envNotes.push(...compare(ref.samples, Int32Array.from(env.t, (t) => Math.round((t - start) / T)), env.y, 'against the reference'));
  } else envNotes.push(`stopped at t = ${(env.tReached / 1000).toFixed(1)} s: ${env.message}`);
  const envStats = { ...env.stats };
  addStats(envStats, pre.stats);
  rows.push(rowOf(', envelope following', { stats: envStats, retcode: env.retcode }, envMs, loose.rtol, loose.atol, envNotes));
  return rows;
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
  return [...benchFiringSignallingRows(rtol, atol, o), benchDepolarisationSignalling(rtol, atol, o)];
}
