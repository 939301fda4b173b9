/**
 * @module What the `scaletune scaling` commands share: reading runs (a CSV file or a study), parsing scale points,
 * and turning the scaling library's RangeErrors into the CLI's one-line errors.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { InvalidArgumentError } from "commander";
import { ConfigError } from "../../../errors.js";
import { csvSource, studySource, type ColumnsRead, type RunsSource } from "../../../scaling/index.js";
import { loadStudy } from "../../../index.js";
import { existingStorage } from "../../options.js";

/** A commander option parser that collects every occurrence, each parsed by `parse`. */
export function collect<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] = []): T[] => [...previous, parse(value)];
}

/** "N=1e11,D=2e12" → { N: 1e11, D: 2e12 }. */
export function scalePoint(text: string): Record<string, number> {
  const point: Record<string, number> = {};
  for (const part of text.split(",")) {
    const [name, raw] = part.split("=").map((s) => s.trim());
    const value = Number(raw);
    if (!name || raw === undefined || !(value > 0)) throw new InvalidArgumentError(`expected NAME=POSITIVE_NUMBER pairs, e.g. N=1e11,D=2e12; got "${part}"`);
    if (name in point) throw new InvalidArgumentError(`${name} is given twice`);
    point[name] = value;
  }
  return point;
}

/** Scaling functions throw RangeError for bad input: shown as the CLI's one-line error, without a stack. */
export function userErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigError(error.message);
    throw error;
  }
}

/** Checked before any work is done: a report written into a missing folder should not cost the fit first. */
export function checkOutputFile(option: string, path: string): void {
  const folder = dirname(path);
  if (!existsSync(folder)) throw new ConfigError(`${option} ${path}: folder ${folder} does not exist; create it first`);
  if (!statSync(folder).isDirectory()) throw new ConfigError(`${option} ${path}: ${folder} is a file, not a folder`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new ConfigError(`${option} ${path}: is a folder; give a file name`);
}

/** A file's text without a byte-order mark (Excel and PowerShell write one), or a one-line error naming what was wrong. */
export function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new ConfigError(`${what} ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new ConfigError(`${what} ${path} is a folder, not a file`);
  return readFileSync(path, "utf8").replace(/^\uFEFF/, "");
}

/** Columns taken by their names, on stderr (stdout stays the report, --json stays JSON): a wrong guess is seen, not fitted. */
export function noteGuessedColumns({ guessed, ignored }: ColumnsRead): void {
  const taken = Object.entries(guessed);
  if (taken.length === 0) return;
  const left = ignored.length === 0 ? "" : `; ignored: ${ignored.map((c) => `"${c}"`).join(", ")}`;
  process.stderr.write(`scaletune: note: columns taken by their names: ${taken.map(([q, c]) => `${q} = "${c}"`).join(", ")}${left} (map them with --columns)\n`);
}

export function describePoint(point: Readonly<Record<string, number>>): string {
  return Object.entries(point).map(([k, v]) => `${k}=${v.toExponential(3)}`).join(",");
}

export interface RunsOptions {
  study?: string;
  storage: string;
}

/** The runs to fit: a CSV file, or a stored study's complete trials (their scale from trial.setScale). */
export async function runsSource(file: string | undefined, options: RunsOptions): Promise<RunsSource> {
  if ((file === undefined) === (options.study === undefined)) throw new ConfigError("give the runs: a CSV file, or --study NAME (with --storage)");
  if (file !== undefined) return userErrors(() => csvSource(readText(file, "runs file")));
  const study = await loadStudy({ name: options.study!, storage: existingStorage(options.storage) });
  try {
    return userErrors(() => studySource(study.name, study.directions, study.trials()));
  } finally {
    await study.close();
  }
}
