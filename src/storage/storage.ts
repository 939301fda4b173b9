/**
 * @module The storage interface every backend implements (memory, SQLite, PostgreSQL).
 *
 * A backend stores records and hands out *changes since a cursor*: every write bumps a per-study sequence number
 * and stamps the rows it touches with it, so a client that remembers the last number it saw refreshes a study in
 * O(new changes), never O(all trials). Writers of one study are serialised by the backend, so sequence numbers
 * become visible in order and a reader never skips a change.
 *
 * A trial is written only by the worker that runs it; patches therefore replace whole fields (params, attrs)
 * instead of merging them in the database.
 */
import type { Distribution } from "../space/distributions.js";
import type { Direction, JsonValue, TrialState } from "../core/types.js";

export type FinalState = "complete" | "pruned" | "failed";
export type AttrKind = "user" | "system";

export interface StudyRecord {
  readonly id: number;
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly createdAt: number;
}

export interface StudySummary extends StudyRecord {
  readonly counts: Readonly<Record<TrialState, number>>;
  /** Best objective values among complete trials (single-objective: one number), or null. */
  readonly bestValues: readonly number[] | null;
  readonly lastActivityAt: number | null;
  /** The running trials: few, and what a reader needs to tell live ones from those whose worker died. */
  readonly runningTrials: readonly RunningTrialInfo[];
}

export interface RunningTrialInfo {
  readonly number: number;
  readonly heartbeatAt: number | null;
  /** The `worker` system attribute: who runs the trial (see `study/worker.ts`). */
  readonly worker: JsonValue | null;
}

/** A trial as stored. Params are internal values (see `space/distributions.ts`). Times are epoch milliseconds. */
export interface TrialRecord {
  readonly id: number;
  readonly studyId: number;
  readonly number: number;
  readonly state: TrialState;
  readonly values: readonly number[] | null;
  readonly params: Readonly<Record<string, number>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly heartbeatAt: number | null;
  readonly failReason: string | null;
}

export interface IntermediateValue {
  readonly trialId: number;
  /** "" for the objective's own curve; other names for extra metrics reported per step. */
  readonly metric: string;
  readonly step: number;
  readonly value: number;
}

export interface StudyAttr {
  readonly kind: AttrKind;
  readonly key: string;
  readonly value: JsonValue;
}

export interface NewTrial {
  readonly state: "running" | "waiting";
  readonly params?: Readonly<Record<string, number>>;
  readonly distributions?: Readonly<Record<string, Distribution>>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  /** Start time for running trials. */
  readonly now: number;
}

/** Conditions checked atomically with a trial's creation (`tryCreateTrial`). */
export interface CreateConditions {
  /** Create only if the new trial's number is below this: how a study's trial target stays exact across workers. */
  readonly numberBelow?: number;
  /** Create only if this key is unclaimed, and claim it with the trial (see `claim`). */
  readonly claim?: string;
}

/** Why `tryCreateTrial` created nothing. */
export type CreateRefusal = "number-limit" | "claimed";

/** Which trials `readTrials` returns, in what order. */
export interface TrialQuery {
  /** Only trials in these states (default: all). */
  readonly states?: readonly TrialState[];
  /** Only the trials with these numbers (default: all). */
  readonly numbers?: readonly number[];
  /** By trial number (default), or by the first objective value with trials that have none last. */
  readonly orderBy?: "number" | "value";
  readonly descending?: boolean;
  /** Skips this many trials of the ordered result, then returns at most `limit`. */
  readonly offset?: number;
  readonly limit?: number;
  /** Also read the trials' intermediate values (default: true). */
  readonly curves?: boolean;
}

export interface TrialPage {
  readonly trials: readonly TrialRecord[];
  /** The intermediate values of those trials (empty when the query asked for no curves). */
  readonly intermediate: readonly IntermediateValue[];
}

export interface TrialKeys {
  readonly params: readonly string[];
  readonly userAttrs: readonly string[];
}

/** Fields a trial's worker writes. Object fields replace the stored ones whole. */
export interface TrialPatch {
  readonly params?: Readonly<Record<string, number>>;
  readonly distributions?: Readonly<Record<string, Distribution>>;
  readonly userAttrs?: Readonly<Record<string, JsonValue>>;
  readonly systemAttrs?: Readonly<Record<string, JsonValue>>;
  readonly intermediate?: readonly Omit<IntermediateValue, "trialId">[];
  readonly finish?: {
    readonly state: FinalState;
    readonly values: readonly number[] | null;
    readonly failReason: string | null;
    readonly at: number;
  };
}

export interface StudyChanges {
  /** Trials created or changed since the cursor, whole (without intermediate values). */
  readonly trials: readonly TrialRecord[];
  /** Intermediate values written since the cursor. */
  readonly intermediate: readonly IntermediateValue[];
  readonly attrs: readonly StudyAttr[];
  /** Pass this back to get only what changes after this call. */
  readonly cursor: number;
}

/**
 * What a storage knows of one study's changes without reading it (`Storage.watch`): enough for a reader to skip
 * `readChanges` when nothing changed since its cursor, and to wait for a change instead of polling.
 */
export interface StudyWatch {
  /**
   * A change sequence number the study has reached: every change up to it is committed, and none after it has been
   * made known (announced, or written through this storage); past any cursor for a deleted study. Null when the
   * storage cannot vouch for that — not yet listening, the feed lost, or the watch closed: then read.
   */
  knownSeq(): number | null;
  /** Resolves at the next change made known, or when the feed is lost or restored (either way: look again). */
  nextChange(): Promise<void>;
  /** Stops watching; the storage ends its feed when nothing is watched. */
  close(): void;
}

/**
 * A whole study as stored, every row with the change sequence number it carries: what `exportStudy` reads and
 * `importStudy` writes, so that a study moves between storages (`scaletune copy`) exactly as it is — trial numbers,
 * states, times, heartbeats, curves (NaN included), attributes, claims, and the counters later workers go on from.
 */
export interface StudyExport {
  readonly name: string;
  readonly directions: readonly Direction[];
  readonly createdAt: number;
  /** The number the study's next trial gets. */
  readonly nextNumber: number;
  /** The study's change sequence: the number of its latest change. */
  readonly seq: number;
  /** By number. Ids are the source's: the importing storage gives its own. */
  readonly trials: readonly ExportedTrial[];
  /** In the order they were written (by sequence number). */
  readonly intermediate: readonly ExportedIntermediateValue[];
  readonly attrs: readonly ExportedStudyAttr[];
  readonly claims: readonly string[];
}

export interface ExportedTrial extends TrialRecord {
  readonly seq: number;
}

export interface ExportedIntermediateValue {
  /** The trial's number (ids are not kept across storages). */
  readonly trialNumber: number;
  readonly metric: string;
  readonly step: number;
  readonly value: number;
  readonly seq: number;
}

export interface ExportedStudyAttr extends StudyAttr {
  readonly seq: number;
}

export interface Storage {
  /** The URL this storage was opened from ("memory:" for an in-memory one). */
  readonly url: string;
  /** False for in-memory storage: nothing outlives the process, so heartbeats are pointless. */
  readonly persistent: boolean;

  /** Throws DuplicateStudyError when the name is taken. */
  createStudy(name: string, directions: readonly Direction[]): Promise<StudyRecord>;
  findStudy(name: string): Promise<StudyRecord | null>;
  listStudies(): Promise<StudySummary[]>;
  deleteStudy(studyId: number): Promise<void>;
  setStudyAttrs(studyId: number, kind: AttrKind, attrs: Readonly<Record<string, JsonValue>>): Promise<void>;

  /** Creates a trial with the next dense number. */
  createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord>;
  /** Creates a trial as `createTrial` does if the conditions hold, atomically; otherwise creates nothing and says why. */
  tryCreateTrial(studyId: number, trial: NewTrial, conditions: CreateConditions): Promise<TrialRecord | CreateRefusal>;
  /**
   * Atomically moves the lowest-numbered waiting trial to running, adding `systemAttrs` to its system attributes
   * (who runs it), or returns null when none waits.
   */
  startWaitingTrial(studyId: number, now: number, systemAttrs?: Readonly<Record<string, JsonValue>>): Promise<TrialRecord | null>;
  /** Throws TrialStateError when the trial is not running (finished trials are immutable). */
  updateTrial(trialId: number, patch: TrialPatch): Promise<void>;
  /** Marks running trials as alive. */
  heartbeat(trialIds: readonly number[], now: number): Promise<void>;
  /**
   * Fails running trials whose last heartbeat is older than `staleBefore`, atomically: two workers racing here
   * never both fail (and so never both retry) the same trial. Returns the trials this call failed.
   */
  failStaleTrials(studyId: number, staleBefore: number, now: number, reason: string): Promise<TrialRecord[]>;
  /** Fails those of the given trials that are still running, atomically; returns the trials this call failed. */
  failRunningTrials(studyId: number, trialIds: readonly number[], now: number, reason: string): Promise<TrialRecord[]>;
  /** Claims a key in a study exactly once across all workers: true for the first caller, false afterwards. */
  claim(studyId: number, key: string): Promise<boolean>;

  readChanges(studyId: number, cursor: number): Promise<StudyChanges>;
  /**
   * Optional: watches a study's changes (PostgreSQL: LISTEN/NOTIFY). A study refreshes only when the watch knows of
   * a change past its cursor or knows nothing. Storages without it (SQLite, memory) are read at every refresh.
   */
  watch?(studyId: number): StudyWatch;
  /** Reads some of a study's trials without loading the study: a page of a listing, the best trial. */
  readTrials(studyId: number, query: TrialQuery): Promise<TrialPage>;
  /** The parameter names and user-attribute keys of a study's trials, in order of first appearance: a listing's columns. */
  trialKeys(studyId: number): Promise<TrialKeys>;
  /**
   * Optional (the built-in storages have both): the whole study, read in one snapshot, for copying it elsewhere.
   * A storage without it cannot be the source of `scaletune copy`.
   */
  exportStudy?(studyId: number): Promise<StudyExport>;
  /**
   * Optional: creates the study `study` describes, exactly — the same trial numbers and sequence numbers, its trial
   * counter and change sequence where they were — in one transaction, so that it appears whole or not at all.
   * Throws DuplicateStudyError when the name is taken.
   */
  importStudy?(study: StudyExport): Promise<StudyRecord>;
  close(): Promise<void>;
}
