/**
 * @module Runs a command as an unprivileged user, for tests of read-only files: root writes through any file mode,
 * so a test running as root drops to `nobody` (util-linux's setpriv) to see what a normal user sees.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync } from "node:fs";

const NOBODY = 65534;

/** The argv that runs `command` without root's privileges (unchanged when not root). */
export function unprivileged(command: readonly string[]): string[] {
  if (process.getuid?.() !== 0) return [...command];
  return ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", ...command];
}

export function runUnprivileged(command: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const [file, ...args] = unprivileged(command);
  return spawnSync(file!, args, { cwd, encoding: "utf8", timeout: 120_000 });
}

/** Makes a folder (a temp dir is private to its creator) enterable and readable, but not writable, by everyone. */
export function makeReadOnlyFolder(path: string): void {
  chmodSync(path, 0o555);
}
