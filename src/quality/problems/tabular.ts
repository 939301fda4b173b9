/**
 * @module Tabular benchmarks: every configuration of a finite grid was trained beforehand and its result stored,
 * so an evaluation is a table look-up (HPOLib fcnet, HPOBench MLP; `shared/data/tabular/*.json.gz`).
 *
 * File format (shared/data/README.md): `{source, benchmark, dataset, direction, metric, param_order, search_space,
 * key, table}`; `search_space[name]` lists a parameter's values in order, and `table` maps the concatenated choice
 * indices (one digit per parameter, in `param_order`) to the per-seed results.
 *
 * Exposure to samplers: a numeric value list becomes the integer index `<name>_index` ∈ [0, n−1], so models see
 * its order (the lists are arithmetic or geometric, so equal index steps are equal steps on the natural scale);
 * a string list becomes a categorical. The objective is the mean over the table's seeds, which makes it
 * deterministic; regret is measured against the best mean in the table.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Direction } from "../../core/types.js";
import { ConfigError } from "../../errors.js";
import type { BenchTrial, Problem } from "./problem.js";

export interface TabularParam {
  readonly name: string;
  readonly values: readonly (number | string)[];
  /** Numeric lists are suggested as an ordinal index, string lists as categoricals. */
  readonly numeric: boolean;
}

export interface TabularBenchmark {
  /** File name without `.json.gz`. */
  readonly name: string;
  readonly benchmark: string;
  readonly dataset: string;
  readonly metric: string;
  readonly source: string;
  readonly direction: Direction;
  /** In `param_order`; the first varies slowest in the flat tables. */
  readonly params: readonly TabularParam[];
  readonly seeds: number;
  /** Per-seed results: `perSeed[config * seeds + s]`, configs in mixed-radix order of the choice indices. */
  readonly perSeed: Float64Array;
  /** Mean over seeds, one per configuration. */
  readonly means: Float64Array;
}

function malformed(path: string, problem: string): never {
  throw new ConfigError(`malformed tabular file ${path}: ${problem}; expected the format described in shared/data/README.md`);
}

function readJson(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new ConfigError(`cannot read tabular file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const text = path.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
    return JSON.parse(text);
  } catch (error) {
    return malformed(path, `not ${path.endsWith(".gz") ? "gzipped " : ""}JSON (${(error as Error).message})`);
  }
}

function parseParams(path: string, raw: Record<string, unknown>): TabularParam[] {
  const order = raw.param_order;
  const space = raw.search_space as Record<string, unknown> | undefined;
  if (!Array.isArray(order) || order.length === 0 || !order.every((n) => typeof n === "string")) {
    malformed(path, "param_order must be a non-empty list of parameter names");
  }
  if (space === null || typeof space !== "object") malformed(path, "search_space must be an object");
  return (order as string[]).map((name) => {
    const values = space[name];
    if (!Array.isArray(values) || values.length === 0) malformed(path, `search_space.${name} must be a non-empty list`);
    // One digit per parameter in the table keys.
    if (values.length > 10) malformed(path, `search_space.${name} has ${values.length} values; keys allow at most 10`);
    const numeric = values.every((v) => typeof v === "number" && Number.isFinite(v));
    if (!numeric && !values.every((v) => typeof v === "string")) malformed(path, `search_space.${name} mixes numbers and strings`);
    return { name, values: values as (number | string)[], numeric };
  });
}

/** Reads and checks a tabular benchmark file (gzipped or plain JSON). Every configuration must be in the table. */
export function loadTabular(path: string): TabularBenchmark {
  const raw = readJson(path);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) malformed(path, "the top level is not an object");
  const r = raw as Record<string, unknown>;
  if (r.direction !== "minimize" && r.direction !== "maximize") malformed(path, `direction is ${JSON.stringify(r.direction)}`);
  const params = parseParams(path, r);
  const table = r.table as Record<string, unknown> | undefined;
  if (table === null || typeof table !== "object" || Array.isArray(table)) malformed(path, "table must be an object");

  const configs = params.reduce((n, p) => n * p.values.length, 1);
  const keys = Object.keys(table);
  if (keys.length !== configs) malformed(path, `table has ${keys.length} entries, the search space ${configs} configurations`);
  const first = table[keys[0]!];
  const seeds = Array.isArray(first) ? first.length : 0;
  if (seeds === 0) malformed(path, `table entry "${keys[0]}" is not a non-empty list of results`);

  const perSeed = new Float64Array(configs * seeds).fill(NaN);
  const means = new Float64Array(configs);
  for (const key of keys) {
    if (key.length !== params.length) malformed(path, `table key "${key}" does not have one digit per parameter (${params.length})`);
    let index = 0;
    for (let i = 0; i < params.length; i++) {
      const digit = key.charCodeAt(i) - 48;
      if (!(digit >= 0 && digit < params[i]!.values.length)) malformed(path, `table key "${key}": digit ${i + 1} is out of range`);
      index = index * params[i]!.values.length + digit;
    }
    const results = table[key];
    if (!Array.isArray(results) || results.length !== seeds || !results.every((v) => typeof v === "number" && Number.isFinite(v))) {
      malformed(path, `table entry "${key}" is not a list of ${seeds} finite numbers`);
    }
    let sum = 0;
    for (let s = 0; s < seeds; s++) {
      perSeed[index * seeds + s] = results[s] as number;
      sum += results[s] as number;
    }
    means[index] = sum / seeds;
  }
  const text = (field: string) => (typeof r[field] === "string" ? (r[field] as string) : "");
  return {
    name: basename(path).replace(/\.json(\.gz)?$/, ""),
    benchmark: text("benchmark"),
    dataset: text("dataset"),
    metric: text("metric"),
    source: text("source"),
    direction: r.direction,
    params,
    seeds,
    perSeed,
    means,
  };
}

/** Suggests one parameter the tabular way and returns its choice index. */
export function suggestChoiceIndex(trial: BenchTrial, param: TabularParam): number {
  if (param.numeric) return trial.suggestInt(`${param.name}_index`, 0, param.values.length - 1);
  return param.values.indexOf(trial.suggestCategorical(param.name, param.values as readonly string[]));
}

/** Flat configuration index of the trial's choices, suggesting the parameters in `order` (default: param_order). */
export function suggestConfiguration(trial: BenchTrial, bench: TabularBenchmark, order: readonly TabularParam[] = bench.params): number {
  const choice = new Map(order.map((p) => [p.name, suggestChoiceIndex(trial, p)]));
  return bench.params.reduce((index, p) => index * p.values.length + choice.get(p.name)!, 0);
}

function best(values: Float64Array, direction: Direction): number {
  let result = direction === "minimize" ? Infinity : -Infinity;
  for (const v of values) result = direction === "minimize" ? Math.min(result, v) : Math.max(result, v);
  return result;
}

export function tabularProblem(bench: TabularBenchmark, name = `tabular:${bench.name}`): Problem {
  const objective = (trial: BenchTrial): number => bench.means[suggestConfiguration(trial, bench)]!;
  return {
    name,
    direction: bench.direction,
    optimum: best(bench.means, bench.direction),
    regretScale: 1,
    description:
      `${bench.benchmark || "tabular"} ${bench.dataset || bench.name}: ${bench.metric || "result"} — mean over ${bench.seeds} seeds, ` +
      `${bench.means.length} configurations; regret vs. the table's best mean`,
    objectiveFor: () => objective,
  };
}
