/**
 * Runs the study's tasks on worker threads. Each worker compiles the models it meets and keeps
 * them for the life of the pool (the study runs several batches: the concentration grid, then
 * the refinement of the window edges), so tasks are handed out by model ("group"): a worker
 * stays on its group until the group is done, then takes the heaviest group no other worker is
 * on (or helps with the largest one left). When the compiled worker script is not available
 * (running from TypeScript sources, as under the test runner) or one worker is asked for, the
 * tasks run in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type StudyTask, type StudyTaskResult, StudySimulationFailed, runStudyTask } from './study-tasks.js';
import type { StudyWorkerReply } from './study-worker.js';

/** The study was stopped before its tasks were done (e.g. Ctrl-C). */
export class StudyInterrupted extends Error {
  constructor() {
    super('the study was interrupted');
    this.name = 'StudyInterrupted';
  }
}

export interface StudyPoolOptions {
  /** Worker threads; 1 runs in this thread. Default: the available parallelism. */
  readonly workers?: number;
  /** Stops the work (a running batch rejects with {@link StudyInterrupted}). */
  readonly signal?: AbortSignal;
}

/** The model a task runs on: tasks of one group share a compiled model. */
export const taskGroup = (t: StudyTask): string => `${t.kind}|${t.compound}|${'preset' in t ? t.preset : ''}|${JSON.stringify(t.variants ?? {})}`;

/** Relative cost of a task (measured: a CA1 point ≈ 4 signalling points ≈ 10 vascular points). */
const cost = (t: StudyTask): number => (t.kind === 'ca1' ? 4 : t.kind === 'signalling' ? 1 : 0.4);

const WORKER_FILE = fileURLToPath(new URL('./study-worker.js', import.meta.url));

/** A set of worker threads (or this thread) that runs batches of study tasks. */
export class StudyPool {
  /** Worker threads in use (1 when the tasks run in this thread). */
  readonly workers: number;
  /** Whether worker threads are used. */
  readonly threads: boolean;
  private readonly pool: Worker[] = [];
  private onReply: ((w: Worker, r: StudyWorkerReply) => void) | undefined;
  private onFailure: ((e: Error) => void) | undefined;
  private broken: Error | undefined;

  constructor(private readonly o: StudyPoolOptions = {}) {
    const w = Math.max(1, o.workers ?? availableParallelism());
    this.threads = w > 1 && existsSync(WORKER_FILE);
    this.workers = this.threads ? w : 1;
  }

  private fail(e: Error): void {
    if (this.broken) return;
    this.broken = e;
    for (const w of this.pool) void w.terminate();
    this.onFailure?.(e);
  }

  private start(): void {
    if (this.pool.length || !this.threads) return;
    for (let k = 0; k < this.workers; k++) {
      const w = new Worker(WORKER_FILE);
      this.pool.push(w);
      w.on('message', (r: StudyWorkerReply) => this.onReply?.(w, r));
      w.on('error', (e) => this.fail(new StudySimulationFailed(`a worker thread failed: ${e.message}`)));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new StudySimulationFailed(`a worker thread stopped (exit code ${code})`));
      });
    }
  }

  /** Runs a batch of tasks; resolves with the results in task order. `onResult` is called as each finishes. */
  async run(tasks: readonly StudyTask[], onResult?: (t: StudyTask) => void): Promise<StudyTaskResult[]> {
    if (this.broken) throw this.broken;
    const signal = this.o.signal;
    const results: (StudyTaskResult | undefined)[] = new Array<StudyTaskResult | undefined>(tasks.length);
    if (!this.threads) {
      for (let i = 0; i < tasks.length; i++) {
        // Let signals and progress output through between tasks.
        await new Promise((r) => setImmediate(r));
        if (signal?.aborted) throw new StudyInterrupted();
        results[i] = runStudyTask(tasks[i]);
        onResult?.(tasks[i]);
      }
      return results as StudyTaskResult[];
    }
    if (tasks.length === 0) return [];
    this.start();
    const groups = new Map<string, number[]>();
    tasks.forEach((t, i) => {
      const g = taskGroup(t);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(i);
    });
    const remaining = (g: string): number => (groups.get(g) ?? []).reduce((s, i) => s + cost(tasks[i]), 0);
    const busyOn = new Map<Worker, string>();
    const next = (w: Worker): number | undefined => {
      const mine = busyOn.get(w);
      let g = mine !== undefined && (groups.get(mine)?.length ?? 0) > 0 ? mine : undefined;
      if (g === undefined) {
        const taken = new Set([...busyOn.entries()].filter(([x]) => x !== w).map(([, v]) => v));
        const open = [...groups.keys()].filter((k) => groups.get(k)!.length > 0);
        const pick = (ks: string[]): string | undefined => ks.sort((a, b) => remaining(b) - remaining(a))[0];
        g = pick(open.filter((k) => !taken.has(k))) ?? pick(open);
      }
      if (g === undefined) return undefined;
      busyOn.set(w, g);
      return groups.get(g)!.shift();
    };
    let done = 0;
    try {
      return await new Promise<StudyTaskResult[]>((resolve, reject) => {
        const onAbort = (): void => this.fail(new StudyInterrupted());
        const finish = (e?: Error): void => {
          signal?.removeEventListener('abort', onAbort);
          this.onReply = undefined;
          this.onFailure = undefined;
          if (e) reject(e);
          else resolve(results as StudyTaskResult[]);
        };
        this.onFailure = finish;
        const feed = (w: Worker): void => {
          const i = next(w);
          if (i === undefined) {
            busyOn.delete(w);
            if (done === tasks.length) finish();
            return;
          }
          w.postMessage({ index: i, task: tasks[i] });
        };
        this.onReply = (w, r): void => {
          if ('error' in r) {
            this.fail(new StudySimulationFailed(r.error));
            return;
          }
          results[r.index] = r.result;
          done++;
          onResult?.(tasks[r.index]);
          feed(w);
        };
        if (signal?.aborted) {
          this.fail(new StudyInterrupted());
          return;
        }
        signal?.addEventListener('abort', onAbort);
        for (const w of this.pool) feed(w);
      });
    } catch (e) {
      throw e instanceof Error ? e : new StudySimulationFailed(String(e));
    }
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    const ws = this.pool.splice(0);
    this.broken ??= new StudySimulationFailed('the pool is closed');
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
