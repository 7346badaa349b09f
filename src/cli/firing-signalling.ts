/**
 * `ltcc experiment firing-signalling`: minutes of periodic firing in the CA1 neuron with all
 * signalling (optionally with a compound bound at a fixed free concentration), and the slow
 * read-outs per minute. The options are checked before anything runs; the run goes to a worker
 * thread when the compiled worker is there, so that the progress bar moves and Ctrl-C stops it
 * cleanly; the output file is written (atomically) only when the run has reached its end.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  FIRING_ENVELOPE_RTOL, FIRING_PRESETS, FIRING_READOUTS, type FiringReadout, type FiringSignallingOptions, type FiringSignallingResult,
  FiringSignallingFailed, FiringSignallingInterrupted, firingPeriod, firingPeriods, firingSignalling,
} from '../experiments/firing-signalling.js';
import { InputError } from '../io/errors.js';
import { writeFileAtomic } from '../io/writers/atomic.js';
import { toCsv } from '../io/writers/csv.js';
import { toJson } from '../io/writers/json.js';
import { ModelError } from '../model/errors.js';
import { resolveCompound } from '../pharmacology/library.js';
import type { Sink } from './compounds.js';
import { variants as parseVariants } from './dose-response.js';
import { SimulationFailed } from './errors.js';
import type { FiringWorkerData, FiringWorkerMessage } from './firing-signalling-worker.js';
import { startProgress } from './progress.js';

/** The command's options as commander gives them. */
export interface FiringSignallingCliOptions {
  preset?: string;
  hz?: string;
  minutes?: string;
  compound?: string;
  concentrationNM?: string;
  variant?: string[];
  full?: boolean;
  rtol?: string;
  atol?: string;
  envelopeRtol?: string;
  json?: boolean;
  out?: string;
}

type RunOptions = Omit<FiringSignallingOptions, 'onProgress' | 'shouldContinue'>;

const number = (s: string, flag: string): number => {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v)) throw new InputError(`'${s}' is not a number`, undefined, flag);
  return v;
};

const tolerance = (s: string | undefined, flag: string): number | undefined => {
  if (s === undefined) return undefined;
  const v = number(s, flag);
  if (!(v > 0 && v < 1)) throw new InputError(`must be a tolerance between 0 and 1, got ${s}`, undefined, flag);
  return v;
};

/** Checks every option and returns the experiment's options (throws an {@link InputError} naming the option). */
export function firingOptions(o: FiringSignallingCliOptions): RunOptions {
  const preset = o.preset ?? 'young';
  if (!(FIRING_PRESETS as readonly string[]).includes(preset)) throw new InputError(`unknown preset '${preset}' (expected one of ${FIRING_PRESETS.join(', ')})`, undefined, '--preset');
  const hz = number(o.hz ?? '5', '--hz');
  const period = firingPeriod(hz);
  if (typeof period === 'string') throw new InputError(period, undefined, '--hz');
  const minutes = number(o.minutes ?? '10', '--minutes');
  const K = firingPeriods(minutes, period);
  if (typeof K === 'string') throw new InputError(K, undefined, '--minutes');
  if (o.compound !== undefined && o.concentrationNM === undefined) throw new InputError('is needed with --compound (the free concentration at the channels, nM)', undefined, '--concentration-nM');
  if (o.compound === undefined && o.concentrationNM !== undefined) throw new InputError('is needed with --concentration-nM (see `ltcc compounds`)', undefined, '--compound');
  const variantOf = o.variant?.length ? parseVariants(o.variant) : undefined;
  if (variantOf && o.compound === undefined) throw new InputError('needs --compound', undefined, '--variant');
  let drug: Pick<RunOptions, 'compound' | 'concentration_nM' | 'variants'> = {};
  if (o.compound !== undefined && o.concentrationNM !== undefined) {
    try {
      resolveCompound(o.compound);
    } catch (e) {
      if (e instanceof ModelError) throw new InputError(e.message.replace(/^compound: /, ''), undefined, '--compound');
      throw e;
    }
    if (variantOf) {
      try {
        resolveCompound(o.compound, { variants: variantOf });
      } catch (e) {
        if (e instanceof ModelError) throw new InputError(e.message, undefined, '--variant');
        throw e;
      }
    }
    const c = number(o.concentrationNM, '--concentration-nM');
    if (c < 0) throw new InputError(`must be a concentration ≥ 0 nM, got ${o.concentrationNM}`, undefined, '--concentration-nM');
    drug = { compound: o.compound, concentration_nM: c, ...(variantOf ? { variants: variantOf } : {}) };
  }
  const rtol = tolerance(o.rtol, '--rtol');
  const atol = o.atol === undefined ? undefined : number(o.atol, '--atol');
  if (atol !== undefined && !(atol > 0)) throw new InputError(`must be > 0, got ${o.atol}`, undefined, '--atol');
  const envelopeRtol = tolerance(o.envelopeRtol, '--envelope-rtol');
  if (o.full && envelopeRtol !== undefined) throw new InputError('applies to envelope following; --full integrates every period', undefined, '--envelope-rtol');
  if (o.out !== undefined) {
    const ext = extname(o.out).toLowerCase();
    if (ext !== '.csv' && ext !== '.json') throw new InputError(`must end in .csv or .json, got '${o.out}'`, undefined, '--out');
    if (!existsSync(dirname(o.out) || '.')) throw new InputError('the folder does not exist', o.out, '--out');
    if (existsSync(o.out) && statSync(o.out).isDirectory()) throw new InputError('is a folder, not a file', o.out, '--out');
  }
  return {
    preset, hz, minutes, ...drug, method: o.full ? 'full' : 'envelope',
    ...(rtol !== undefined ? { rtol } : {}), ...(atol !== undefined ? { atol } : {}), ...(envelopeRtol !== undefined ? { envelopeRtol } : {}),
  };
}

/** The JSON document of the command (also written by `--out file.json`). */
export function firingJson(r: FiringSignallingResult): Record<string, unknown> {
  return {
    experiment: 'firing-signalling',
    context: 'ca1',
    preset: r.preset,
    hz: r.hz,
    period_ms: r.period_ms,
    minutes: r.minutes,
    periods: r.periods,
    pulse: r.pulse,
    compound: r.compound,
    assumptions: r.assumptions,
    method: r.method,
    rtol: r.rtol,
    atol: r.atol,
    ...(r.envelopeRtol !== undefined ? { envelope_rtol: r.envelopeRtol } : {}),
    settle: r.settle,
    model: r.model.name,
    model_hash: r.model.hash,
    states: r.model.states,
    ltcc_version: r.version,
    t_min: r.t_min,
    readouts: { ...r.readouts, spikesPerPeriod: r.spikesPerPeriod },
    units: { ...r.units, spikesPerPeriod: 'spikes' },
    periods_integrated: r.periodsIntegrated,
    periods_discarded: r.periodsDiscarded,
    periods_projected: r.periodsProjected,
    jumps: r.jumps,
    jumps_undone: r.jumpsUndone,
    sequences_recorded: r.sequencesRecorded,
    steps: r.steps,
    rejected_steps: r.rejectedSteps,
    rhs_evaluations: r.rhsEvaluations,
    jacobian_evaluations: r.jacobianEvaluations,
    wall_s: r.wallMs / 1000,
    setup_s: r.setupMs / 1000,
  };
}

/** The table as CSV: one row per sample, then the provenance as constant columns. */
export function firingCsv(r: FiringSignallingResult): string {
  const rows = r.t_min.length;
  const same = (v: string | number): string[] | number[] => (typeof v === 'number' ? new Array<number>(rows).fill(v) : new Array<string>(rows).fill(v));
  return toCsv({
    columns: [
      { name: 't', unit: 'min', values: r.t_min },
      ...FIRING_READOUTS.map((k) => ({ name: k, unit: r.units[k], values: r.readouts[k] })),
      { name: 'spikes_per_period', values: r.spikesPerPeriod.map((s) => s ?? NaN) },
      { name: 'preset', values: same(r.preset) },
      { name: 'hz', values: same(r.hz) },
      { name: 'compound', values: same(r.compound?.id ?? '') },
      { name: 'concentration', unit: 'nM', values: same(r.compound?.concentration_nM ?? 0) },
      { name: 'method', values: same(r.method) },
      { name: 'rtol', values: same(r.rtol) },
      { name: 'atol', values: same(r.atol) },
      { name: 'envelope_rtol', values: same(r.envelopeRtol ?? NaN) },
      { name: 'model_hash', values: same(r.model.hash) },
      { name: 'ltcc_version', values: same(r.version) },
    ],
  });
}

const HEADERS: Readonly<Record<FiringReadout, readonly [string, string]>> = {
  pCREB: ['pCREB', ''],
  autonomyTethered: ['CaMKII autonomy', 'tethered'],
  autonomyBulk: ['CaMKII autonomy', 'bulk'],
  nuclearCaCaM: ['nuclear Ca²⁺/CaM', 'µM'],
  nuclearGamma: ['nuclear γCaMKII', 'µM'],
  cfos: ['c-fos mRNA', 'relative'],
};

const g = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(2));
const fmtTol = (x: number): string => x.toExponential();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The one line that says how the result was made. */
export function firingProvenance(r: FiringSignallingResult): string {
  const how = r.method === 'envelope'
    ? `envelope following (envelope rtol ${fmtTol(r.envelopeRtol ?? FIRING_ENVELOPE_RTOL)}; inner BDF rtol ${fmtTol(r.rtol)}, atol ${fmtTol(r.atol)}): ${r.periodsIntegrated - r.periodsDiscarded} periods integrated, ${r.periodsProjected} projected in ${r.jumps} jumps; ${r.jumpsUndone} jumps undone (${r.periodsDiscarded} integrated periods discarded); step sequence recorded in ${r.sequencesRecorded} periods, repeated in the others`
    : `full integration (BDF rtol ${fmtTol(r.rtol)}, atol ${fmtTol(r.atol)}): ${r.periodsIntegrated} periods integrated`;
  return `model ${r.model.hash}, ltcc ${r.version}; ${how}; ${r.steps} steps, ${r.rhsEvaluations} rhs evaluations; wall ${seconds(r.wallMs)} (+ ${seconds(r.setupMs)} model and ${r.settle.minutes} min settling at rest, rtol ${fmtTol(r.settle.rtol)})`;
}

/** The text output: the table and the provenance line. */
export function firingText(r: FiringSignallingResult): string {
  const drug = r.compound ? `${r.compound.name} (${r.compound.id}) at ${r.compound.concentration_nM} nM free${r.compound.variants ? ` (${Object.entries(r.compound.variants).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}` : 'no drug';
  const head = `CA1 ${r.preset} with signalling, ${r.hz} Hz firing (${r.pulse.width_ms} ms, ${r.pulse.amplitude_nA} nA pulses) for ${r.minutes} min (${r.periods} periods), ${drug}`;
  const cols: { h1: string; h2: string; cells: string[] }[] = [
    { h1: 't', h2: 'min', cells: r.t_min.map((t) => t.toFixed(3)) },
    ...FIRING_READOUTS.map((k) => ({ h1: HEADERS[k][0], h2: HEADERS[k][1], cells: r.readouts[k].map(g) })),
    { h1: 'spikes', h2: 'per period', cells: r.spikesPerPeriod.map((s) => (s === null ? '–' : String(s))) },
  ];
  const widths = cols.map((c) => Math.max(c.h1.length, c.h2.length, ...c.cells.map((x) => x.length)));
  const line = (cells: string[]): string => `  ${cells.map((x, i) => x.padStart(widths[i])).join('   ')}`;
  const lines = [
    head,
    '',
    line(cols.map((c) => c.h1)),
    line(cols.map((c) => c.h2)),
    ...r.t_min.map((_, k) => line(cols.map((c) => c.cells[k]))),
    '',
    `Rows are states at period starts (pulse onsets)${r.method === 'envelope' ? ', at each minute, which the envelope integrates in full together with the 10 periods before it' : ''}; spikes counted in the period ending there.`,
    firingProvenance(r),
  ];
  if (r.assumptions.length) {
    lines.push('', `assumptions used (${r.assumptions.length}):`);
    for (const a of r.assumptions) lines.push(`  ${a.field}: ${a.text}`);
  }
  return `${lines.join('\n')}\n`;
}

const WORKER_FILE = fileURLToPath(new URL('./firing-signalling-worker.js', import.meta.url));

/** Runs the experiment in a worker thread; Ctrl-C sets the stop flag (twice: exits at once). */
function runInWorker(options: RunOptions, tick: (done: number, total: number) => void, err: Sink): Promise<FiringSignallingResult> {
  const stop = new SharedArrayBuffer(4);
  const flag = new Int32Array(stop);
  const data: FiringWorkerData = { options, stop };
  return new Promise<FiringSignallingResult>((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: data });
    let interrupts = 0;
    const onSigint = (): void => {
      interrupts++;
      if (interrupts > 1) process.exit(1);
      err.write('\nltcc: interrupted; stopping the run (press Ctrl-C again to stop at once)\n');
      Atomics.store(flag, 0, 1);
    };
    process.on('SIGINT', onSigint);
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', onSigint);
      f();
    };
    worker.on('message', (m: FiringWorkerMessage) => {
      if (m.type === 'progress') tick(m.done, m.total);
      else if (m.type === 'result') finish(() => resolve(m.result));
      else if (m.type === 'interrupted') finish(() => reject(new FiringSignallingInterrupted(NaN)));
      else if (m.type === 'failed') finish(() => reject(new FiringSignallingFailed(m.message)));
      else finish(() => reject(m.name === 'BiologyError' || m.name === 'PharmacologyError' || m.name === 'ModelError' ? new InputError(m.message) : new Error(m.message)));
    });
    worker.on('error', (e) => finish(() => reject(new FiringSignallingFailed(`the worker thread failed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(new FiringSignallingFailed(`the worker thread stopped (exit code ${code}) before it answered`))));
  });
}

/** Runs the command: checks the options, runs the experiment with progress, prints and writes the result. */
export async function firingSignallingCommand(o: FiringSignallingCliOptions, out: Sink = process.stdout, err: Sink = process.stderr): Promise<FiringSignallingResult> {
  const options = firingOptions(o);
  const period = firingPeriod(options.hz ?? 5) as number;
  const total = firingPeriods(options.minutes ?? 10, period) as number;
  const progress = startProgress('firing-signalling (periods)', total);
  let shown = 0;
  const tick = (done: number): void => {
    if (done > shown) progress.tick(done - shown);
    shown = Math.max(shown, done);
  };
  let r: FiringSignallingResult;
  try {
    r = existsSync(WORKER_FILE) ? await runInWorker(options, tick, err) : firingSignalling({ ...options, onProgress: tick });
  } catch (e) {
    if (e instanceof FiringSignallingInterrupted) throw new SimulationFailed('interrupted: nothing was written');
    if (e instanceof FiringSignallingFailed) throw new SimulationFailed(`${e.message}${o.out ? ' (nothing was written)' : ''}`);
    throw e;
  } finally {
    progress.done();
  }
  if (o.out) writeFileAtomic(o.out, extname(o.out).toLowerCase() === '.json' ? toJson(firingJson(r)) : firingCsv(r));
  if (o.json) out.write(toJson(firingJson(r)));
  else {
    out.write(firingText(r));
    if (o.out) out.write(`written: ${o.out}\n`);
  }
  return r;
}
