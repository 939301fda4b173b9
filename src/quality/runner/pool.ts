/**
 * @module Runs benchmark tasks on worker processes, each taking the next task as soon as it is free.
 *
 * Runs are independent and each is a deterministic function of its task, so the results — returned in task
 * order — do not depend on the number of workers or on which worker ran what; only timings do.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../errors.js";
import { describeTask, type BenchResult, type BenchTask, type ResultOf } from "./task.js";

export type WorkerRequest = { type: "run"; id: number; task: BenchTask } | { type: "stop" };
export type WorkerReply =
  | { type: "result"; id: number; result: BenchResult }
  | { type: "error"; id: number; userError: boolean; message: string };

/** The worker module next to this one: `.ts` when running from source (tsx passes on through execArgv), else `.js`. */
const WORKER = fileURLToPath(new URL(`./worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url));

interface WorkerState {
  readonly process: ChildProcess;
  /** Told to stop: its exit is expected. */
  stopping: boolean;
}

export async function runInWorkers<T extends BenchTask>(
  tasks: readonly T[],
  parallel: number,
  onDone: (done: number, total: number) => void = () => {},
): Promise<ResultOf<T>[]> {
  const results = new Array<ResultOf<T>>(tasks.length);
  if (tasks.length === 0) return results;
  const workers: WorkerState[] = [];
  let next = 0;
  let done = 0;
  let settled = false;

  const stop = (worker: WorkerState) => {
    if (worker.stopping) return;
    worker.stopping = true;
    if (worker.process.connected) worker.process.send({ type: "stop" } satisfies WorkerRequest);
  };

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) {
        w.stopping = true;
        w.process.kill();
      }
      reject(error);
    };
    const feed = (worker: WorkerState) => {
      if (next >= tasks.length) return stop(worker);
      const id = next++;
      worker.process.send({ type: "run", id, task: tasks[id]! } satisfies WorkerRequest);
    };
    for (let i = 0; i < Math.min(parallel, tasks.length); i++) {
      const worker: WorkerState = {
        process: fork(WORKER, [], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] }),
        stopping: false,
      };
      workers.push(worker);
      worker.process.on("message", (message: WorkerReply) => {
        if (message.type === "error") {
          const where = describeTask(tasks[message.id]!);
          return fail(message.userError ? new ConfigError(message.message) : new Error(`benchmark run failed (${where}): ${message.message}`));
        }
        // The worker ran tasks[id], whose kind decides the result's.
        results[message.id] = message.result as ResultOf<T>;
        onDone(++done, tasks.length);
        feed(worker);
        if (done === tasks.length) {
          settled = true;
          resolve();
        }
      });
      worker.process.on("exit", (code, signal) => {
        if (!worker.stopping) fail(new Error(`a benchmark worker stopped unexpectedly (${signal ?? `exit code ${code}`})`));
      });
      worker.process.on("error", (error) => fail(error));
      feed(worker);
    }
  });
  return results;
}
