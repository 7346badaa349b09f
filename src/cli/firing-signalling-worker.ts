/**
 * Worker-thread entry of `ltcc experiment firing-signalling`: runs the experiment off the main
 * thread, so that the main thread stays free to draw the progress and to take Ctrl-C, which it
 * passes on through a shared flag the run checks between periods.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FiringSignallingOptions, type FiringSignallingResult, FiringSignallingFailed, FiringSignallingInterrupted, firingSignalling } from '../experiments/firing-signalling.js';

/** What the main thread sends: the options and a flag (Int32Array over a SharedArrayBuffer) set to 1 to stop. */
export interface FiringWorkerData {
  readonly options: Omit<FiringSignallingOptions, 'onProgress' | 'shouldContinue'>;
  readonly stop: SharedArrayBuffer;
}

/** Messages to the main thread. */
export type FiringWorkerMessage =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly result: FiringSignallingResult }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'interrupted'; readonly message: string }
  | { readonly type: 'error'; readonly name: string; readonly message: string };

/** Least time between two progress messages (ms). */
const PROGRESS_MS = 100;

if (parentPort) {
  const port = parentPort;
  const data = workerData as FiringWorkerData;
  const stop = new Int32Array(data.stop);
  const post = (m: FiringWorkerMessage): void => port.postMessage(m);
  let last = -Infinity;
  try {
    const result = firingSignalling({
      ...data.options,
      onProgress: (done, total) => {
        const now = performance.now();
        if (done < total && now - last < PROGRESS_MS) return;
        last = now;
        post({ type: 'progress', done, total });
      },
      shouldContinue: () => Atomics.load(stop, 0) === 0,
    });
    post({ type: 'result', result });
  } catch (e) {
    if (e instanceof FiringSignallingInterrupted) post({ type: 'interrupted', message: e.message });
    else if (e instanceof FiringSignallingFailed) post({ type: 'failed', message: e.message });
    else post({ type: 'error', name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) });
  }
}
