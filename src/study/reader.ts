/**
 * @module Reading a stored study without loading it: pages of trials in any order, the best trial, the columns of a
 * listing. What `scaletune trials | best` use, so that they cost the same on a study of 50 trials or 50,000.
 *
 * @example
 * const reader = await StudyReader.open({ name: "mlp", storage: "sqlite:./scaletune.db" });
 * for await (const page of reader.pages({ orderBy: "best", limit: 100 })) for (const t of page) console.log(t.number, t.value);
 * await reader.close();
 */
import { dominates } from "../math/pareto.js";
import { openStorage, type StorageInput } from "../storage/open.js";
import type { IntermediateValue, Storage, StudyRecord, StudyWatch, TrialKeys, TrialPage } from "../storage/storage.js";
import { studyNotFound } from "./catalog.js";
import { NO_METRICS, freezeTrial } from "./frozen.js";
import type { Direction, FrozenTrial, TrialState } from "../core/types.js";

export interface TrialListing {
  /** Only trials in these states (default: all). */
  readonly states?: readonly TrialState[];
  /** Only the trials with these numbers (default: all). */
  readonly numbers?: readonly number[];
  /** By number (default), by first objective value ascending, or best first for the study's (first) direction. */
  readonly orderBy?: "number" | "value" | "best";
  /** Reverses the order. */
  readonly descending?: boolean;
  readonly offset?: number;
  readonly limit?: number;
  /** Read the trials' curves too (default true). */
  readonly curves?: boolean;
}

/** Trials read per query when paging through a study. */
const PAGE_SIZE = 2_000;

export class StudyReader {
  /** The storage's feed of the study's changes (null: it has none), opened at the first `waitForChange`. */
  private watch: StudyWatch | null | undefined;
  /** The change sequence the last `waitForChange` reported, or null when none was known. */
  private seenSeq: number | null = null;

  private constructor(
    private readonly storage: Storage,
    private readonly record: StudyRecord,
    private readonly ownsStorage: boolean,
  ) {}

  /** Opens a stored study for reading; a storage URL is opened read-only (nothing is written, read-only files work). */
  static async open(options: { name: string; storage: StorageInput }): Promise<StudyReader> {
    const storage = openStorage(options.storage, { readOnly: true });
    const owns = storage !== options.storage;
    try {
      const record = await storage.findStudy(options.name);
      if (!record) return await studyNotFound(storage, options.name);
      return new StudyReader(storage, record, owns);
    } catch (error) {
      if (owns) await storage.close();
      throw error;
    }
  }

  get name(): string {
    return this.record.name;
  }

  get directions(): readonly Direction[] {
    return this.record.directions;
  }

  /** One page of trials. */
  async trials(listing: TrialListing = {}): Promise<FrozenTrial[]> {
    const { orderBy = "number", descending = false, ...rest } = listing;
    const best = orderBy === "best";
    return freezePage(
      await this.storage.readTrials(this.record.id, {
        ...rest,
        orderBy: best ? "value" : orderBy,
        // Best first: ascending values for a minimised first objective, descending for a maximised one.
        descending: best ? (this.directions[0] === "maximize") !== descending : descending,
      }),
    );
  }

  /** The listing, a page at a time: memory stays bounded however large the study. */
  async *pages(listing: TrialListing = {}): AsyncGenerator<FrozenTrial[]> {
    const start = listing.offset ?? 0;
    const end = listing.limit === undefined ? Infinity : start + listing.limit;
    for (let offset = start; offset < end; offset += PAGE_SIZE) {
      const page = await this.trials({ ...listing, offset, limit: Math.min(PAGE_SIZE, end - offset) });
      if (page.length > 0) yield page;
      if (page.length < PAGE_SIZE) return;
    }
  }

  /** The best complete trial, or for several objectives the Pareto front (by number); empty when none is complete. */
  async bestTrials(): Promise<FrozenTrial[]> {
    if (this.directions.length === 1) return this.trials({ states: ["complete"], orderBy: "best", limit: 1 });
    const signs = this.directions.map((d) => (d === "maximize" ? -1 : 1));
    let front: { number: number; point: number[] }[] = [];
    for await (const page of this.pages({ states: ["complete"], curves: false })) {
      for (const trial of page) {
        const point = trial.values!.map((v, k) => signs[k]! * v);
        if (front.some((other) => dominates(other.point, point))) continue;
        front = front.filter((other) => !dominates(point, other.point));
        front.push({ number: trial.number, point });
      }
    }
    if (front.length === 0) return [];
    return this.trials({ numbers: front.map((t) => t.number) });
  }

  /** The parameter names and user-attribute keys of the study's trials: the columns of a listing. */
  async keys(): Promise<TrialKeys> {
    return this.storage.trialKeys(this.record.id);
  }

  /**
   * Waits at most `timeoutMs` for the study to change since the previous call: true when it may have (read again),
   * false when it surely has not. With a change feed (PostgreSQL) it returns as soon as a change is announced, and
   * the first call as soon as the feed is up (what changed before is unknown); without one (SQLite, memory) it cannot
   * tell, and returns true after `timeoutMs`, which makes the caller poll at that interval.
   *
   * @example
   * for (;;) {
   *   if (await reader.waitForChange(5_000)) show(await reader.trials({ orderBy: "best", limit: 10 }));
   * }
   */
  async waitForChange(timeoutMs: number): Promise<boolean> {
    if (this.watch === undefined) this.watch = this.storage.watch?.(this.record.id) ?? null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, timeoutMs, "timeout")));
    try {
      for (;;) {
        const next = this.watch?.nextChange() ?? timeout;
        const known = this.watch?.knownSeq() ?? null;
        if (known !== null && known !== this.seenSeq) {
          this.seenSeq = known;
          return true;
        }
        this.seenSeq = known;
        if ((await Promise.race([next, timeout])) === "timeout") return known === null;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.watch?.close();
    if (this.ownsStorage) await this.storage.close();
  }
}

/** Trials of a page with their curves attached. */
function freezePage(page: TrialPage): FrozenTrial[] {
  const byTrial = new Map<number, IntermediateValue[]>();
  for (const row of page.intermediate) {
    let rows = byTrial.get(row.trialId);
    if (!rows) byTrial.set(row.trialId, (rows = []));
    rows.push(row);
  }
  return page.trials.map((record) => {
    const curve = new Map<number, number>();
    const metrics = new Map<string, Map<number, number>>();
    for (const { metric, step, value } of byTrial.get(record.id) ?? []) {
      if (metric === "") curve.set(step, value);
      else {
        let named = metrics.get(metric);
        if (!named) metrics.set(metric, (named = new Map()));
        named.set(step, value);
      }
    }
    return freezeTrial(record, curve, metrics.size > 0 ? metrics : NO_METRICS);
  });
}
