/**
 * @module Who runs a trial: the worker process's identity, stored with each trial as it starts, so that any process
 * on the same machine can tell at once that a trial's worker has died (kill -9, out of memory) instead of waiting for
 * its heartbeat to go stale.
 *
 * A worker is declared dead only when it is certainly on this machine and in this PID namespace (same host name,
 * same boot, same namespace) and no process with its PID exists. Anything less certain — another machine, a
 * container with its own PIDs, a reused PID — leaves the decision to the heartbeat, which is slower but never wrong
 * about a live worker.
 */
import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import type { JsonValue } from "../core/types.js";

export interface WorkerIdentity {
  readonly host: string;
  readonly pid: number;
  /** When the process started, in seconds since the epoch: a PID alone may belong to an earlier process. */
  readonly started: number;
  /** Linux's boot id: PIDs of an earlier boot mean nothing now. */
  readonly boot?: string;
  /** Linux's PID namespace: containers sharing a host name do not share PIDs. */
  readonly pidns?: string;
}

function tryRead(read: () => string): string | undefined {
  try {
    return read().trim();
  } catch {
    return undefined;
  }
}

let self: WorkerIdentity | null = null;
const STARTED_TOLERANCE_S = 2;

/** This process. */
export function currentWorker(): WorkerIdentity {
  if (self === null || self.pid !== process.pid) {
    // The first 8 hex digits of the boot id: enough to tell two boots of one machine apart.
    const boot = tryRead(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"))?.slice(0, 8);
    const pidns = tryRead(() => readlinkSync("/proc/self/ns/pid"))?.replace(/\D/g, "");
    // Process-wide (the same in worker threads), unlike performance.timeOrigin.
    const started = Math.round(Date.now() / 1000 - process.uptime());
    self = { host: hostname(), pid: process.pid, started, ...(boot && { boot }), ...(pidns && { pidns }) };
  }
  return self;
}

/**
 * The worker as stored with each trial: one short string, "host/pid/started/boot/pidns" — every trial carries it,
 * and a 50,000-trial study is read whole when a worker opens it.
 */
export function encodeWorker(worker: WorkerIdentity): string {
  return [worker.host, worker.pid, worker.started, worker.boot ?? "", worker.pidns ?? ""].join("/");
}

/** The identity in a trial's `worker` attribute, or null when it has none (trials of older versions). */
export function parseWorker(value: JsonValue | null | undefined): WorkerIdentity | null {
  if (typeof value !== "string") return null;
  const parts = value.split("/");
  if (parts.length < 5) return null;
  // From the right: the host name is whatever comes before the last four fields.
  const [pid, started, boot, pidns] = parts.slice(-4);
  const host = parts.slice(0, -4).join("/");
  if (host === "" || !/^\d+$/.test(pid!) || !/^\d+$/.test(started!)) return null;
  return { host, pid: Number(pid), started: Number(started), ...(boot && { boot }), ...(pidns && { pidns }) };
}

/** "host:pid", for messages. */
export function workerLabel(worker: WorkerIdentity): string {
  return `${worker.host}:${worker.pid}`;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the worker is certainly gone (see the module's comment for what "certainly" takes). */
export function isWorkerGone(worker: WorkerIdentity): boolean {
  const me = currentWorker();
  if (worker.host !== me.host || worker.boot !== me.boot || worker.pidns !== me.pidns) return false;
  // This process's PID: ours if it started when we did, else an earlier process's that had the same PID.
  // Start times computed at different moments may differ by a rounding step, never by more.
  if (worker.pid === me.pid) return Math.abs(worker.started - me.started) > STARTED_TOLERANCE_S;
  return !processExists(worker.pid);
}

/**
 * Whether a running trial is stale as a reader sees it (without changing anything): no heartbeat for `staleAfterMs`,
 * or its worker certainly gone. A worker that opens the study for work fails and retries such trials.
 */
export function isStale(trial: { readonly heartbeatAt: number | null; readonly worker: JsonValue | null }, now: number, staleAfterMs: number): boolean {
  if (trial.heartbeatAt !== null && trial.heartbeatAt < now - staleAfterMs) return true;
  const worker = parseWorker(trial.worker);
  return worker !== null && isWorkerGone(worker);
}
