import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchFiring, benchIvFamily, type CellBenchRow } from '../experiments/cell-bench.js';
import { signallingBenchCases } from '../experiments/signalling-bench.js';
import { isSuccessful } from '../solve/types.js';
import { InputError } from '../io/errors.js';
import { SimulationFailed } from './errors.js';
import { startProgress } from './progress.js';

/** Options of `ltcc bench cell`. */
export interface BenchCellOptions {
  json?: boolean;
  rtol: string;
  atol: string;
  repeats: string;
  spikes?: boolean;
  /** Directory to write the NMODL mechanism and the ltcc spike times for the NEURON comparison. */
  nmodl?: string;
  /** Also run the cell-with-signalling cases (10 min at 5 Hz; 60 min after a K⁺ depolarisation). Default true. */
  signalling?: boolean;
}

const positive = (s: string, flag: string): number => {
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0) throw new InputError(`must be a positive number, got '${s}'`, undefined, flag);
  return v;
};

/** `ltcc bench cell`: wall time, steps and rhs evaluations of the two cell benchmarks. */
export function benchCellCommand(o: BenchCellOptions): void {
  const rtol = positive(o.rtol, '--rtol');
  const atol = positive(o.atol, '--atol');
  const repeats = Math.max(1, Math.floor(positive(o.repeats, '--repeats')));
  const progress = startProgress('bench cell', o.signalling !== false ? 3 : 2);
  let firing: ReturnType<typeof benchFiring>;
  let family: CellBenchRow;
  let signalling: ReturnType<typeof signallingBenchCases> = [];
  try {
    firing = benchFiring(rtol, atol, repeats);
    progress.tick(1, 'I–V family');
    family = benchIvFamily(rtol, atol, repeats);
    progress.tick(1, 'signalling');
    if (o.signalling !== false) {
      signalling = signallingBenchCases(rtol, atol, { repeats });
      progress.tick(1);
    }
  } finally {
    progress.done();
  }
  if (o.nmodl) {
    mkdirSync(o.nmodl, { recursive: true });
    writeFileSync(join(o.nmodl, 'ltcccell.mod'), firing.neuron.nmodl);
    const { neuron, ...row } = firing;
    writeFileSync(join(o.nmodl, 'ltcc.json'), JSON.stringify({ ...row, v0: neuron.v0, area: neuron.area, vAtolScale: neuron.vAtolScale, pulses: neuron.pulses }, null, 1));
  }
  const { neuron: _neuron, ...firingRow } = firing;
  const rows: (CellBenchRow & { spikeTimes?: number[]; notes?: readonly string[] })[] = [firingRow, family, ...signalling];
  for (const r of rows) {
    if (o.json) {
      const { spikeTimes, ...rest } = r;
      process.stdout.write(JSON.stringify(o.spikes && spikeTimes ? { ...rest, spikeTimes } : rest) + '\n');
    } else {
      process.stdout.write(`${r.name}\n  ${r.states} states, rtol ${r.rtol}, atol ${r.atol}: ${r.wallMs.toFixed(1)} ms wall (median of ${repeats}), compile ${r.compileMs.toFixed(0)} ms, ${r.steps} steps (${r.rejected} rejected), ${r.nf} rhs, ${r.nJ} Jacobians${r.spikes !== undefined ? `, ${r.spikes} spikes` : ''}, ${r.retcode}\n`);
      for (const n of r.notes ?? []) process.stdout.write(`  ${n}\n`);
    }
  }
  const bad = rows.filter((r) => !isSuccessful(r.retcode));
  if (bad.length) throw new SimulationFailed(`benchmark did not reach its end: ${bad.map((r) => `${r.name} (${r.retcode})`).join(', ')}`);
}
