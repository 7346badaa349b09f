import { basename, dirname } from 'node:path';
import { loadIvpReference } from '../io/ivp-reference.js';
import { InputError } from '../io/errors.js';
import { ATOL_FACTOR_DEFAULTS, benchIvpProblem, listIvpProblems, SWEEP_RTOLS, type IvpBenchRow } from '../experiments/ivp-bench.js';
import type { MethodName } from '../solve/types.js';
import { isSuccessful } from '../solve/types.js';
import { SimulationFailed } from './errors.js';
import { startProgress } from './progress.js';

export interface BenchIvpOptions {
  dir: string;
  rtol: string;
  atol: string;
  method?: MethodName;
  repeats: string;
  only?: string;
  sweep?: boolean;
  json?: boolean;
  atolFactor?: string[];
}

/** `name=F` pairs: atol = F·rtol for that problem (overrides the built-in defaults). */
function parseAtolFactors(pairs: string[] | undefined): Record<string, number> {
  const out: Record<string, number> = { ...ATOL_FACTOR_DEFAULTS };
  for (const pair of pairs ?? []) {
    const m = /^([A-Za-z0-9_-]+)=(.+)$/.exec(pair);
    const f = m ? Number(m[2]) : NaN;
    if (!m || !(f > 0)) throw new InputError(`expected NAME=FACTOR with a positive factor, got '${pair}'`, undefined, '--atol-factor');
    out[m[1].toLowerCase()] = f;
  }
  return out;
}

const positive = (s: string, flag: string): number => {
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0) throw new InputError(`must be a positive number, got '${s}'`, undefined, flag);
  return v;
};

const fmt = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

export function benchIvpCommand(o: BenchIvpOptions): void {
  const rtol = positive(o.rtol, '--rtol');
  const atol = positive(o.atol, '--atol');
  const repeats = Math.max(5, Math.floor(positive(o.repeats, '--repeats')));
  let files = listIvpProblems(o.dir);
  if (o.only) {
    const want = o.only.split(',').map((s) => s.trim().toLowerCase());
    const have = new Set(files.map((f) => basename(dirname(f)).toLowerCase()));
    for (const w of want) if (!have.has(w)) throw new InputError(`unknown problem '${w}' (have: ${[...have].join(', ')})`, o.dir, '--only');
    files = files.filter((f) => want.includes(basename(dirname(f)).toLowerCase()));
  }
  if (files.length === 0) throw new InputError('no <name>/reference.json problems found', o.dir);
  const factors = parseAtolFactors(o.atolFactor);
  const tolerances = o.sweep ? SWEEP_RTOLS.map((r) => [r, 1e-4 * r] as const) : [[rtol, atol] as const];
  if (!o.json) {
    process.stdout.write(`${'problem'.padEnd(8)} ${'method'.padEnd(10)} ${'rtol'.padEnd(7)} ${'ms'.padStart(9)} ${'steps'.padStart(7)} ${'nf'.padStart(8)} ${'nJ'.padStart(6)} ${'nLU'.padStart(6)} ${'scd'.padStart(6)} ${'mescd'.padStart(6)}  retcode\n`);
  }
  const failures: string[] = [];
  const progress = startProgress('bench ivp', files.length * tolerances.length);
  try {
    for (const f of files) {
      const ref = loadIvpReference(f);
      const name = basename(dirname(f)).toLowerCase();
      for (const [r, a0] of tolerances) {
        const a = factors[name] !== undefined ? factors[name] * r : a0;
        const row: IvpBenchRow = benchIvpProblem(ref, { rtol: r, atol: a, method: o.method, repeats });
        if (!isSuccessful(row.retcode)) failures.push(`${row.problem} (${row.retcode})`);
        progress.tick(1, `${row.problem} rtol ${r.toExponential(0)}`);
        if (o.json) progress.print(JSON.stringify(row) + '\n');
        else {
          progress.print(
            `${row.problem.padEnd(8)} ${row.method.padEnd(10)} ${r.toExponential(0).padEnd(7)} ${fmt(row.ms, 3).padStart(9)} ${String(row.steps).padStart(7)} ${String(row.nf).padStart(8)} ${String(row.nJ).padStart(6)} ${String(row.nLU).padStart(6)} ${fmt(row.scd).padStart(6)} ${fmt(row.mescd).padStart(6)}  ${row.retcode}\n`,
          );
        }
      }
    }
  } finally {
    progress.done();
  }
  if (failures.length) throw new SimulationFailed(`solver did not reach tEnd for: ${failures.join(', ')}`);
}
