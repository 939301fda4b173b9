/**
 * @module Runs benchmark tasks on worker processes, each taking the next task as soon as it is free.
 *
 * Runs are independent and each is a deterministic function of its task, so the results — returned in task
 * order — do not depend on the number of workers or on which worker ran what; only timings do.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";
import type { RunResult } from "./run-result.js";
import type { RunTask } from "./task.js";

export type WorkerRequest = { type: "run"; id: number; task: RunTask } | { type: "stop" };
export type WorkerReply =
  | { type: "result"; id: number; result: RunResult }
  | { type: "error"; id: number; userError: boolean; message: string };

/** The worker module next to this one: `.ts` when running from source (tsx passes on through execArgv), else `.js`. */
const WORKER = fileURLToPath(new URL(`./worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url));

interface WorkerState {
  readonly process: ChildProcess;
  /** Told to stop: its exit is expected. */
  stopping: boolean;
}

export async function runInWorkers(
  tasks: readonly RunTask[],
  parallel: number,
  onDone: (done: number, total: number) => void = () => {},
): Promise<RunResult[]> {
  const results: RunResult[] = new Array<RunResult>(tasks.length);
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
          const task = tasks[message.id]!;
          const where = `${task.engine} ${task.sampler} on ${task.problem}, seed ${task.seed}`;
          return fail(message.userError ? new ConfigError(message.message) : new Error(`benchmark run failed (${where}): ${message.message}`));
        }
        results[message.id] = message.result;
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
