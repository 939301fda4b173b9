/**
 * @module Keeping trials from being lost with their worker: this process's name and heartbeat on the trials it
 * runs, and, for trials whose worker is gone (heartbeat stale, or its process no longer alive on this machine),
 * failing them with the reason and queueing their parameters again.
 */
import { FIXED_PARAMS_ATTR, RETRY_OF_ATTR, WORKER_ATTR, retryOf } from "../core/attributes.js";
import type { FrozenTrial, JsonValue, ParamValue, TrialState } from "../core/types.js";
import type { Storage, TrialRecord } from "../storage/storage.js";
import { externalParams } from "./frozen.js";
import { startHeartbeat, type Heartbeat } from "./heartbeat.js";
import { currentWorker, encodeWorker, isWorkerGone, parseWorker, workerLabel } from "./worker.js";

export interface HeartbeatOptions {
  /** How often a worker marks its running trials alive. */
  intervalMs?: number;
  /** A running trial without a heartbeat for this long is failed (its worker is presumed dead) and retried. */
  staleAfterMs?: number;
  /** How many times the parameters of a trial failed this way are retried. */
  retries?: number;
}

export const DEFAULT_HEARTBEAT: Readonly<Required<HeartbeatOptions>> = { intervalMs: 10_000, staleAfterMs: 60_000, retries: 1 };

/** What recovery needs of its study. */
export interface RecoveryHost {
  readonly id: number;
  readonly storage: Storage;
  trials(options: { states: readonly TrialState[] }): readonly FrozenTrial[];
  warn(message: string): void;
  enqueueTrial(params: Readonly<Record<string, ParamValue>>, options: { systemAttrs: Record<string, JsonValue> }): Promise<void>;
  refresh(): Promise<void>;
}

export class WorkerRecovery {
  private lastStaleCheck = 0;
  private sender: Heartbeat | null = null;
  private stamp: Readonly<Record<string, JsonValue>> | null = null;

  constructor(
    private readonly host: RecoveryHost,
    readonly options: Readonly<Required<HeartbeatOptions>>,
    /** Whether this process runs the trial (a trial of ours is never stale, whatever its stored heartbeat says). */
    private readonly runsHere: (trialId: number) => boolean,
  ) {}

  /** Stored with every trial this process starts: who runs it. Only a shared store needs it (in memory it is always us). */
  get workerAttrs(): Readonly<Record<string, JsonValue>> {
    return (this.stamp ??= this.host.storage.persistent ? { [WORKER_ATTR]: encodeWorker(currentWorker()) } : {});
  }

  /** Starts beating for a trial this process has just started. */
  beat(trialId: number): void {
    if (!this.host.storage.persistent) return;
    const { storage } = this.host;
    (this.sender ??= startHeartbeat(storage, this.options.intervalMs, (m) => this.host.warn(m))).add(trialId);
  }

  unbeat(trialId: number): void {
    this.sender?.remove(trialId);
  }

  /** Stops the heartbeat (the study is closing). */
  async stop(): Promise<void> {
    await this.sender?.stop();
    this.sender = null;
  }

  /** See `Study.recoverStaleTrials`. */
  async recoverStale(options: { force?: boolean }): Promise<number> {
    const { storage, id } = this.host;
    if (!storage.persistent) return 0;
    const now = Date.now();
    if (!options.force && now - this.lastStaleCheck < this.options.intervalMs) return 0;
    this.lastStaleCheck = now;
    const { staleAfterMs } = this.options;
    const stale = await storage.failStaleTrials(id, now - staleAfterMs, now, `no heartbeat for ${Math.round(staleAfterMs / 1000)} s: its worker stopped or crashed`);
    const gone: TrialRecord[] = [];
    for (const trial of this.host.trials({ states: ["running"] })) {
      const worker = parseWorker(trial.systemAttrs[WORKER_ATTR]);
      if (worker === null || this.runsHere(trial.id) || !isWorkerGone(worker)) continue;
      const reason = `its worker ${workerLabel(worker)} is gone (the process ended without finishing it)`;
      gone.push(...(await storage.failRunningTrials(id, [trial.id], now, reason)));
    }
    for (const record of [...stale, ...gone]) {
      this.host.warn(`trial ${record.number} lost its worker (${record.failReason}); marked failed`);
      await this.retry(record, this.options.retries);
    }
    if (stale.length + gone.length > 0) await this.host.refresh();
    return stale.length + gone.length;
  }

  /**
   * Queues the trial's parameters again unless it is already the `limit`-th retry of the same configuration.
   * Interruptions are not the configuration's fault, so they retry without counting.
   */
  async retry(record: TrialRecord, limit: number, counts = true): Promise<void> {
    const depth = retryOf(record.systemAttrs)?.depth ?? 0;
    if (counts && depth >= limit) return;
    const fixed = record.systemAttrs[FIXED_PARAMS_ATTR];
    const params = { ...(fixed && typeof fixed === "object" && !Array.isArray(fixed) ? fixed : {}), ...externalParams(record) };
    await this.host.enqueueTrial(params as Record<string, ParamValue>, {
      systemAttrs: { [RETRY_OF_ATTR]: { number: record.number, depth: counts ? depth + 1 : depth } },
    });
  }
}

/** A trial snapshot as the record `retry` reads (only its number, parameters and system attributes matter there). */
export function recordOf(frozen: FrozenTrial): TrialRecord {
  return {
    id: frozen.id,
    studyId: 0,
    number: frozen.number,
    state: frozen.state,
    values: frozen.values,
    params: frozen.internalParams,
    distributions: frozen.distributions,
    userAttrs: frozen.userAttrs,
    systemAttrs: frozen.systemAttrs,
    startedAt: frozen.startedAt?.getTime() ?? null,
    completedAt: frozen.completedAt?.getTime() ?? null,
    heartbeatAt: null,
    failReason: frozen.failReason,
  };
}
