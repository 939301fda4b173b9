/**
 * @module Storage URLs → storage instances.
 *
 * - none, `memory:` → in memory (gone with the process)
 * - `sqlite:<path>` → an embedded SQLite file; `sqlite:///<path>` (the SQLAlchemy form Optuna users write) too
 * - `postgres://…`, `postgresql://…` → a PostgreSQL database (connects on first use; the PG* variables fill in
 *   what the URL leaves out)
 */
import { StorageError } from "../errors.js";
import { MemoryStorage } from "./memory.js";
import { PostgresStorage, redactUrl } from "./postgres.js";
import { SqliteStorage } from "./sqlite.js";
import type { Storage } from "./storage.js";

export type StorageInput = string | Storage | undefined;

const USAGE = "use sqlite:<path> (e.g. sqlite:./scaletune.db), postgres://user@host/database, or no storage for an in-memory study";

/** The SQLite file path inside a `sqlite:` URL, or null when the URL is not a SQLite one. */
export function sqlitePath(url: string): string | null {
  if (!url.startsWith("sqlite:")) return null;
  let rest = url.slice("sqlite:".length);
  if (rest.startsWith("///")) rest = rest.slice(3);
  else if (rest.startsWith("//")) {
    throw new StorageError(`storage URL "${url}" has a host part, which SQLite files cannot have; ${USAGE}`);
  }
  if (rest === "") throw new StorageError(`storage URL "${url}" names no file; ${USAGE}`);
  return rest;
}

/** Whether a URL names a PostgreSQL database. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export { redactUrl };

export interface OpenOptions {
  /** For commands that only look: write nothing, and accept read-only files (see `SqliteOptions`). */
  readonly readOnly?: boolean;
  /** Where a PostgreSQL storage says it lost its server and found it again (default: stderr). */
  readonly warn?: (message: string) => void;
}

export function openStorage(input: StorageInput, options: OpenOptions = {}): Storage {
  if (input !== undefined && typeof input !== "string") return input;
  const url = (input ?? "").trim();
  if (url === "" || url === "memory:" || url === ":memory:") return new MemoryStorage();
  const path = sqlitePath(url);
  if (path !== null) return new SqliteStorage(path, url, options);
  if (isPostgresUrl(url)) return new PostgresStorage(url, options);
  throw new StorageError(`unrecognised storage URL "${redactUrl(url)}"; ${USAGE}`);
}
