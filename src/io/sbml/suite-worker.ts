/**
 * Worker-thread entry for the SBML Test Suite runner: receives one case at a time, answers with
 * its {@link CaseResult}. Started by `runSuite` in suite-pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { runCase, type SuiteSolverOptions } from './suite.js';

export interface WorkerRequest {
  readonly casesDir: string;
  readonly id: string;
  readonly outDir?: string;
  readonly solver?: SuiteSolverOptions;
}

parentPort?.on('message', (req: WorkerRequest) => {
  parentPort!.postMessage(runCase(req.casesDir, req.id, req.outDir, req.solver));
});
