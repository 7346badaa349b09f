import { basename, dirname } from 'node:path';
import { loadIvpReference } from '../io/ivp-reference.js';
import { ATOL_FACTOR_DEFAULTS, benchIvpProblem, listIvpProblems } from '../experiments/ivp-bench.js';
import { isSuccessful } from '../solve/types.js';
import { SimulationFailed } from './errors.js';
import { VERSION } from '../version.js';

/**
 * A demonstration of the engine alone (`ltcc demo`): every problem of the IVP
 * test set compiled from its published formulas and solved with the stiff engine, with the
 * accuracy against the published reference solution.
 */
export function demoCommand(o: { dir: string }): void {
  const problems = listIvpProblems(o.dir);
  process.stdout.write(`ltcc ${VERSION} demonstration: the stiff ODE engine on the IVP test set (${o.dir})\n`);
  process.stdout.write('Each problem is built from its published right-hand side, compiled to JavaScript with an analytic\n');
  process.stdout.write('Jacobian, and solved at rtol 1e-6, atol 1e-10 (E5: 1e-24). scd = significant correct digits at the end point.\n\n');
  const failed: string[] = [];
  for (const f of problems) {
    const ref = loadIvpReference(f);
    const factor = ATOL_FACTOR_DEFAULTS[basename(dirname(f)).toLowerCase()];
    const row = benchIvpProblem(ref, { rtol: 1e-6, atol: factor !== undefined ? factor * 1e-6 : 1e-10, repeats: 5 });
    if (!isSuccessful(row.retcode)) failed.push(basename(dirname(f)));
    process.stdout.write(`  ${ref.title}\n    ${row.method}: ${row.steps} steps, ${row.nf} rhs evaluations, ${row.ms.toFixed(2)} ms, scd ${row.scd.toFixed(2)}, ${row.retcode}\n`);
  }
  if (failed.length) throw new SimulationFailed(`not solved: ${failed.join(', ')}`);
  process.stdout.write('\nDone. Run `ltcc bench ivp` for timings over repeats, `ltcc --help` for the commands.\n');
}
