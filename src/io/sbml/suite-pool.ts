/**
 * Runs SBML Test Suite cases in parallel on worker threads (one case per message), with a
 * per-case time limit: a worker that exceeds it is terminated, the case reported as an error,
 * and a fresh worker takes its place. When the compiled worker script is not available (running
 * from TypeScript sources, e.g. under the test runner) the cases run in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type CaseResult, runCase, type SuiteSolverOptions } from './suite.js';
import type { WorkerRequest } from './suite-worker.js';

export interface SuiteRunOptions {
  readonly casesDir: string;
  readonly ids: readonly string[];
  /** Where `<NNNNN>.csv` results are written (none when absent). */
  readonly outDir?: string;
  /** Worker threads (default: available parallelism). 1 runs in this thread. */
  readonly jobs?: number;
  /** Per-case limit in seconds (default 120). Only enforced with worker threads. */
  readonly timeoutSeconds?: number;
  readonly solver?: SuiteSolverOptions;
  /** Called as each case finishes (in completion order). */
  readonly onResult?: (r: CaseResult, done: number, total: number) => void;
}

/** Runs the cases; resolves with the results in the order of `ids`. */
export async function runSuite(opts: SuiteRunOptions): Promise<CaseResult[]> {
  const jobs = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), opts.ids.length || 1));
  const workerFile = fileURLToPath(new URL('./suite-worker.js', import.meta.url));
  const results = new Map<string, CaseResult>();
  let done = 0;
  const finish = (r: CaseResult): void => {
    results.set(r.id, r);
    done++;
    opts.onResult?.(r, done, opts.ids.length);
  };
  if (jobs === 1 || !existsSync(workerFile)) {
    for (const id of opts.ids) finish(runCase(opts.casesDir, id, opts.outDir, opts.solver));
    return opts.ids.map((id) => results.get(id)!);
  }
  const timeoutMs = (opts.timeoutSeconds ?? 120) * 1000;
  const queue = [...opts.ids];
  await new Promise<void>((resolve, reject) => {
    let active = 0;
    const start = (): void => {
      const id = queue.shift();
      if (id === undefined) {
        if (active === 0) resolve();
        return;
      }
      active++;
      const w = new Worker(workerFile);
      let current = id;
      let timer: NodeJS.Timeout | undefined;
      const send = (caseId: string): void => {
        current = caseId;
        const req: WorkerRequest = { casesDir: opts.casesDir, id: caseId, ...(opts.outDir ? { outDir: opts.outDir } : {}), ...(opts.solver ? { solver: opts.solver } : {}) };
        timer = setTimeout(() => {
          finish({ id: caseId, status: 'error', reason: `no result within ${timeoutMs / 1000} s (stopped)`, seconds: timeoutMs / 1000 });
          void w.terminate();
        }, timeoutMs);
        w.postMessage(req);
      };
      w.on('message', (r: CaseResult) => {
        clearTimeout(timer);
        finish(r);
        const next = queue.shift();
        if (next === undefined) {
          void w.terminate();
          return;
        }
        send(next);
      });
      w.on('error', (e) => {
        clearTimeout(timer);
        if (!results.has(current)) finish({ id: current, status: 'error', reason: `worker crashed: ${e.message}`, seconds: 0 });
      });
      w.on('exit', () => {
        clearTimeout(timer);
        active--;
        if (!results.has(current)) finish({ id: current, status: 'error', reason: 'worker exited without a result', seconds: 0 });
        if (queue.length > 0) start();
        else if (active === 0) resolve();
      });
      send(id);
    };
    try {
      for (let k = 0; k < jobs; k++) start();
    } catch (e) {
      reject(e as Error);
    }
  });
  return opts.ids.map((id) => results.get(id)!);
}
