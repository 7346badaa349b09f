/**
 * Runs the study's tasks on worker threads. Each worker compiles the models it meets and keeps
 * them, so tasks are handed out by model ("group"): a worker stays on its group until the group
 * is done, then takes the heaviest group no other worker is on (or helps with the largest one
 * left). When the compiled worker script is not available (running from TypeScript sources, as
 * under the test runner) or one worker is asked for, the tasks run in this thread.
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
  /** Called as each task finishes (in completion order). */
  readonly onResult?: (done: number, total: number, task: StudyTask) => void;
  /** Stops the work (the promise rejects with {@link StudyInterrupted}). */
  readonly signal?: AbortSignal;
}

/** The model a task runs on: tasks of one group share a compiled model. */
export const taskGroup = (t: StudyTask): string => `${t.kind}|${t.compound}|${'preset' in t ? t.preset : ''}|${JSON.stringify(t.variants ?? {})}`;

/** Relative cost of a task (measured: a CA1 point ≈ 6 signalling points ≈ 15 vascular points). */
const cost = (t: StudyTask): number => (t.kind === 'ca1' ? 6 : t.kind === 'signalling' ? 1 : 0.4);

/** How many workers {@link runStudyTasks} would start for `n` tasks, and whether in this thread. */
export function plannedWorkers(n: number, requested?: number): { workers: number; threads: boolean } {
  const workerFile = fileURLToPath(new URL('./study-worker.js', import.meta.url));
  const w = Math.max(1, Math.min(requested ?? availableParallelism(), n || 1));
  const threads = w > 1 && existsSync(workerFile);
  return { workers: threads ? w : 1, threads };
}

/** Runs the tasks; resolves with the results in task order. */
export async function runStudyTasks(tasks: readonly StudyTask[], o: StudyPoolOptions = {}): Promise<StudyTaskResult[]> {
  const total = tasks.length;
  const results: (StudyTaskResult | undefined)[] = new Array<StudyTaskResult | undefined>(total);
  let done = 0;
  const plan = plannedWorkers(total, o.workers);
  if (!plan.threads) {
    for (let i = 0; i < total; i++) {
      // Let signals and progress output through between tasks.
      await new Promise((r) => setImmediate(r));
      if (o.signal?.aborted) throw new StudyInterrupted();
      results[i] = runStudyTask(tasks[i]);
      o.onResult?.(++done, total, tasks[i]);
    }
    return results as StudyTaskResult[];
  }

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
      const free = open.filter((k) => !taken.has(k));
      const pick = (ks: string[]): string | undefined => ks.sort((a, b) => remaining(b) - remaining(a))[0];
      g = pick(free) ?? pick(open);
    }
    if (g === undefined) return undefined;
    busyOn.set(w, g);
    return groups.get(g)!.shift();
  };

  const workerFile = fileURLToPath(new URL('./study-worker.js', import.meta.url));
  const workers: Worker[] = [];
  const stopAll = (): void => {
    for (const w of workers) void w.terminate();
  };
  return new Promise<StudyTaskResult[]>((resolve, reject) => {
    let finished = false;
    const end = (e?: Error): void => {
      if (finished) return;
      finished = true;
      o.signal?.removeEventListener('abort', onAbort);
      stopAll();
      if (e) reject(e);
      else resolve(results as StudyTaskResult[]);
    };
    const onAbort = (): void => end(new StudyInterrupted());
    if (o.signal?.aborted) {
      end(new StudyInterrupted());
      return;
    }
    o.signal?.addEventListener('abort', onAbort);
    const feed = (w: Worker): void => {
      const i = next(w);
      if (i === undefined) {
        busyOn.delete(w);
        if (done === total) end();
        return;
      }
      w.postMessage({ index: i, task: tasks[i] });
    };
    for (let k = 0; k < plan.workers; k++) {
      const w = new Worker(workerFile);
      workers.push(w);
      w.on('message', (r: StudyWorkerReply) => {
        if (finished) return;
        if ('error' in r) {
          end(new StudySimulationFailed(r.error));
          return;
        }
        results[r.index] = r.result;
        o.onResult?.(++done, total, tasks[r.index]);
        feed(w);
      });
      w.on('error', (e) => end(new StudySimulationFailed(`a worker thread failed: ${e.message}`)));
      w.on('exit', (code) => {
        if (!finished && code !== 0) end(new StudySimulationFailed(`a worker thread stopped (exit code ${code})`));
      });
      feed(w);
    }
  });
}
