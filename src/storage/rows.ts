/**
 * @module Rows ↔ records, for the SQL storages (SQLite, PostgreSQL): both store a trial as one row whose JSON
 * columns are text, and both write and read it the same way.
 */
import { parseDistribution, type Distribution } from "../space/distributions.js";
import type { Direction, JsonValue, TrialState } from "../core/types.js";
import type { NewTrial, StudyRecord, TrialPatch, TrialRecord } from "./storage.js";

/**
 * A trial's columns, in the order the storages select them (`TRIAL_COLUMNS`). Trials are read as arrays
 * (better-sqlite3's raw mode, pg's array row mode): loading a 50,000-trial study spends most of its time turning
 * rows into JavaScript, and arrays are the cheaper shape.
 */
export type TrialRow = [
  id: number,
  study_id: number,
  number: number,
  state: TrialState,
  objective_values: string | null,
  params: string,
  distributions: string,
  user_attrs: string,
  system_attrs: string,
  started_at: number | null,
  completed_at: number | null,
  heartbeat_at: number | null,
  fail_reason: string | null,
];

export interface StudyRow {
  id: number;
  name: string;
  directions: string;
  created_at: number;
}

const STATE_NAMES: Readonly<Record<TrialState, TrialState>> = { waiting: "waiting", running: "running", complete: "complete", pruned: "pruned", failed: "failed" };

/** Turns trial rows into records, sharing what many trials repeat (distributions, attributes). One per storage. */
export class TrialDecoder {
  /** Parsed distributions by their JSON text: trials of one study share a handful of distinct texts. */
  private readonly distributionCache = new Map<string, Readonly<Record<string, Distribution>>>();
  private readonly attrs = new AttrCache();

  /** Row by row, not `all()` then map: each row dies young, and loading 50,000 trials spends a quarter less. */
  trials(rows: Iterable<TrialRow>): TrialRecord[] {
    const trials: TrialRecord[] = [];
    for (const row of rows) trials.push(this.trial(row));
    return trials;
  }

  trial(row: TrialRow): TrialRecord {
    const [id, studyId, number, state, values, params, distributions, userAttrs, systemAttrs, startedAt, completedAt, heartbeatAt, failReason] = row;
    return {
      id,
      studyId,
      number,
      // One string per state, not one per row: a loaded study keeps every trial's state.
      state: STATE_NAMES[state],
      values: values === null ? null : (JSON.parse(values) as number[]),
      params: JSON.parse(params) as Record<string, number>,
      distributions: this.distributions(distributions),
      userAttrs: this.attrs.parse(userAttrs),
      systemAttrs: this.attrs.parse(systemAttrs),
      startedAt,
      completedAt,
      heartbeatAt,
      failReason,
    };
  }

  private distributions(text: string): Readonly<Record<string, Distribution>> {
    let parsed = this.distributionCache.get(text);
    if (!parsed) {
      const raw = JSON.parse(text) as Record<string, unknown>;
      parsed = Object.fromEntries(Object.entries(raw).map(([name, d]) => [name, parseDistribution(name, d)]));
      this.distributionCache.set(text, parsed);
    }
    return parsed;
  }
}

const EMPTY: Readonly<Record<string, JsonValue>> = Object.freeze({});

/** Most trials have no attributes: share one empty object instead of parsing "{}" thousands of times. */
export function parseObject(text: string): Readonly<Record<string, JsonValue>> {
  return text === "{}" ? EMPTY : (JSON.parse(text) as Record<string, JsonValue>);
}

/**
 * Parsed attribute objects by their JSON text. Many trials carry the same attributes — every trial a worker runs
 * with a random or grid sampler has just its `worker` stamp — so loading a large study parses each text once and
 * its trials share the (read-only) object. Bounded: texts that are all different (a GP fit per trial) only pass
 * through.
 */
class AttrCache {
  private static readonly SIZE = 256;
  private readonly parsed = new Map<string, Readonly<Record<string, JsonValue>>>();

  parse(text: string): Readonly<Record<string, JsonValue>> {
    let attrs = this.parsed.get(text);
    if (attrs) return attrs;
    attrs = parseObject(text);
    if (this.parsed.size >= AttrCache.SIZE) this.parsed.clear();
    this.parsed.set(text, attrs);
    return attrs;
  }
}

export function studyFromRow(row: StudyRow): StudyRecord {
  return { id: row.id, name: row.name, directions: JSON.parse(row.directions) as Direction[], createdAt: row.created_at };
}

/** A new trial's values for `state, params, distributions, user_attrs, system_attrs, started_at, heartbeat_at`. */
export function newTrialValues(trial: NewTrial): unknown[] {
  const running = trial.state === "running";
  return [
    trial.state,
    JSON.stringify(trial.params ?? {}),
    JSON.stringify(trial.distributions ?? {}),
    JSON.stringify(trial.userAttrs ?? {}),
    JSON.stringify(trial.systemAttrs ?? {}),
    running ? trial.now : null,
    running ? trial.now : null,
  ];
}

/**
 * A patch's values for `params, distributions, user_attrs, system_attrs, state, objective_values, fail_reason,
 * completed_at`; null where the patch leaves the column as it is.
 */
export function patchValues(patch: TrialPatch): unknown[] {
  const finish = patch.finish;
  return [
    patch.params ? JSON.stringify(patch.params) : null,
    patch.distributions ? JSON.stringify(patch.distributions) : null,
    patch.userAttrs ? JSON.stringify(patch.userAttrs) : null,
    patch.systemAttrs ? JSON.stringify(patch.systemAttrs) : null,
    finish?.state ?? null,
    finish?.values ? JSON.stringify(finish.values) : null,
    finish?.failReason ?? null,
    finish?.at ?? null,
  ];
}

/** The columns `importStudy` writes for a whole trial, in this order (after the study id and the number). */
export const IMPORTED_TRIAL_COLUMNS =
  "state, objective_values, params, distributions, user_attrs, system_attrs, started_at, completed_at, heartbeat_at, fail_reason, seq";

/** A stored trial's values for `IMPORTED_TRIAL_COLUMNS`: a trial copied from another storage, as it was there. */
export function importedTrialValues(trial: TrialRecord & { readonly seq: number }): unknown[] {
  return [
    trial.state,
    trial.values === null ? null : JSON.stringify(trial.values),
    JSON.stringify(trial.params),
    JSON.stringify(trial.distributions),
    JSON.stringify(trial.userAttrs),
    JSON.stringify(trial.systemAttrs),
    trial.startedAt,
    trial.completedAt,
    trial.heartbeatAt,
    trial.failReason,
    trial.seq,
  ];
}
