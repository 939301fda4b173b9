/**
 * @module PostgreSQL storage (the `pg` driver, one connection pool per process): workers on many machines share a
 * study through one server.
 *
 * The tables mirror SQLite's (see docs/format.md and docs/postgres.md). Every operation is one statement where it
 * can be, so a trial costs a few round trips: a write bumps its study's change sequence (`studies.seq`) in the same
 * statement that changes the rows, and that row lock, held until commit, serialises the writers of one study, so
 * sequence numbers become visible in order and `readChanges` reads only rows with a sequence in (cursor, seq].
 *
 * `pg` is loaded on first use, not when this module is: the CLI's start-up and SQLite users never pay for it, and
 * the storage object is made synchronously (`openStorage` is synchronous) and connects on its first call.
 */
import { randomBytes } from "node:crypto";
import type { Client, Pool, PoolClient, PoolConfig, QueryResult } from "pg";
import type { Socket } from "node:net";
import { DuplicateStudyError, StorageError, StudyNotFoundError, TrialNotRunningError, TrialStateError } from "../errors.js";
import { INSERT_TOKEN_ATTR, WORKER_ATTR } from "../core/attributes.js";
import type { Direction, JsonValue, TrialState } from "../core/types.js";
import { newTrialValues, patchValues, studyFromRow, TrialDecoder, type StudyRow, type TrialRow } from "./rows.js";
import { DEFAULT_RETRY, ServerLink, type RetryPolicy } from "./postgres-retry.js";
import { emptyCounts } from "./summary.js";
import { CHANNEL_SQL, ChangeListener } from "./postgres-listener.js";
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
  StudyWatch,
  TrialKeys,
  TrialPage,
  TrialPatch,
  TrialQuery,
  TrialRecord,
} from "./storage.js";

/** Version of the PostgreSQL schema. Bump it with a migration; never change what an existing version means. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** The advisory lock that serialises schema creation across workers starting at once ("scaletun" in ASCII). */
const SCHEMA_LOCK = 0x7363616c6574756en;

/**
 * `json` where key order is part of the data (the order parameters were suggested in, the order of user
 * attributes: a listing's columns), `jsonb` where it is not and the database reads inside the value (system
 * attributes are merged and their `worker` read; objective values are ordered by).
 */
const SCHEMA = `
CREATE TABLE scaletune_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE studies (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  directions JSONB NOT NULL,
  created_at BIGINT NOT NULL,
  next_number BIGINT NOT NULL DEFAULT 0,
  seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE trials (
  id BIGSERIAL PRIMARY KEY,
  study_id BIGINT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  number BIGINT NOT NULL,
  state TEXT NOT NULL,
  objective_values JSONB,
  params JSON NOT NULL,
  distributions JSON NOT NULL,
  user_attrs JSON NOT NULL,
  system_attrs JSONB NOT NULL,
  started_at BIGINT,
  completed_at BIGINT,
  heartbeat_at BIGINT,
  fail_reason TEXT,
  seq BIGINT NOT NULL,
  UNIQUE (study_id, number)
);
CREATE INDEX trials_by_seq ON trials (study_id, seq);
CREATE INDEX trials_by_state ON trials (study_id, state, number);
CREATE INDEX complete_by_value ON trials (study_id, ((objective_values->>0)::float8), number) WHERE state = 'complete';
CREATE TABLE intermediate_values (
  trial_id BIGINT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
  study_id BIGINT NOT NULL,
  metric TEXT NOT NULL,
  step BIGINT NOT NULL,
  value DOUBLE PRECISION,
  seq BIGINT NOT NULL,
  PRIMARY KEY (trial_id, metric, step)
);
CREATE INDEX intermediate_by_seq ON intermediate_values (study_id, seq);
CREATE TABLE study_attrs (
  study_id BIGINT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  value JSON NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (study_id, kind, key)
);
CREATE TABLE claims (
  study_id BIGINT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  PRIMARY KEY (study_id, key)
);
`;

/** A trial's columns as a record is decoded from; the insert token is the storage's own business (see BY_TOKEN). */
const TRIAL_COLUMNS = `t.id, t.study_id, t.number, t.state, t.objective_values, t.params, t.distributions, t.user_attrs,
  t.system_attrs - '${INSERT_TOKEN_ATTR}', t.started_at, t.completed_at, t.heartbeat_at, t.fail_reason`;

const FIRST_VALUE = "((t.objective_values->>0)::float8)";

/** A written trial's columns and its sequence number, which the change feed is told of (`noteWrite`). */
const WRITTEN_TRIAL = `${TRIAL_COLUMNS}, t.seq`;
const WRITTEN_SEQ = 13;

/**
 * Returned by each statement that bumps a study's sequence: announces `<study id> <seq>` to the change feed, in the
 * same transaction, so it is sent only if the write commits.
 */
const ANNOUNCE = `pg_notify(${CHANNEL_SQL}, id || ' ' || seq)`;

/** The trial a worker created or started, found by the token it wrote (after a lost connection only: no index). */
const BY_TOKEN = `SELECT ${WRITTEN_TRIAL} FROM trials t WHERE t.study_id = $1 AND t.system_attrs->>'${INSERT_TOKEN_ATTR}' = $2`;

/** A token for one write: 48 random bits, 8 characters on every trial. */
function insertToken(): string {
  return randomBytes(6).toString("base64url");
}

/** Type OIDs whose text this storage parses itself: 64-bit integers (ids, numbers, epoch milliseconds) and JSON. */
const INT8 = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

/** Connections per process: `readChanges` reads three tables at once; a worker needs no more. */
const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;

/** The change feed's connection is told apart by this (`pg_stat_activity.application_name`). */
export const LISTENER_APPLICATION_NAME = "scaletune-listener";

/** A URL with its password (in the userinfo or in a `password` parameter) replaced by `***`: safe to show. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, "$1:***@")
    .replace(/([?&]password=)[^&#]*/gi, "$1***");
}

/** What the server or the network said, as one line naming what to fix. */
export function connectionErrorMessage(error: unknown, url: string): string {
  const where = redactUrl(url);
  const code = pgErrorCode(error);
  const detail = (error as Error).message ?? String(error);
  const reason =
    code === "ECONNREFUSED"
      ? "connection refused: check the host and port (is the server running?)"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "unknown host: check the host name"
        : code === "ETIMEDOUT" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || /timeout/i.test(detail)
          ? "no answer from the server: check the host and port"
          : code === "28P01"
            ? "password authentication failed: check the user and password (in the URL or PGPASSWORD/~/.pgpass)"
            : code === "28000"
              ? "the server refused this user: check the user name (and the server's pg_hba.conf)"
              : code === "3D000"
                ? "the database does not exist: check the database name, or create it (createdb)"
                : null;
  return `cannot connect to PostgreSQL at ${where}: ${reason ?? redactText(detail, url)}`;
}

/** A pg error's code; connection errors of a host with several addresses come as an AggregateError. */
function pgErrorCode(error: unknown): string {
  const e = error as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === "string") return e.code;
  const inner = Array.isArray(e?.errors) ? e.errors.find((x) => typeof (x as { code?: unknown })?.code === "string") : undefined;
  return inner === undefined ? "" : String((inner as { code: string }).code);
}

/** A message with the URL's password removed, should the driver quote it. */
function redactText(text: string, url: string): string {
  let password = "";
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // not a URL the WHATWG parser reads: nothing to remove
  }
  return password === "" ? text : text.split(password).join("***");
}

/**
 * The URL with scaletune's session settings added to its `options` (the server applies them as each connection
 * starts, at no cost): commits do not wait for the disk flush, the trade SQLite's synchronous = NORMAL makes. A
 * crashed worker loses nothing, a crashed database machine may lose its last fraction of a second of writes, and
 * nothing is ever left half-written; it triples a trial's speed where a flush costs milliseconds. A URL that sets
 * synchronous_commit itself (`?options=-c%20synchronous_commit%3Don`) keeps its own.
 */
function withSessionSettings(url: string): string {
  try {
    const parsed = new URL(url);
    const options = parsed.searchParams.get("options") ?? "";
    if (/synchronous_commit/i.test(options)) return url;
    parsed.searchParams.set("options", `${options} -c synchronous_commit=off`.trim());
    return parsed.toString();
  } catch {
    return url;
  }
}

type PgModule = typeof import("pg");

let pgModule: Promise<PgModule> | null = null;
function loadPg(): Promise<PgModule> {
  // pg is CommonJS: its classes are on the default export.
  return (pgModule ??= import("pg").then((m) => ((m as unknown as { default?: PgModule }).default ?? m)));
}

export interface PostgresOptions {
  /** For commands that only look: create no tables; a database without them holds no studies. */
  readonly readOnly?: boolean;
  /** Extra driver settings (tests set `options: "-c search_path=…"` here). */
  readonly pool?: PoolConfig;
  /** Where the lines saying the server was lost and is back go (default: stderr). */
  readonly warn?: (message: string) => void;
  /** How long and how often to retry a lost server (default: `DEFAULT_RETRY`, up to 60 s). */
  readonly retry?: RetryPolicy;
  /**
   * Retry the first connection too. Off by default, so that a wrong URL is reported at once; on for a second
   * connection to a server this process already reached (the heartbeat thread's).
   */
  readonly waitForServer?: boolean;
}

export class PostgresStorage implements Storage {
  readonly persistent = true;
  readonly readOnly: boolean;
  private pool: Pool | null = null;
  private ready: Promise<void> | null = null;
  /** A read-only storage over a database without scaletune's tables: it holds no studies. */
  private empty = false;
  private closed = false;
  private readonly decoder = new TrialDecoder();
  private readonly statementNames = new Map<string, string>();
  /** The change feed, made when a study is first watched. */
  private listener: ChangeListener | null = null;
  private readonly link: ServerLink;

  constructor(
    readonly url: string,
    private readonly options: PostgresOptions = {},
  ) {
    this.readOnly = options.readOnly ?? false;
    this.link = new ServerLink(this.shownUrl, options.warn ?? ((message) => process.stderr.write(`scaletune: ${message}\n`)), options.retry ?? DEFAULT_RETRY);
  }

  /** The URL as it may be shown: without its password. */
  get shownUrl(): string {
    return redactUrl(this.url);
  }

  private connect(): Promise<void> {
    return (this.ready ??= (this.options.waitForServer ? this.link.run(() => this.open()) : this.open()).catch((error: unknown) => {
      this.ready = null;
      throw error;
    }));
  }

  private async open(): Promise<void> {
    if (this.closed) throw new StorageError(`PostgreSQL storage ${this.shownUrl} is closed`);
    const pg = await loadPg();
    const asText = (value: string) => value;
    const types = {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === INT8 ? Number : oid === JSON_OID || oid === JSONB_OID ? asText : pg.types.getTypeParser(oid, format as "text"),
    };
    const pool = new pg.Pool({
      connectionString: withSessionSettings(this.url),
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      allowExitOnIdle: true,
      application_name: "scaletune",
      ...this.options.pool,
      types,
    });
    // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    // Commits do not wait for the disk flush, the trade SQLite's synchronous = NORMAL makes: a crashed worker loses
    // nothing, a crashed database machine may lose its last fraction of a second of writes, and nothing is ever
    // left half-written. It triples a trial's speed where a flush costs milliseconds. A URL that sets
    // synchronous_commit itself (options=-c synchronous_commit=on) keeps its own.

    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      await pool.end().catch(() => {});
      throw new StorageError(connectionErrorMessage(error, this.url), { cause: error });
    }
    try {
      await this.prepareSchema(client);
    } catch (error) {
      client.release();
      await pool.end().catch(() => {});
      if (error instanceof StorageError) throw error;
      throw new StorageError(`cannot use ${this.shownUrl} as scaletune storage: ${redactText((error as Error).message, this.url)}`);
    }
    client.release();
    this.pool = pool;
  }

  watch(studyId: number): StudyWatch {
    this.listener ??= new ChangeListener(() => this.listenerClient());
    return this.listener.watch(studyId);
  }

  /** The change feed's connection: its own (LISTEN belongs to a session), and never what keeps the process alive. */
  private async listenerClient(): Promise<Client> {
    if (this.closed) throw new StorageError(`PostgreSQL storage ${this.shownUrl} is closed`);
    const pg = await loadPg();
    const client = new pg.Client({
      connectionString: withSessionSettings(this.url),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...this.options.pool,
      application_name: LISTENER_APPLICATION_NAME,
    });
    client.on("error", () => {});
    await client.connect();
    (client as unknown as { connection: { stream: Socket } }).connection.stream.unref();
    return client;
  }

  /** A trial this process wrote: its sequence number goes to the change feed, so that the next refresh reads it. */
  private written(row: TrialRow): TrialRecord {
    const trial = this.decoder.trial(row);
    this.listener?.noteWrite(trial.studyId, (row as unknown[])[WRITTEN_SEQ] as number);
    return trial;
  }

  /** Checks the schema version, creating the tables first when the database has none (once, across workers). */
  private async prepareSchema(client: PoolClient): Promise<void> {
    if ((await this.schemaState(client)) === "scaletune") return;
    if (this.readOnly) {
      this.empty = true;
      return;
    }
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK.toString()]);
      // Another worker may have created the tables while this one waited for the lock.
      if ((await this.schemaState(client)) === "empty") {
        await client.query(SCHEMA);
        await client.query("INSERT INTO scaletune_meta (key, value) VALUES ('schema_version', $1)", [String(POSTGRES_SCHEMA_VERSION)]);
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }

  private async schemaState(client: PoolClient): Promise<"empty" | "scaletune"> {
    // The catalog read as a table, not through to_regclass: that consults caches an advisory lock does not
    // refresh, and would miss tables another worker created while this one waited for the lock.
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename IN ('scaletune_meta', 'studies')",
    );
    const tables = new Set(rows.map((r) => r.tablename));
    if (!tables.has("scaletune_meta")) {
      if (tables.has("studies")) {
        throw new StorageError(`${this.shownUrl} has a "studies" table but is not a scaletune database (no scaletune_meta table); choose another database or schema`);
      }
      return "empty";
    }
    const version = await client.query<{ value: string }>("SELECT value FROM scaletune_meta WHERE key = 'schema_version'");
    const found = Number(version.rows[0]?.value ?? NaN);
    if (found > POSTGRES_SCHEMA_VERSION) {
      throw new StorageError(
        `${this.shownUrl} was written by a newer scaletune (schema ${found}; this version reads up to ${POSTGRES_SCHEMA_VERSION}); upgrade scaletune`,
      );
    }
    if (found !== POSTGRES_SCHEMA_VERSION) throw new StorageError(`${this.shownUrl} has an unknown scaletune schema version ${String(found)}`);
    return "scaletune";
  }

  private query<R extends object = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<QueryResult<R>> {
    return this.send(() => this.once<R>(sql, values));
  }

  private rows(sql: string, values: unknown[]): Promise<TrialRow[]> {
    return this.send(() => this.rowsOnce(sql, values));
  }

  /**
   * Runs `operation` once connected, again after a lost connection (see postgres-retry.ts). An operation that is
   * not safe to repeat checks `afterLoss` and first looks for what its lost attempt may have committed.
   */
  private async send<T>(operation: (afterLoss: boolean) => Promise<T>): Promise<T> {
    await this.connect();
    try {
      return await this.link.run(operation);
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** One attempt of a statement, not retried: the building block of `send`'s operations. */
  private once<R extends object = Record<string, unknown>>(sql: string, values: unknown[]): Promise<QueryResult<R>> {
    return this.pool!.query<R>({ name: this.statementName(sql), text: sql, values });
  }

  private async rowsOnce(sql: string, values: unknown[]): Promise<TrialRow[]> {
    return (await this.pool!.query<TrialRow>({ name: this.statementName(sql), text: sql, values, rowMode: "array" })).rows;
  }

  /**
   * A name per SQL text: named statements are parsed and planned once per connection instead of once per call,
   * which halves what a trial's statements cost the server.
   */
  private statementName(sql: string): string {
    let name = this.statementNames.get(sql);
    if (name === undefined) this.statementNames.set(sql, (name = `scaletune_${this.statementNames.size}`));
    return name;
  }

  /** Errors that are not the caller's: lost connections and the like, named with the (redacted) URL. */
  private failure(error: unknown): unknown {
    if (error instanceof StorageError || error instanceof StudyNotFoundError) return error;
    const code = pgErrorCode(error);
    if (/^(28|3D|08)/.test(code) || /^E[A-Z]+$/.test(code)) return new StorageError(connectionErrorMessage(error, this.url));
    return error;
  }

  private notFound(studyId: number): StudyNotFoundError {
    return new StudyNotFoundError(`study id ${studyId} does not exist in ${this.shownUrl} (was it deleted?)`);
  }

  async createStudy(name: string, directions: readonly Direction[]): Promise<StudyRecord> {
    const createdAt = Date.now();
    const record = { name, directions: [...directions], createdAt };
    try {
      return await this.send(async (afterLoss) => {
        // A lost attempt may have created it: the study of that name created at this very millisecond is ours.
        if (afterLoss) {
          const { rows } = await this.once<StudyRow>("SELECT id, name, directions, created_at FROM studies WHERE name = $1", [name]);
          const found = rows[0] ? studyFromRow(rows[0]) : null;
          if (found !== null && found.createdAt === createdAt && JSON.stringify(found.directions) === JSON.stringify(directions)) return found;
        }
        const { rows } = await this.once<{ id: number }>("INSERT INTO studies (name, directions, created_at) VALUES ($1, $2, $3) RETURNING id", [
          name,
          JSON.stringify(directions),
          createdAt,
        ]);
        return { id: rows[0]!.id, ...record };
      });
    } catch (error) {
      if (pgErrorCode(error) === "23505") {
        throw new DuplicateStudyError(`study "${name}" already exists in ${this.shownUrl}; load it or pick another name`);
      }
      throw error;
    }
  }

  async findStudy(name: string): Promise<StudyRecord | null> {
    await this.connect();
    if (this.empty) return null;
    const { rows } = await this.query<StudyRow>("SELECT id, name, directions, created_at FROM studies WHERE name = $1", [name]);
    return rows[0] ? studyFromRow(rows[0]) : null;
  }

  async listStudies(): Promise<StudySummary[]> {
    await this.connect();
    if (this.empty) return [];
    // One statement, one snapshot; each summary reads indexes only, whatever the number of trials.
    const { rows } = await this.query<StudyRow & { counts: string | null; last_activity: number | null; lowest: number | null; highest: number | null; running: string | null }>(
      `SELECT s.id, s.name, s.directions, s.created_at,
         (SELECT json_object_agg(state, n) FROM (SELECT state, COUNT(*) AS n FROM trials WHERE study_id = s.id GROUP BY state) c) AS counts,
         (SELECT COALESCE(completed_at, started_at) FROM trials WHERE study_id = s.id AND COALESCE(completed_at, started_at) IS NOT NULL
          ORDER BY seq DESC LIMIT 1) AS last_activity,
         (SELECT MIN(${FIRST_VALUE}) FROM trials t WHERE t.study_id = s.id AND t.state = 'complete') AS lowest,
         (SELECT MAX(${FIRST_VALUE}) FROM trials t WHERE t.study_id = s.id AND t.state = 'complete') AS highest,
         (SELECT json_agg(json_build_array(number, heartbeat_at, system_attrs -> '${WORKER_ATTR}') ORDER BY number)
          FROM trials WHERE study_id = s.id AND state = 'running') AS running
       FROM studies s ORDER BY s.id`,
    );
    return rows.map((row): StudySummary => {
      const study = studyFromRow(row);
      const counts = emptyCounts();
      for (const [state, n] of Object.entries(JSON.parse(row.counts ?? "{}") as Record<string, number>)) counts[state as TrialState] = Number(n);
      const best = study.directions[0] === "maximize" ? row.highest : row.lowest;
      const running = JSON.parse(row.running ?? "[]") as [number, number | null, JsonValue | null][];
      return {
        ...study,
        counts,
        bestValues: study.directions.length === 1 && best !== null ? [best] : null,
        lastActivityAt: row.last_activity,
        runningTrials: running.map(([number, heartbeatAt, worker]) => ({ number, heartbeatAt, worker })),
      };
    });
  }

  async deleteStudy(studyId: number): Promise<void> {
    // Announced with a number past any cursor, so that its watchers read and learn the study is gone.
    await this.query(`DELETE FROM studies WHERE id = $1 RETURNING pg_notify(${CHANNEL_SQL}, id || ' ' || (seq + 1))`, [studyId]);
  }

  async setStudyAttrs(studyId: number, kind: AttrKind, attrs: Readonly<Record<string, JsonValue>>): Promise<void> {
    const { rows } = await this.query<{ seq: number }>(
      `WITH s AS (UPDATE studies SET seq = seq + 1 WHERE id = $1 RETURNING seq, ${ANNOUNCE}),
       a AS (INSERT INTO study_attrs (study_id, kind, key, value, seq)
             SELECT $1, $2, a.key, a.value, s.seq FROM s, json_each($3::json) a
             ON CONFLICT (study_id, kind, key) DO UPDATE SET value = excluded.value, seq = excluded.seq)
       SELECT seq FROM s`,
      [studyId, kind, JSON.stringify(attrs)],
    );
    if (rows.length === 0) throw this.notFound(studyId);
    this.listener?.noteWrite(studyId, rows[0]!.seq);
  }

  async createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord> {
    const created = await this.tryCreateTrial(studyId, trial, {});
    if (typeof created === "string") throw this.notFound(studyId);
    return created;
  }

  async tryCreateTrial(studyId: number, trial: NewTrial, conditions: CreateConditions): Promise<TrialRecord | CreateRefusal> {
    const { numberBelow, claim } = conditions;
    // The study row is locked first (numbers and sequence), then the claim: a claim already taken is a unique
    // violation that undoes the whole statement, so a refused creation leaves no gap in the numbering.
    const sql = `WITH s AS (
        UPDATE studies SET seq = seq + 1, next_number = next_number + 1
        WHERE id = $1 AND ($9::bigint IS NULL OR next_number < $9) RETURNING seq, next_number - 1 AS number, ${ANNOUNCE}
      )${claim === undefined ? "" : ", c AS (INSERT INTO claims (study_id, key) SELECT $1, $10 FROM s RETURNING 1)"}
      INSERT INTO trials AS t (study_id, number, state, params, distributions, user_attrs, system_attrs, started_at, heartbeat_at, seq)
      SELECT $1, s.number, $2, $3, $4, $5, $6, $7, $8, s.seq FROM s${claim === undefined ? "" : " WHERE EXISTS (SELECT 1 FROM c)"}
      RETURNING ${WRITTEN_TRIAL}`;
    // The token recognises this trial should the reply be lost after the commit: a blind retry would create a second one.
    const token = insertToken();
    const values: unknown[] = [studyId, ...newTrialValues({ ...trial, systemAttrs: { ...trial.systemAttrs, [INSERT_TOKEN_ATTR]: token } }), numberBelow ?? null];
    if (claim !== undefined) values.push(claim);
    let rows: TrialRow[];
    try {
      rows = await this.writeTrial(studyId, token, () => this.rowsOnce(sql, values));
    } catch (error) {
      if (pgErrorCode(error) === "23505" && (error as { constraint?: string }).constraint === "claims_pkey") return "claimed";
      throw error;
    }
    if (rows[0] !== undefined) return this.written(rows[0]);
    const exists = await this.query("SELECT 1 FROM studies WHERE id = $1", [studyId]);
    if (exists.rows.length === 0) throw this.notFound(studyId);
    return "number-limit";
  }

  async startWaitingTrial(studyId: number, now: number, systemAttrs?: Readonly<Record<string, JsonValue>>): Promise<TrialRecord | null> {
    // SKIP LOCKED: workers starting at once take different waiting trials instead of queueing on the same one.
    // The token recognises the trial this worker started should the reply be lost after the commit: without it, a
    // retry would start another one and leave the first running, unbeaten, until it went stale.
    const token = insertToken();
    const start = (): Promise<TrialRow[]> => this.rowsOnce(
      `WITH w AS (SELECT id FROM trials WHERE study_id = $1 AND state = 'waiting' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED),
       s AS (UPDATE studies SET seq = seq + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM w) RETURNING seq, ${ANNOUNCE})
       UPDATE trials t SET state = 'running', started_at = $2, heartbeat_at = $2, system_attrs = t.system_attrs || $3::jsonb, seq = s.seq
       FROM w, s WHERE t.id = w.id RETURNING ${WRITTEN_TRIAL}`,
      [studyId, now, JSON.stringify({ ...systemAttrs, [INSERT_TOKEN_ATTR]: token })],
    );
    const rows = await this.writeTrial(studyId, token, start);
    return rows[0] === undefined ? null : this.written(rows[0]);
  }

  /** A write creating or starting one trial, stamped with `token`: after a lost connection, the trial holding it is the one written. */
  private writeTrial(studyId: number, token: string, write: () => Promise<TrialRow[]>): Promise<TrialRow[]> {
    return this.send(async (afterLoss) => {
      const mine = afterLoss ? await this.rowsOnce(BY_TOKEN, [studyId, token]) : [];
      return mine.length > 0 ? mine : write();
    });
  }

  async updateTrial(trialId: number, patch: TrialPatch): Promise<void> {
    const points = patch.intermediate ?? [];
    // Only a running trial changes, and only once finished: the update's condition is checked again on the row
    // after any concurrent writer commits, so two workers finishing one trial cannot both succeed.
    const update = () => this.once<{ study_id: number; seq: number }>(
      `WITH s AS (UPDATE studies SET seq = seq + 1 WHERE id = (SELECT study_id FROM trials WHERE id = $1 AND state = 'running') RETURNING id, seq, ${ANNOUNCE}),
       u AS (UPDATE trials t SET
               params = COALESCE($2, t.params), distributions = COALESCE($3, t.distributions),
               user_attrs = COALESCE($4, t.user_attrs), system_attrs = COALESCE($5, t.system_attrs),
               state = COALESCE($6, t.state), objective_values = COALESCE($7, t.objective_values),
               fail_reason = COALESCE($8, t.fail_reason), completed_at = COALESCE($9, t.completed_at), seq = s.seq
             FROM s WHERE t.id = $1 AND t.state = 'running' RETURNING t.id, t.study_id, t.seq),
       i AS (INSERT INTO intermediate_values (trial_id, study_id, metric, step, value, seq)
             SELECT u.id, u.study_id, x.metric, x.step, x.value, u.seq
             FROM u, unnest($10::text[], $11::bigint[], $12::float8[]) AS x(metric, step, value)
             ON CONFLICT DO NOTHING)
       SELECT study_id, seq FROM u`,
      [
        trialId,
        ...patchValues(patch),
        points.map((p) => p.metric),
        points.map((p) => p.step),
        // NaN is stored as NULL, as SQLite does, and read back as NaN.
        points.map((p) => (Number.isNaN(p.value) ? null : p.value)),
      ],
    );
    const row = await this.send(async (afterLoss) => {
      // Everything but finishing may be written twice (same values, intermediate values kept once); a finish whose
      // reply was lost is recognised by its state and completion time, which another worker's would not match.
      const { finish } = patch;
      if (afterLoss && finish !== undefined) {
        const { rows } = await this.once<{ state: TrialState; completed_at: number | null }>("SELECT state, completed_at FROM trials WHERE id = $1", [trialId]);
        if (rows[0]?.state === finish.state && rows[0].completed_at === finish.at) return null;
      }
      const updated = (await update()).rows[0];
      if (updated !== undefined) {
        this.listener?.noteWrite(updated.study_id, updated.seq);
        return null;
      }
      return (await this.once<{ state: TrialState; number: number }>("SELECT state, number FROM trials WHERE id = $1", [trialId])).rows[0];
    });
    if (row === null) return;
    if (row === undefined) throw new TrialStateError(`trial id ${trialId} does not exist (was its study deleted?)`);
    throw new TrialNotRunningError(row.number, row.state);
  }

  async heartbeat(trialIds: readonly number[], now: number): Promise<void> {
    if (trialIds.length === 0) return;
    await this.send((afterLoss) =>
      // A beat that waited out a lost server says the trials are alive when it lands, not when it was sent.
      this.once("UPDATE trials SET heartbeat_at = $1 WHERE id = ANY($2::bigint[]) AND state = 'running'", [afterLoss ? Math.max(now, Date.now()) : now, trialIds]),
    );
  }

  async failStaleTrials(studyId: number, staleBefore: number, now: number, reason: string): Promise<TrialRecord[]> {
    const condition = "study_id = $1 AND state = 'running' AND heartbeat_at < $2";
    return this.failWhere(condition, [studyId, this.staleBeforeAfterOutage(staleBefore, now), now, reason]);
  }

  /**
   * No heartbeat lands while the server is away: for one timeout after it is back, only trials that were stale
   * before it went away are stale, and live workers have that long to beat again.
   */
  private staleBeforeAfterOutage(staleBefore: number, now: number): number {
    const outage = this.link.lastOutage;
    const timeout = now - staleBefore;
    return outage !== null && now < outage.to + timeout ? Math.min(staleBefore, outage.from - timeout) : staleBefore;
  }

  async failRunningTrials(studyId: number, trialIds: readonly number[], now: number, reason: string): Promise<TrialRecord[]> {
    if (trialIds.length === 0) return [];
    return this.failWhere("study_id = $1 AND state = 'running' AND id = ANY($2::bigint[])", [studyId, trialIds, now, reason]);
  }

  /** Fails the running trials matching `condition` ($1 the study, $2 its argument), once: the update rechecks the state. */
  private async failWhere(condition: string, values: unknown[]): Promise<TrialRecord[]> {
    const [studyId, , now, reason] = values;
    const fail = () => this.rowsOnce(
      `WITH s AS (UPDATE studies SET seq = seq + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM trials WHERE ${condition}) RETURNING seq, ${ANNOUNCE})
       UPDATE trials t SET state = 'failed', completed_at = $3, fail_reason = $4, seq = s.seq
       FROM s WHERE ${condition.replace(/\b(study_id|state|heartbeat_at|id)\b/g, "t.$1")} RETURNING ${WRITTEN_TRIAL}`,
      values,
    );
    const rows = await this.send(async (afterLoss) => {
      // The caller retries what it failed: trials a lost attempt failed are found by this call's time and reason,
      // or they would stay failed and never be retried.
      const earlier = afterLoss
        ? await this.rowsOnce(`SELECT ${WRITTEN_TRIAL} FROM trials t WHERE t.study_id = $1 AND t.state = 'failed' AND t.completed_at = $2 AND t.fail_reason = $3`, [
            studyId,
            now,
            reason,
          ])
        : [];
      return [...earlier, ...(await fail())];
    });
    return rows.map((row) => this.written(row)).sort((a, b) => a.number - b.number);
  }

  async claim(studyId: number, key: string): Promise<boolean> {
    const result = await this.query("INSERT INTO claims (study_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING", [studyId, key]);
    return result.rowCount === 1;
  }

  async readChanges(studyId: number, cursor: number): Promise<StudyChanges> {
    if (!Number.isSafeInteger(studyId) || !Number.isSafeInteger(cursor)) throw new TypeError(`readChanges(${studyId}, ${cursor}): integers expected`);
    // One round trip: several statements in one message run as one transaction, here a repeatable-read one, so
    // every read sees the same snapshot and the returned cursor matches the rows. The simple protocol takes no
    // parameters; the two integers, checked above, are written into the text.
    const [, seqRows, trialRows, points, attrs] = await this.script(
      `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY;
       SELECT seq FROM studies WHERE id = ${studyId};
       SELECT ${TRIAL_COLUMNS} FROM trials t WHERE t.study_id = ${studyId} AND t.seq > ${cursor} ORDER BY t.seq;
       SELECT trial_id, metric, step, value FROM intermediate_values WHERE study_id = ${studyId} AND seq > ${cursor} ORDER BY seq;
       SELECT kind, key, value FROM study_attrs WHERE study_id = ${studyId} AND seq > ${cursor}`,
    );
    const seq = (seqRows![0] as [number] | undefined)?.[0];
    if (seq === undefined) throw this.notFound(studyId);
    if (seq <= cursor) return { trials: [], intermediate: [], attrs: [], cursor };
    return {
      trials: this.decoder.trials(trialRows as TrialRow[]),
      intermediate: (points as [number, string, number, number | null][]).map(
        ([trialId, metric, step, value]): IntermediateValue => ({ trialId, metric, step, value: value ?? NaN }),
      ),
      attrs: (attrs as [AttrKind, string, string][]).map(([kind, key, value]): StudyAttr => ({ kind, key, value: JSON.parse(value) as JsonValue })),
      cursor: seq,
    };
  }

  /** Runs several statements in one message (one transaction, one round trip); each statement's rows, as arrays. */
  private async script(sql: string): Promise<unknown[][][]> {
    const results = (await this.send(() => this.pool!.query({ text: sql, rowMode: "array" }))) as unknown as QueryResult<unknown[]>[];
    return results.map((r) => r.rows);
  }

  async readTrials(studyId: number, query: TrialQuery): Promise<TrialPage> {
    const states = query.states ?? [];
    const values: unknown[] = [studyId, query.limit ?? null, query.offset ?? 0];
    let where = "t.study_id = $1";
    if (states.length > 0) {
      values.push(states);
      where += ` AND t.state = ANY($${values.length}::text[])`;
    }
    if (query.numbers !== undefined) {
      values.push(query.numbers);
      where += ` AND t.number = ANY($${values.length}::bigint[])`;
    }
    const direction = query.descending ? "DESC" : "ASC";
    // SQLite's order: a missing value sorts lowest.
    const nulls = query.descending ? "NULLS LAST" : "NULLS FIRST";
    const order = query.orderBy === "value" ? `t.objective_values IS NULL, ${FIRST_VALUE} ${direction} ${nulls}, t.number` : `t.number ${direction}`;
    const trials = (await this.rows(`SELECT ${TRIAL_COLUMNS} FROM trials t WHERE ${where} ORDER BY ${order} LIMIT $2 OFFSET $3`, values)).map(
      (row) => this.decoder.trial(row),
    );
    if (query.curves === false || trials.length === 0) return { trials, intermediate: [] };
    const curves = await this.query<{ trial_id: number; metric: string; step: number; value: number | null }>(
      "SELECT trial_id, metric, step, value FROM intermediate_values WHERE trial_id = ANY($1::bigint[]) ORDER BY trial_id, seq",
      [trials.map((t) => t.id)],
    );
    const intermediate = curves.rows.map((r): IntermediateValue => ({ trialId: r.trial_id, metric: r.metric, step: r.step, value: r.value ?? NaN }));
    return { trials, intermediate };
  }

  async trialKeys(studyId: number): Promise<TrialKeys> {
    // First appearance: the first trial that has the key, and within it the key's place in the stored text.
    const keys = (column: string) =>
      `(SELECT COALESCE(array_agg(key ORDER BY first), '{}') FROM (
          SELECT j.key, MIN(t.number * ${2 ** 32} + j.ord) AS first
          FROM trials t, json_each(t.${column}) WITH ORDINALITY AS j(key, value, ord) WHERE t.study_id = $1 GROUP BY j.key) k)`;
    const { rows } = await this.query<{ params: string[]; user_attrs: string[] }>(
      `SELECT ${keys("distributions")} AS params, ${keys("user_attrs")} AS user_attrs`,
      [studyId],
    );
    return { params: rows[0]!.params, userAttrs: rows[0]!.user_attrs };
  }

  async exportStudy(studyId: number): Promise<StudyExport> {
    if (!Number.isSafeInteger(studyId)) throw new TypeError(`exportStudy(${studyId}): an integer expected`);
    // One repeatable-read transaction (see readChanges): one snapshot of the study. Within a sequence number, curve
    // rows and claims come in the order they were written (ctid: they are only ever inserted).
    const [, studyRows, trialRows, points, attrs, claims] = await this.script(
      `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY;
       SELECT id, name, directions, created_at, next_number, seq FROM studies WHERE id = ${studyId};
       SELECT ${TRIAL_COLUMNS}, t.seq FROM trials t WHERE t.study_id = ${studyId} ORDER BY t.number;
       SELECT t.number, i.metric, i.step, i.value, i.seq FROM intermediate_values i JOIN trials t ON t.id = i.trial_id
         WHERE i.study_id = ${studyId} ORDER BY i.seq, i.ctid;
       SELECT kind, key, value, seq FROM study_attrs WHERE study_id = ${studyId} ORDER BY seq, ctid;
       SELECT key FROM claims WHERE study_id = ${studyId} ORDER BY ctid`,
    );
    const study = studyRows![0] as [number, string, string, number, number, number] | undefined;
    if (study === undefined) throw this.notFound(studyId);
    const [, name, directions, createdAt, nextNumber, seq] = study;
    return {
      name,
      directions: JSON.parse(directions) as Direction[],
      createdAt,
      nextNumber,
      seq,
      // A trial row with its sequence number after the columns the decoder reads.
      trials: (trialRows as unknown as [...TrialRow, number][]).map((row) => ({ ...this.decoder.trial(row as unknown as TrialRow), seq: row[13] })),
      intermediate: (points as [number, string, number, number | null, number][]).map(([trialNumber, metric, step, value, seq]) => ({
        trialNumber,
        metric,
        step,
        value: value ?? NaN,
        seq,
      })),
      attrs: (attrs as [AttrKind, string, string, number][]).map(([kind, key, value, seq]) => ({ kind, key, value: JSON.parse(value) as JsonValue, seq })),
      claims: (claims as [string][]).map(([key]) => key),
    };
  }

  async importStudy(study: StudyExport): Promise<StudyRecord> {
    await this.connect();
    const client = await this.pool!.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ id: number }>(
        "INSERT INTO studies (name, directions, created_at, next_number, seq) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        [study.name, JSON.stringify(study.directions), study.createdAt, study.nextNumber, study.seq],
      );
      const id = rows[0]!.id;
      const trialIds = new Map<number, number>();
      // Chunks of rows as one JSON document each, unpacked by the server: a 50,000-trial study is a few dozen round
      // trips, and one document parses faster than a dozen arrays of JSON texts. A json column keeps the value's text.
      for (const trials of chunks(study.trials)) {
        const rows = trials.map((t) => ({
          n: t.number, s: t.state, v: t.values, p: t.params, d: t.distributions, u: t.userAttrs, y: t.systemAttrs,
          a: t.startedAt, c: t.completedAt, h: t.heartbeatAt, f: t.failReason, q: t.seq,
        }));
        const inserted = await client.query<{ id: number; number: number }>(
          `INSERT INTO trials (study_id, number, state, objective_values, params, distributions, user_attrs, system_attrs,
                               started_at, completed_at, heartbeat_at, fail_reason, seq)
           SELECT $1::bigint, n, s, v, p, d, u, y, a, c, h, f, q FROM json_to_recordset($2::json)
             AS x(n bigint, s text, v jsonb, p json, d json, u json, y jsonb, a bigint, c bigint, h bigint, f text, q bigint)
           RETURNING id, number`,
          [id, JSON.stringify(rows)],
        );
        for (const row of inserted.rows) trialIds.set(row.number, row.id);
      }
      for (const points of chunks(study.intermediate)) {
        // NaN becomes null in JSON, stored as NULL as updateTrial stores it. Rows are written in the order given.
        const rows = points.map((p) => ({ t: trialIds.get(p.trialNumber), m: p.metric, s: p.step, v: p.value, q: p.seq }));
        await client.query(
          `INSERT INTO intermediate_values (trial_id, study_id, metric, step, value, seq)
           SELECT t, $1::bigint, m, s, v, q FROM json_to_recordset($2::json) AS x(t bigint, m text, s bigint, v float8, q bigint)`,
          [id, JSON.stringify(rows)],
        );
      }
      await client.query(
        "INSERT INTO study_attrs (study_id, kind, key, value, seq) SELECT $1::bigint, * FROM unnest($2::text[], $3::text[], $4::json[], $5::bigint[])",
        [id, ...transpose(study.attrs.map((a) => [a.kind, a.key, JSON.stringify(a.value), a.seq]), 4)],
      );
      await client.query("INSERT INTO claims (study_id, key) SELECT $1::bigint, * FROM unnest($2::text[])", [id, study.claims]);
      await client.query("COMMIT");
      return { id, name: study.name, directions: [...study.directions], createdAt: study.createdAt };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      if (pgErrorCode(error) === "23505" && (error as { constraint?: string }).constraint === "studies_name_key") {
        throw new DuplicateStudyError(`study "${study.name}" already exists in ${this.shownUrl}`);
      }
      throw this.failure(error);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listener?.close();
    const ready = this.ready;
    this.ready = null;
    if (ready !== null) await ready.catch(() => {});
    const pool = this.pool;
    this.pool = null;
    if (pool !== null) await pool.end();
  }
}

/** Rows per statement of `importStudy`: large enough that round trips do not count, small enough for any server. */
const IMPORT_CHUNK = 5000;

function* chunks<T>(rows: readonly T[]): Generator<readonly T[]> {
  for (let i = 0; i < rows.length; i += IMPORT_CHUNK) yield rows.slice(i, i + IMPORT_CHUNK);
}

/** Rows → one array per column, for `unnest`. */
function transpose(rows: readonly unknown[][], width: number): unknown[][] {
  const columns = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  rows.forEach((row, i) => row.forEach((value, j) => (columns[j]![i] = value)));
  return columns;
}
