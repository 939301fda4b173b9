/**
 * @module Heartbeats: a worker marks the trials it runs as alive every `intervalMs`, so that other workers fail
 * (and retry) only the trials of workers that stopped beating.
 *
 * For storages that can be opened again from their URL (SQLite, PostgreSQL), the beats come from a thread of their
 * own with its own connection: a synchronous objective that holds the main thread for an hour still has a live
 * heartbeat. Other storages beat from the main thread's event loop, between the objective's awaits.
 */
import { extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { describeError } from "../errors.js";
import { isPostgresUrl, sqlitePath } from "../storage/open.js";
import type { Storage } from "../storage/storage.js";

/** What the heartbeat thread starts with; later it is sent a new slot table whenever the table grows. */
export interface HeartbeatThreadData {
  readonly url: string;
  readonly intervalMs: number;
  readonly running: BigInt64Array;
}

export interface Heartbeat {
  add(trialId: number): void;
  remove(trialId: number): void;
  stop(): Promise<void>;
}

const FROM_SOURCE = extname(fileURLToPath(import.meta.url)) === ".ts";
/** The thread's module, beside this one. */
const THREAD_MODULE = new URL(`./heartbeat-thread${FROM_SOURCE ? ".ts" : ".js"}`, import.meta.url);

/** An idle thread is stopped after this long: a process that is done with trials should not keep a connection. */
const IDLE_STOP_MS = 30_000;

export function startHeartbeat(storage: Storage, intervalMs: number, warn: (message: string) => void): Heartbeat {
  const loop = new LoopHeartbeat(storage, intervalMs, warn);
  const url = threadUrl(storage);
  return url !== null ? new ThreadHeartbeat(url, intervalMs, warn, loop) : loop;
}

/** The URL a heartbeat thread opens the storage again from, or null when it cannot. */
function threadUrl(storage: Storage): string | null {
  if (!storage.persistent) return null;
  if (isPostgresUrl(storage.url)) return storage.url;
  const path = sqlitePath(storage.url);
  // An absolute path: the thread must find the same file even if the process changes directory.
  return path === null ? null : `sqlite:${resolve(path)}`;
}

class LoopHeartbeat implements Heartbeat {
  private readonly running = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly intervalMs: number,
    private readonly warn: (message: string) => void,
  ) {}

  add(trialId: number): void {
    this.running.add(trialId);
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running.size === 0) return;
      this.storage.heartbeat([...this.running], Date.now()).catch((e: unknown) => this.warn(`heartbeat failed: ${describeError(e)}`));
    }, this.intervalMs);
    this.timer.unref();
  }

  remove(trialId: number): void {
    this.running.delete(trialId);
    if (this.running.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.running.clear();
  }
}

/**
 * The trials a process runs, in memory shared with its heartbeat thread: the main thread writes a trial's id into
 * a slot as the trial starts and clears it as it ends, which costs nothing like a message per trial; the thread
 * reads the slots when it beats. A table that fills up is replaced by one twice as large, sent to the thread.
 */
export class RunningSlots {
  private table: BigInt64Array;
  private readonly slotOf = new Map<number, number>();
  private readonly free: number[] = [];
  private used = 0;

  constructor(
    capacity: number,
    private readonly onGrow: (table: BigInt64Array) => void,
  ) {
    this.table = new BigInt64Array(new SharedArrayBuffer(capacity * BigInt64Array.BYTES_PER_ELEMENT));
  }

  get shared(): BigInt64Array {
    return this.table;
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(trialId: number): void {
    if (this.slotOf.has(trialId)) return;
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.table.length) this.grow();
      slot = this.used++;
    }
    this.slotOf.set(trialId, slot);
    Atomics.store(this.table, slot, BigInt(trialId));
  }

  remove(trialId: number): void {
    const slot = this.slotOf.get(trialId);
    if (slot === undefined) return;
    this.slotOf.delete(trialId);
    Atomics.store(this.table, slot, 0n);
    this.free.push(slot);
  }

  ids(): number[] {
    return [...this.slotOf.keys()];
  }

  private grow(): void {
    const larger = new BigInt64Array(new SharedArrayBuffer(this.table.length * 2 * BigInt64Array.BYTES_PER_ELEMENT));
    for (let i = 0; i < this.table.length; i++) Atomics.store(larger, i, Atomics.load(this.table, i));
    this.table = larger;
    this.onGrow(larger);
  }
}

/** The ids in a shared slot table (the heartbeat thread's side). */
export function runningIds(table: BigInt64Array): number[] {
  const ids: number[] = [];
  for (let i = 0; i < table.length; i++) {
    const id = Atomics.load(table, i);
    if (id !== 0n) ids.push(Number(id));
  }
  return ids;
}

class ThreadHeartbeat implements Heartbeat {
  private thread: Worker | null = null;
  private readonly running = new RunningSlots(64, (table) => this.thread?.postMessage(table));
  private idleTimer: NodeJS.Timeout | null = null;
  /** Set when the thread failed: the main thread beats instead, as for other storages. */
  private failed = false;

  constructor(
    private readonly url: string,
    private readonly intervalMs: number,
    private readonly warn: (message: string) => void,
    private readonly fallback: LoopHeartbeat,
  ) {}

  add(trialId: number): void {
    if (this.failed) return this.fallback.add(trialId);
    this.running.add(trialId);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    // The first thread, or one after an idle stop: it reads the slots of every trial that runs now.
    this.thread ??= this.spawn();
  }

  remove(trialId: number): void {
    this.fallback.remove(trialId);
    this.running.remove(trialId);
    if (this.running.size > 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => void this.stop(), IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.fallback.stop();
    const thread = this.thread;
    this.thread = null;
    if (thread) await thread.terminate();
  }

  private spawn(): Worker {
    // No inherited Node flags: the thread needs none, and some (--input-type, given to `node -e`) make it fail to start.
    const workerData: HeartbeatThreadData = { url: this.url, intervalMs: this.intervalMs, running: this.running.shared };
    const options = { workerData, execArgv: [] };
    const thread = FROM_SOURCE
      ? // Run from source (the tests, through tsx): Node 20 does not carry --import hooks into threads, so the
        // thread registers tsx before loading its .ts module.
        new Worker(`import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD_MODULE.href)}); });`, {
          ...options,
          eval: true,
        })
      : new Worker(THREAD_MODULE, options);
    thread.on("message", (message: string) => this.warn(`heartbeat failed: ${message}`));
    thread.on("error", (error) => {
      this.warn(`heartbeat thread stopped (${describeError(error).split("\n")[0]}); beating from the main thread instead`);
      this.failed = true;
      for (const id of this.running.ids()) {
        this.fallback.add(id);
        this.running.remove(id);
      }
    });
    thread.on("exit", () => {
      if (this.thread === thread) this.thread = null;
    });
    // The thread must never keep a finished process alive.
    thread.unref();
    return thread;
  }
}
