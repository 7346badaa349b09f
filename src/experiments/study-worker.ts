/**
 * Worker-thread entry of the default study: receives one task at a time and answers with its
 * result (or the error message). Started by `runStudyTasks` in study-pool.ts. A worker keeps
 * the models it has compiled, so the pool sends it tasks of the same model where it can.
 */
import { parentPort } from 'node:worker_threads';
import { type StudyTask, type StudyTaskResult, runStudyTask } from './study-tasks.js';

/** A worker's answer: the task index and its result or error. */
export type StudyWorkerReply = { readonly index: number; readonly result: StudyTaskResult } | { readonly index: number; readonly error: string };

parentPort?.on('message', (req: { index: number; task: StudyTask }) => {
  let reply: StudyWorkerReply;
  try {
    reply = { index: req.index, result: runStudyTask(req.task) };
  } catch (e) {
    reply = { index: req.index, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
