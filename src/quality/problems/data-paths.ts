/**
 * @module Where the benchmark data and the measured Optuna anchors live: the workplace's `shared/` folder next to
 * the project (`<project root>/../shared`), with a clear error when data is absent.
 *
 * The path is found from this module's location, which is three folders below the project root both in `src/` and
 * in the built `dist/`, so it does not depend on the current directory.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../../errors.js";

/** `<project root>/../shared`. */
export const SHARED_DIR = fileURLToPath(new URL("../../../../shared/", import.meta.url));

/** `<shared>/data/<parts…>`; throws naming the missing folder (and what needs it) when the path does not exist. */
export function sharedDataPath(what: string, ...parts: string[]): string {
  const path = join(SHARED_DIR, "data", ...parts);
  if (!existsSync(path)) {
    const missing = existsSync(SHARED_DIR) ? path : SHARED_DIR;
    throw new ConfigError(
      `${what} needs the benchmark data in ${join(SHARED_DIR, "data", ...parts)}, but ${missing} does not exist; ` +
        `the shared data folder must sit next to the project folder (../shared), or pass a file path instead`,
    );
  }
  return path;
}

/** `<shared>/anchors/<parts…>`, whether or not it exists: the anchors are a reference shown when present. */
export function sharedAnchorPath(...parts: string[]): string {
  return join(SHARED_DIR, "anchors", ...parts);
}
