/**
 * @module Shared command-line option parsing: numbers, storage URLs, study lookup.
 */
import { existsSync } from "node:fs";
import { InvalidArgumentError } from "commander";
import { StorageError } from "../errors.js";
import { redactUrl, sqlitePath } from "../index.js";

export const DEFAULT_STORAGE = "sqlite:./scaletune.db";

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer.");
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number ≥ 0.");
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError("expected an integer.");
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number.");
  return n;
}

export function direction(value: string): "minimize" | "maximize" {
  if (value !== "minimize" && value !== "maximize") throw new InvalidArgumentError('expected "minimize" or "maximize".');
  return value;
}

/** For commands that only read: a SQLite file that does not exist is an error, not a new empty database. */
export function existingStorage(url: string): string {
  const path = sqlitePath(url);
  if (path !== null && !existsSync(path)) {
    throw new StorageError(`no scaletune storage at ${path}; run a study first (scaletune run / demo) or pass --storage`);
  }
  if (url === "memory:" || url === "") throw new StorageError("in-memory storage holds no studies between commands; pass --storage sqlite:<path> or postgres://…");
  return url;
}

/** A storage URL as the CLI shows it: without its password. */
export function shownStorage(url: string): string {
  return redactUrl(url);
}
