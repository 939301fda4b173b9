/**
 * @module Embedded SQLite storage (better-sqlite3), safe for several processes sharing one file.
 *
 * One row per trial (JSON columns for params, distributions and attributes) keeps writes to a couple of statements
 * per trial and loads to one scan. WAL mode lets readers run while a writer commits; every write is one
 * `BEGIN IMMEDIATE` transaction, which takes the write lock up front, so concurrent writers queue on the busy
 * timeout instead of failing with "database is locked". `synchronous = NORMAL` survives a crashed process (the
 * case that matters for workers) but may lose the last commits on power loss.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { DuplicateStudyError, StorageError, StudyNotFoundError, TrialNotRunningError, TrialStateError } from "../errors.js";
import { WORKER_ATTR } from "../core/attributes.js";
import type { Direction, JsonValue, TrialState } from "../core/types.js";
import {
  IMPORTED_TRIAL_COLUMNS,
  importedTrialValues,
  newTrialValues,
  parseObject,
  patchValues,
  studyFromRow,
  TrialDecoder,
  type StudyRow,
  type TrialRow,
} from "./rows.js";
import { emptyCounts } from "./summary.js";
import type {
  AttrKind,
  CreateConditions,
  CreateRefusal,
  IntermediateValue,
  NewTrial,
  Storage,
  StudyAttr,
  StudyChanges,
  StudyRecord,
  StudyExport,
  StudySummary,
  TrialKeys,
  TrialPage,
  TrialPatch,
  TrialQuery,
  TrialRecord,
} from "./storage.js";

/** Version of the on-disk format. Bump it with a migration; never change what an existing version means. */
export const SQLITE_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE scaletune_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  directions TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_number INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE trials (
  id INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  state TEXT NOT NULL,
  objective_values TEXT,
  params TEXT NOT NULL,
  distributions TEXT NOT NULL,
  user_attrs TEXT NOT NULL,
  system_attrs TEXT NOT NULL,
  started_at INTEGER,
  completed_at INTEGER,
  heartbeat_at INTEGER,
  fail_reason TEXT,
  seq INTEGER NOT NULL,
  UNIQUE (study_id, number)
);
CREATE INDEX trials_by_seq ON trials (study_id, seq);
CREATE INDEX trials_by_state ON trials (study_id, state, number);
CREATE TABLE intermediate_values (
  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  study_id INTEGER NOT NULL,
  metric TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (trial_id, metric, step)
);
CREATE INDEX intermediate_by_seq ON intermediate_values (study_id, seq, trial_id, metric, step, value);
CREATE TABLE study_attrs (
  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (study_id, kind, key)
);
CREATE TABLE claims (
  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  PRIMARY KEY (study_id, key)
);
`;

/** A trial's first objective value, as the value index and the queries that use it spell it. */
const FIRST_VALUE = "json_extract(objective_values, '$[0]')";

/**
 * Indexes added to an existing file when a writer opens it: they change what queries cost, not what the file
 * means, so the schema version stays (older versions ignore them). Partial: a trial enters it once, when it
 * completes, so writes pay little for it.
 */
const INDEXES = `CREATE INDEX IF NOT EXISTS complete_by_value ON trials (study_id, ${FIRST_VALUE}, number) WHERE state = 'complete';`;

const TRIAL_COLUMNS =
  "id, study_id, number, state, objective_values, params, distributions, user_attrs, system_attrs, started_at, completed_at, heartbeat_at, fail_reason";

/** How long a writer waits for the lock before giving up. Long: a failure here would lose a trial's result. */
const BUSY_TIMEOUT_MS = 120_000;

export interface SqliteOptions {
  /** Open for reading only: nothing is written, not even the journal mode, and read-only files work. */
  readonly readOnly?: boolean;
}

function openDatabase(path: string, readOnly: boolean): Database.Database {
  const absolute = resolve(path);
  const directory = dirname(absolute);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new StorageError(`cannot open SQLite storage ${path}: directory ${directory} does not exist; create it first`);
  }
  try {
    if (!readOnly) return new Database(absolute, { timeout: BUSY_TIMEOUT_MS });
    // Reading a store that does not exist yet: it holds no studies, and looking must not create it.
    return existsSync(absolute) ? new Database(absolute, { readonly: true, fileMustExist: true }) : emptyStore();
  } catch (error) {
    throw new StorageError(`cannot open SQLite storage ${path}: ${(error as Error).message}`);
  }
}

/** A store with no studies, in memory: what reading a missing or empty file shows. */
function emptyStore(): Database.Database {
  const db = new Database(":memory:");
  createSchema(db);
  return db;
}

function createSchema(db: Database.Database): void {
  db.exec(SCHEMA);
  db.prepare("INSERT INTO scaletune_meta (key, value) VALUES ('schema_version', ?)").run(String(SQLITE_SCHEMA_VERSION));
}

/** SQLite's answers when a WAL-mode file cannot be read in place: its folder is read-only, so no -shm file can exist. */
const CANNOT_READ_IN_PLACE = new Set(["SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY_CANTINIT"]);

/**
 * A private copy of a store that cannot be read where it lies (a read-only folder). Nothing can write such a file,
 * so the copy is exact; it is removed on close.
 */
function readableCopy(path: string): { db: Database.Database; folder: string } {
  const folder = mkdtempSync(join(tmpdir(), "scaletune-readonly-"));
  const copy = join(folder, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  return { db: new Database(copy, { readonly: true, fileMustExist: true }), folder };
}

function sqliteCode(error: unknown): string {
  return String((error as { code?: unknown }).code ?? "");
}

/**
 * Runs `init` again while SQLite reports the file busy. Processes that open a new file at the same moment all
 * switch it to WAL; SQLite answers the losers SQLITE_BUSY at once, without waiting on the busy timeout (waiting
 * could deadlock), so the wait happens here.
 */
function retryWhileBusy(init: () => void): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt++) {
    try {
      return init();
    } catch (error) {
      const busy = sqliteCode(error).startsWith("SQLITE_BUSY");
      if (!busy || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, Math.min(5 * 2 ** attempt, 200) * (0.5 + Math.random()));
    }
  }
}

export class SqliteStorage implements Storage {
  readonly persistent = true;
  readonly readOnly: boolean;
  private db: Database.Database;
  /** The folder of the private copy a read-only store is read from, if it needed one. */
  private copyFolder: string | null = null;
  private readonly statements;
  /** `readTrials` statements by their SQL: a listing pages through one shape of query. */
  private readonly queries = new Map<string, Database.Statement<unknown[], TrialRow>>();
  private readonly decoder = new TrialDecoder();
  /** One wrapper for every transaction: building a new one per call costs more than the statements inside. */
  private readonly transaction: Database.Transaction<(body: () => unknown) => unknown>;

  constructor(
    readonly path: string,
    readonly url = `sqlite:${path}`,
    options: SqliteOptions = {},
  ) {
    this.readOnly = options.readOnly ?? false;
    this.db = openDatabase(path, this.readOnly);
    try {
      if (this.readOnly) this.openForReading();
      else this.openForWriting();
    } catch (error) {
      this.closeDatabase();
      if (error instanceof StorageError) throw error;
      const message = (error as Error).message;
      const hint = /not a database|file is encrypted/i.test(message)
        ? " (the file is not a SQLite database)"
        : /readonly|read-only/i.test(message)
          ? " (the file or its folder is read-only: studies, trials and best can read it; running trials needs write access)"
          : "";
      throw new StorageError(`cannot use ${path} as scaletune storage: ${message}${hint}`);
    }
    this.statements = this.prepare();
    this.transaction = this.db.transaction((body: () => unknown) => body());
  }

  private openForWriting(): void {
    retryWhileBusy(() => {
      // Checked before anything is written: a file that is not ours must be left exactly as it was.
      this.checkSchema();
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("foreign_keys = ON");
      this.db
        .transaction(() => {
          if (this.checkSchema() === "empty") createSchema(this.db);
          this.db.exec(INDEXES);
        })
        .immediate();
    });
  }

  private openForReading(): void {
    try {
      this.checkSchema();
    } catch (error) {
      if (!CANNOT_READ_IN_PLACE.has(sqliteCode(error))) throw error;
      this.db.close();
      const { db, folder } = readableCopy(this.path);
      this.db = db;
      this.copyFolder = folder;
      this.checkSchema();
    }
    if (this.checkSchema() === "empty") {
      this.db.close();
      this.db = emptyStore();
    }
  }

  /** Whether the file is empty (a new store) or a scaletune store this version reads; throws for anything else. */
  private checkSchema(): "empty" | "scaletune" {
    const tables = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (tables.length === 0) return "empty";
    if (!tables.includes("scaletune_meta")) {
      throw new StorageError(`${this.path} is a SQLite database but not a scaletune one (no scaletune_meta table); choose another file`);
    }
    const version = Number(this.db.prepare("SELECT value FROM scaletune_meta WHERE key = 'schema_version'").pluck().get() ?? NaN);
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new StorageError(
        `${this.path} was written by a newer scaletune (schema ${version}; this version reads up to ${SQLITE_SCHEMA_VERSION}); upgrade scaletune`,
      );
    }
    if (version !== SQLITE_SCHEMA_VERSION) throw new StorageError(`${this.path} has an unknown scaletune schema version ${String(version)}`);
    return "scaletune";
  }

  private closeDatabase(): void {
    if (this.db.open) this.db.close();
    if (this.copyFolder !== null) rmSync(this.copyFolder, { recursive: true, force: true });
    this.copyFolder = null;
  }

  private prepare() {
    const db = this.db;
    return {
      insertStudy: db.prepare("INSERT INTO studies (name, directions, created_at) VALUES (?, ?, ?) RETURNING id"),
      studyByName: db.prepare<[string], StudyRow>("SELECT id, name, directions, created_at FROM studies WHERE name = ?"),
      allStudies: db.prepare<[], StudyRow>("SELECT id, name, directions, created_at FROM studies ORDER BY id"),
      // A study's summary reads indexes only, never its trials: `studies` costs the same at 50 trials or 50,000.
      countsByState: db.prepare<[number], { state: TrialState; n: number }>(
        "SELECT state, COUNT(*) AS n FROM trials WHERE study_id = ? GROUP BY state",
      ),
      // The latest change that has a time (queued trials have none): writes are serialised, so it is the latest time.
      lastActivity: db
        .prepare(
          `SELECT COALESCE(completed_at, started_at) AS at FROM trials WHERE study_id = ? AND at IS NOT NULL ORDER BY seq DESC LIMIT 1`,
        )
        .pluck(),
      lowest: db.prepare(`SELECT MIN(${FIRST_VALUE}) FROM trials WHERE study_id = ? AND state = 'complete'`).pluck(),
      highest: db.prepare(`SELECT MAX(${FIRST_VALUE}) FROM trials WHERE study_id = ? AND state = 'complete'`).pluck(),
      deleteStudy: db.prepare("DELETE FROM studies WHERE id = ?"),
      bumpSeq: db.prepare("UPDATE studies SET seq = seq + 1 WHERE id = ? RETURNING seq").pluck(),
      studySeq: db.prepare("SELECT seq FROM studies WHERE id = ?").pluck(),
      nextNumber: db.prepare("UPDATE studies SET next_number = next_number + 1 WHERE id = ? RETURNING next_number - 1").pluck(),
      upsertAttr: db.prepare(
        `INSERT INTO study_attrs (study_id, kind, key, value, seq) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (study_id, kind, key) DO UPDATE SET value = excluded.value, seq = excluded.seq`,
      ),
      insertTrial: trialRows(
        db,
        `INSERT INTO trials (study_id, number, state, params, distributions, user_attrs, system_attrs,
                             started_at, heartbeat_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${TRIAL_COLUMNS}`,
      ),
      firstWaiting: db.prepare<[number], { id: number; system_attrs: string }>(
        "SELECT id, system_attrs FROM trials WHERE study_id = ? AND state = 'waiting' ORDER BY number LIMIT 1",
      ),
      startTrial: trialRows(
        db,
        `UPDATE trials SET state = 'running', started_at = ?, heartbeat_at = ?, system_attrs = ?, seq = ? WHERE id = ? RETURNING ${TRIAL_COLUMNS}`,
      ),
      studyNextNumber: db.prepare("SELECT next_number FROM studies WHERE id = ?").pluck(),
      failRunning: trialRows(
        db,
        `UPDATE trials SET state = 'failed', completed_at = ?, fail_reason = ?, seq = ?
         WHERE study_id = ? AND id = ? AND state = 'running' RETURNING ${TRIAL_COLUMNS}`,
      ),
      runningTrials: db.prepare<[number], { number: number; heartbeat_at: number | null; worker: string | null }>(
        `SELECT number, heartbeat_at, system_attrs -> '$.${WORKER_ATTR}' AS worker
         FROM trials WHERE study_id = ? AND state = 'running' ORDER BY number`,
      ),
      // First appearance: the first trial that has the key, and within it the key's place (json_each's id follows the
      // document, which keeps the order the parameters were suggested in).
      paramKeys: db
        .prepare(`SELECT j.key FROM trials t, json_each(t.distributions) j WHERE t.study_id = ? GROUP BY j.key ORDER BY MIN(t.number * ${2 ** 32} + j.id)`)
        .pluck(),
      userAttrKeys: db
        .prepare(`SELECT j.key FROM trials t, json_each(t.user_attrs) j WHERE t.study_id = ? GROUP BY j.key ORDER BY MIN(t.number * ${2 ** 32} + j.id)`)
        .pluck(),
      curvesOf: db.prepare<[string], { trial_id: number; metric: string; step: number; value: number | null }>(
        "SELECT trial_id, metric, step, value FROM intermediate_values WHERE trial_id IN (SELECT value FROM json_each(?)) ORDER BY trial_id, seq",
      ),
      trialForUpdate: db.prepare<[number], { study_id: number; state: TrialState; number: number }>(
        "SELECT study_id, state, number FROM trials WHERE id = ?",
      ),
      updateTrial: db.prepare(
        `UPDATE trials SET
           params = COALESCE(?, params), distributions = COALESCE(?, distributions),
           user_attrs = COALESCE(?, user_attrs), system_attrs = COALESCE(?, system_attrs),
           state = COALESCE(?, state), objective_values = COALESCE(?, objective_values),
           fail_reason = COALESCE(?, fail_reason), completed_at = COALESCE(?, completed_at), seq = ?
         WHERE id = ?`,
      ),
      insertIntermediate: db.prepare(
        "INSERT OR IGNORE INTO intermediate_values (trial_id, study_id, metric, step, value, seq) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      heartbeat: db.prepare("UPDATE trials SET heartbeat_at = ? WHERE id = ? AND state = 'running'"),
      failStale: trialRows(
        db,
        `UPDATE trials SET state = 'failed', completed_at = ?, fail_reason = ?, seq = ?
         WHERE study_id = ? AND state = 'running' AND heartbeat_at < ? RETURNING ${TRIAL_COLUMNS}`,
      ),
      staleExists: db.prepare("SELECT 1 FROM trials WHERE study_id = ? AND state = 'running' AND heartbeat_at < ? LIMIT 1").pluck(),
      claim: db.prepare("INSERT OR IGNORE INTO claims (study_id, key) VALUES (?, ?)"),
      changedTrials: trialRows(db, `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? AND seq > ? ORDER BY seq`),
      changedIntermediate: db.prepare<[number, number], { trial_id: number; metric: string; step: number; value: number | null }>(
        "SELECT trial_id, metric, step, value FROM intermediate_values WHERE study_id = ? AND seq > ? ORDER BY seq",
      ),
      changedAttrs: db.prepare<[number, number], { kind: AttrKind; key: string; value: string }>(
        "SELECT kind, key, value FROM study_attrs WHERE study_id = ? AND seq > ?",
      ),
    };
  }

  async createStudy(name: string, directions: readonly Direction[]): Promise<StudyRecord> {
    const createdAt = Date.now();
    try {
      const row = this.statements.insertStudy.get(name, JSON.stringify(directions), createdAt) as { id: number };
      return { id: row.id, name, directions: [...directions], createdAt };
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
        throw new DuplicateStudyError(`study "${name}" already exists in ${this.url}; load it or pick another name`);
      }
      throw error;
    }
  }

  async findStudy(name: string): Promise<StudyRecord | null> {
    const row = this.statements.studyByName.get(name);
    return row ? studyFromRow(row) : null;
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.transaction.deferred(() => {
      const studies = this.statements.allStudies.all().map(studyFromRow);
      return studies.map((study): StudySummary => {
        const perState = emptyCounts();
        for (const c of this.statements.countsByState.all(study.id)) perState[c.state] = c.n;
        const lastActivityAt = (this.statements.lastActivity.get(study.id) as number | null | undefined) ?? null;
        const best = (this.statements[study.directions[0] === "maximize" ? "highest" : "lowest"].get(study.id) as number | null) ?? null;
        const bestValues = study.directions.length === 1 && best !== null ? [best] : null;
        const runningTrials = perState.running === 0 ? [] : this.statements.runningTrials.all(study.id).map((r) => ({
          number: r.number,
          heartbeatAt: r.heartbeat_at,
          worker: r.worker === null ? null : (JSON.parse(r.worker) as JsonValue),
        }));
        return { ...study, counts: perState, bestValues, lastActivityAt, runningTrials };
      });
    }) as StudySummary[];
  }

  async deleteStudy(studyId: number): Promise<void> {
    this.statements.deleteStudy.run(studyId);
  }

  async setStudyAttrs(studyId: number, kind: AttrKind, attrs: Readonly<Record<string, JsonValue>>): Promise<void> {
    this.write(() => {
      const seq = this.bumpSeq(studyId);
      for (const [key, value] of Object.entries(attrs)) {
        this.statements.upsertAttr.run(studyId, kind, key, JSON.stringify(value), seq);
      }
    });
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    return this.write(() => this.insertTrial(studyId, trial));
  }

  /** Inside a write transaction. */
  private insertTrial(studyId: number, trial: NewTrial): TrialRecord {
    const seq = this.bumpSeq(studyId);
    const number = this.statements.nextNumber.get(studyId) as number;
    const row = this.statements.insertTrial.get(studyId, number, ...newTrialValues(trial), seq)!;
    return this.decoder.trial(row);
  }

  async tryCreateTrial(studyId: number, trial: NewTrial, conditions: CreateConditions): Promise<TrialRecord | CreateRefusal> {
    return this.write(() => {
      const { numberBelow, claim } = conditions;
      if (numberBelow !== undefined && (this.statements.studyNextNumber.get(studyId) as number) >= numberBelow) return "number-limit";
      if (claim !== undefined && this.statements.claim.run(studyId, claim).changes === 0) return "claimed";
      return this.insertTrial(studyId, trial);
    });
  }

  async startWaitingTrial(studyId: number, now: number, systemAttrs?: Readonly<Record<string, JsonValue>>): Promise<TrialRecord | null> {
    // A read first: usually nothing waits, and that answer should not take the write lock.
    if (this.statements.firstWaiting.get(studyId) === undefined) return null;
    return this.write(() => {
      const waiting = this.statements.firstWaiting.get(studyId);
      if (waiting === undefined) return null;
      const attrs = systemAttrs ? JSON.stringify({ ...parseObject(waiting.system_attrs), ...systemAttrs }) : waiting.system_attrs;
      const seq = this.bumpSeq(studyId);
      return this.decoder.trial(this.statements.startTrial.get(now, now, attrs, seq, waiting.id)!);
    });
  }

  async updateTrial(trialId: number, patch: TrialPatch): Promise<void> {
    this.write(() => {
      const current = this.statements.trialForUpdate.get(trialId);
      if (!current) throw new TrialStateError(`trial id ${trialId} does not exist (was its study deleted?)`);
      if (current.state !== "running") {
        throw new TrialNotRunningError(current.number, current.state);
      }
      const seq = this.bumpSeq(current.study_id);
      this.statements.updateTrial.run(...patchValues(patch), seq, trialId);
      for (const row of patch.intermediate ?? []) {
        // SQLite stores NaN as NULL; it is read back as NaN.
        this.statements.insertIntermediate.run(trialId, current.study_id, row.metric, row.step, row.value, seq);
      }
    });
  }

  async heartbeat(trialIds: readonly number[], now: number): Promise<void> {
    if (trialIds.length === 0) return;
    this.write(() => {
      for (const id of trialIds) this.statements.heartbeat.run(now, id);
    });
  }

  async failStaleTrials(studyId: number, staleBefore: number, now: number, reason: string): Promise<TrialRecord[]> {
    // A read first: the common answer is "none", and it should not take the write lock.
    if (this.statements.staleExists.get(studyId, staleBefore) === undefined) return [];
    return this.write(() => {
      const seq = this.bumpSeq(studyId);
      return this.statements.failStale.all(now, reason, seq, studyId, staleBefore).map((row) => this.decoder.trial(row));
    });
  }

  async failRunningTrials(studyId: number, trialIds: readonly number[], now: number, reason: string): Promise<TrialRecord[]> {
    if (trialIds.length === 0) return [];
    return this.write(() => {
      const seq = this.bumpSeq(studyId);
      const failed: TrialRecord[] = [];
      for (const id of trialIds) {
        const row = this.statements.failRunning.get(now, reason, seq, studyId, id);
        if (row) failed.push(this.decoder.trial(row));
      }
      return failed;
    });
  }

  async claim(studyId: number, key: string): Promise<boolean> {
    return this.write(() => this.statements.claim.run(studyId, key).changes === 1);
  }

  async readChanges(studyId: number, cursor: number): Promise<StudyChanges> {
    // One read transaction: every query sees the same snapshot, so the returned cursor matches the rows.
    return this.transaction.deferred((): StudyChanges => {
      const seq = this.statements.studySeq.get(studyId) as number | undefined;
      if (seq === undefined) throw new StudyNotFoundError(`study id ${studyId} does not exist in ${this.url} (was it deleted?)`);
      if (seq <= cursor) return { trials: [], intermediate: [], attrs: [], cursor };
      const trials = this.decoder.trials(this.statements.changedTrials.iterate(studyId, cursor));
      const intermediate = this.statements.changedIntermediate.all(studyId, cursor).map(
        (r): IntermediateValue => ({ trialId: r.trial_id, metric: r.metric, step: r.step, value: r.value ?? NaN }),
      );
      const attrs = this.statements.changedAttrs.all(studyId, cursor).map(
        (r): StudyAttr => ({ kind: r.kind, key: r.key, value: JSON.parse(r.value) as JsonValue }),
      );
      return { trials, intermediate, attrs, cursor: seq };
    }) as StudyChanges;
  }

  async readTrials(studyId: number, query: TrialQuery): Promise<TrialPage> {
    const states = query.states ?? [];
    const direction = query.descending ? "DESC" : "ASC";
    // Complete trials all have values: asked for alone, the best come straight off complete_by_value (whose
    // condition the query must spell literally) without the NULLs-last term.
    const onlyComplete = states.length === 1 && states[0] === "complete";
    const stateFilter = onlyComplete ? " AND state = 'complete'" : states.length > 0 ? ` AND state IN (${states.map(() => "?").join(", ")})` : "";
    const stateValues = onlyComplete ? [] : states;
    const order =
      query.orderBy === "value"
        ? `${onlyComplete ? "" : "objective_values IS NULL, "}${FIRST_VALUE} ${direction}, number`
        : `number ${direction}`;
    const numbers = query.numbers === undefined ? [] : [JSON.stringify(query.numbers)];
    const sql =
      `SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ?${stateFilter}` +
      `${numbers.length > 0 ? " AND number IN (SELECT value FROM json_each(?))" : ""} ORDER BY ${order} LIMIT ? OFFSET ?`;
    let statement = this.queries.get(sql);
    if (!statement) this.queries.set(sql, (statement = trialRows(this.db, sql)));
    // One read transaction: the curves belong to the same snapshot as the trials.
    return this.transaction.deferred((): TrialPage => {
      const trials = this.decoder.trials(statement.iterate(studyId, ...stateValues, ...numbers, query.limit ?? -1, query.offset ?? 0));
      if (query.curves === false || trials.length === 0) return { trials, intermediate: [] };
      const intermediate = this.statements.curvesOf.all(JSON.stringify(trials.map((t) => t.id))).map(
        (r): IntermediateValue => ({ trialId: r.trial_id, metric: r.metric, step: r.step, value: r.value ?? NaN }),
      );
      return { trials, intermediate };
    }) as TrialPage;
  }

  async trialKeys(studyId: number): Promise<TrialKeys> {
    return this.transaction.deferred((): TrialKeys => ({
      params: this.statements.paramKeys.all(studyId) as string[],
      userAttrs: this.statements.userAttrKeys.all(studyId) as string[],
    })) as TrialKeys;
  }

  async exportStudy(studyId: number): Promise<StudyExport> {
    const db = this.db;
    // One read transaction: one snapshot of the study, however long the reads take.
    return this.transaction.deferred((): StudyExport => {
      const study = db
        .prepare<[number], StudyRow & { next_number: number; seq: number }>("SELECT id, name, directions, created_at, next_number, seq FROM studies WHERE id = ?")
        .get(studyId);
      if (study === undefined) throw new StudyNotFoundError(`study id ${studyId} does not exist in ${this.url} (was it deleted?)`);
      // A trial row with its sequence number after the columns the decoder reads.
      const rows = db.prepare<[number], [...TrialRow, number]>(`SELECT ${TRIAL_COLUMNS}, seq FROM trials WHERE study_id = ? ORDER BY number`).raw(true);
      const trials = rows.all(studyId).map((row) => ({ ...this.decoder.trial(row as unknown as TrialRow), seq: row[13] }));
      const intermediate = db
        .prepare<[number], { number: number; metric: string; step: number; value: number | null; seq: number }>(
          `SELECT t.number, i.metric, i.step, i.value, i.seq FROM intermediate_values i JOIN trials t ON t.id = i.trial_id
           WHERE i.study_id = ? ORDER BY i.seq, i.rowid`,
        )
        .all(studyId)
        .map((r) => ({ trialNumber: r.number, metric: r.metric, step: r.step, value: r.value ?? NaN, seq: r.seq }));
      const attrs = db
        .prepare<[number], { kind: AttrKind; key: string; value: string; seq: number }>("SELECT kind, key, value, seq FROM study_attrs WHERE study_id = ? ORDER BY seq, rowid")
        .all(studyId)
        .map((r) => ({ kind: r.kind, key: r.key, value: JSON.parse(r.value) as JsonValue, seq: r.seq }));
      const claims = db.prepare("SELECT key FROM claims WHERE study_id = ? ORDER BY rowid").pluck().all(studyId) as string[];
      const { name, directions, createdAt } = studyFromRow(study);
      return { name, directions, createdAt, nextNumber: study.next_number, seq: study.seq, trials, intermediate, attrs, claims };
    }) as StudyExport;
  }

  async importStudy(study: StudyExport): Promise<StudyRecord> {
    const db = this.db;
    return this.write((): StudyRecord => {
      let id: number;
      try {
        id = (db.prepare("INSERT INTO studies (name, directions, created_at, next_number, seq) VALUES (?, ?, ?, ?, ?) RETURNING id").pluck().get(
          study.name,
          JSON.stringify(study.directions),
          study.createdAt,
          study.nextNumber,
          study.seq,
        ) as number);
      } catch (error) {
        if (sqliteCode(error) === "SQLITE_CONSTRAINT_UNIQUE") throw new DuplicateStudyError(`study "${study.name}" already exists in ${this.url}`);
        throw error;
      }
      const insertTrial = db.prepare(`INSERT INTO trials (study_id, number, ${IMPORTED_TRIAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const trialIds = new Map<number, number | bigint>();
      for (const trial of study.trials) trialIds.set(trial.number, insertTrial.run(id, trial.number, ...importedTrialValues(trial)).lastInsertRowid);
      const insertValue = db.prepare("INSERT INTO intermediate_values (trial_id, study_id, metric, step, value, seq) VALUES (?, ?, ?, ?, ?, ?)");
      // NaN is bound as NULL, as updateTrial stores it.
      for (const v of study.intermediate) insertValue.run(trialIds.get(v.trialNumber), id, v.metric, v.step, v.value, v.seq);
      const insertAttr = db.prepare("INSERT INTO study_attrs (study_id, kind, key, value, seq) VALUES (?, ?, ?, ?, ?)");
      for (const a of study.attrs) insertAttr.run(id, a.kind, a.key, JSON.stringify(a.value), a.seq);
      const insertClaim = db.prepare("INSERT INTO claims (study_id, key) VALUES (?, ?)");
      for (const key of study.claims) insertClaim.run(id, key);
      return { id, name: study.name, directions: [...study.directions], createdAt: study.createdAt };
    });
  }

  async close(): Promise<void> {
    this.closeDatabase();
  }

  private write<T>(body: () => T): T {
    return this.transaction.immediate(body) as T;
  }

  private bumpSeq(studyId: number): number {
    const seq = this.statements.bumpSeq.get(studyId) as number | undefined;
    if (seq === undefined) throw new StudyNotFoundError(`study id ${studyId} does not exist in ${this.url} (was it deleted?)`);
    return seq;
  }
}

/** A statement that reads or returns whole trials, as `TrialRow` arrays. */
function trialRows(db: Database.Database, sql: string): Database.Statement<unknown[], TrialRow> {
  return db.prepare<unknown[], TrialRow>(sql).raw(true);
}

