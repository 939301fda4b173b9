/**
 * @module Optuna's measured pruning runs — `shared/anchors/optuna/results/pruning.jsonl`, written by the anchor's
 * `bench_pruning.py` — read as reference runs for the curve benchmark.
 */
import { readFileSync } from "node:fs";
import { ConfigError } from "../../errors.js";
import { sharedAnchorPath } from "../problems/data-paths.js";
import type { CurveRunResult } from "./run.js";

export const PRUNING_ANCHOR_FILE = sharedAnchorPath("optuna", "results", "pruning.jsonl");

/** What was found at the anchor's path; for a read file, what it covers (to say why a row has no Optuna match). */
export type AnchorStatus =
  | { readonly state: "absent"; readonly path: string }
  | { readonly state: "read"; readonly path: string; readonly samplers: readonly string[]; readonly pruners: readonly string[]; readonly budgets: readonly number[] };

export interface PruningAnchor {
  readonly status: AnchorStatus;
  readonly runs: readonly CurveRunResult[];
}

type Json = Record<string, unknown>;

function field<T>(record: Json, key: string, check: (v: unknown) => v is T, what: string, where: string): T {
  const value = record[key];
  if (!check(value)) throw new ConfigError(`${where}: "${key}" must be ${what}`);
  return value;
}

const isNumber = (v: unknown): v is number => typeof v === "number";
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isString = (v: unknown): v is string => typeof v === "string";
const isNullableNumber = (v: unknown): v is number | null => v === null || typeof v === "number";
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function toRun(record: Json, where: string): CurveRunResult {
  const curve = field(record, "curve", isString, "a string", where);
  const bestAt = field(record, "best_at_epochs", isObject, "an object of epochs → best value", where);
  const states = field(record, "states", isObject, "an object of trial counts by state", where);
  return {
    problem: `curves:${curve}`,
    engine: "optuna",
    sampler: field(record, "sampler", isString, "a string", where),
    pruner: field(record, "pruner", isString, "a string", where),
    seed: field(record, "seed", isCount, "a whole number", where),
    epochBudget: field(record, "budget", isCount, "a whole number", where),
    bestAt: Object.keys(bestAt)
      .map((epochs) => ({ epochs: Number(epochs), best: field(bestAt, epochs, isNullableNumber, "a number", where) }))
      .sort((a, b) => a.epochs - b.epochs),
    totalEpochs: field(record, "total_epochs", isCount, "a whole number", where),
    trials: field(record, "n_trials", isCount, "a whole number", where),
    pruned: states.PRUNED === undefined ? 0 : field(states, "PRUNED", isCount, "a whole number", where),
    bestValue: field(record, "best_value", isNullableNumber, "a number", where),
    bestAsymptote: field(record, "best_trial_true_asymptote", isNullableNumber, "a number", where),
    wallMs: field(record, "wall_s", isNumber, "a number", where) * 1000,
    progress: [],
    warnings: Object.keys(field(record, "log_warnings", isObject, "an object", where)),
  };
}

/**
 * Reads the anchor's runs. An absent file is a state, not an error (the comparison is shown when the shared folder
 * is there); a file that exists but cannot be parsed is a ConfigError naming the line.
 */
export function readPruningAnchor(path: string = PRUNING_ANCHOR_FILE): PruningAnchor {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { status: { state: "absent", path }, runs: [] };
    throw new ConfigError(`cannot read Optuna's pruning anchor ${path}: ${(error as Error).message}`);
  }
  const runs: CurveRunResult[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `Optuna's pruning anchor ${path}, line ${index + 1}`;
    let record: unknown;
    try {
      // Python's json writes a best of inf (no complete trial yet) as Infinity, which JSON.parse rejects.
      record = JSON.parse(line.replace(/:\s*-?Infinity\b/g, ": null"));
    } catch (error) {
      throw new ConfigError(`${where} is not JSON: ${(error as Error).message}`);
    }
    if (!isObject(record)) throw new ConfigError(`${where} is not a JSON object`);
    runs.push(toRun(record, where));
  });
  const distinct = <T>(values: T[]) => [...new Set(values)];
  return {
    status: {
      state: "read",
      path,
      samplers: distinct(runs.map((r) => r.sampler)),
      pruners: distinct(runs.map((r) => r.pruner)),
      budgets: distinct(runs.map((r) => r.epochBudget)),
    },
    runs,
  };
}
