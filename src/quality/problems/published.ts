/**
 * @module `published:naval`: HPOLib naval propulsion exactly as in Optuna's published GPSampler benchmark
 * (nabenabe0928/optuna-benchmark-gp-sampler, `hpolib.py` + `run_gp.py`), and those published runs as reference rows.
 *
 * Their objective: the nine fcnet parameters, suggested in the order of their `tabular_benchmarks.json` (numeric
 * lists as `<name>_index` integers, strings as categoricals); the value is ln(valid MSE at the final epoch) of ONE
 * of the table's four training seeds, drawn per evaluation by `numpy.random.RandomState(study_seed).randint(4)` —
 * a noisy objective. Run with sampler seeds 0…9 it reproduces their conditions exactly: every one of the 2,000
 * published values of `gp/disc`, `botorch/disc` and `rand/disc` is ln(MSE) of the seed drawn this way for its trial
 * (checked against `shared/data/tabular/hpolib_naval_propulsion.json.gz`; they computed the log in float32, so
 * values agree to ~1e-6). Regret is measured against the smallest ln(MSE) of any configuration and seed.
 */
import { readFileSync } from "node:fs";
import { ConfigError } from "../../errors.js";
import { NumpyRandomState } from "./numpy-random.js";
import type { BenchObjective, BenchTrial, Problem } from "./problem.js";
import { bestSoFar, type RunResult } from "./run-result.js";
import { suggestConfiguration, type TabularBenchmark, type TabularParam } from "./tabular.js";

export const PUBLISHED_NAVAL = "published:naval";
export const NAVAL_FILE = "hpolib_naval_propulsion.json.gz";
export const PUBLISHED_VALUES_FILE = "optuna_gp_sampler_values.json";

/** The published objective's suggestion order (their tabular_benchmarks.json). */
const PUBLISHED_ORDER = ["init_lr", "lr_schedule", "batch_size", "activation_fn_1", "activation_fn_2", "dropout_1", "dropout_2", "n_units_1", "n_units_2"];

/** Published run sets on naval, by the label our report gives them. */
const PUBLISHED_SETS: Readonly<Record<string, string>> = {
  "optuna-gp": "gp/disc",
  "optuna-botorch": "botorch/disc",
  "optuna-random": "rand/disc",
};

function publishedOrder(bench: TabularBenchmark): TabularParam[] {
  const names = bench.params.map((p) => p.name);
  if (names.length !== PUBLISHED_ORDER.length || !PUBLISHED_ORDER.every((n) => names.includes(n))) {
    throw new ConfigError(`${PUBLISHED_NAVAL} needs the HPOLib fcnet parameters ${PUBLISHED_ORDER.join(", ")}; the table has ${names.join(", ")}`);
  }
  return PUBLISHED_ORDER.map((n) => bench.params.find((p) => p.name === n)!);
}

/** The problem; `publishedValuesPath` is the published runs' JSON, shown as reference rows. */
export function publishedNavalProblem(bench: TabularBenchmark, publishedValuesPath: string): Problem {
  const order = publishedOrder(bench);
  let optimum = Infinity;
  for (const mse of bench.perSeed) optimum = Math.min(optimum, Math.log(mse));
  return {
    name: PUBLISHED_NAVAL,
    direction: "minimize",
    optimum,
    regretScale: 1,
    description:
      "HPOLib naval as in Optuna's published GPSampler benchmark: ln(valid MSE) of one of 4 seeds drawn per trial by " +
      "numpy RandomState(seed).randint(4); regret vs. the smallest ln(MSE) in the table",
    objectiveFor(seed: number): BenchObjective {
      const rng = new NumpyRandomState(seed);
      const tableSeeds: number[] = [];
      // The k-th evaluation of a study uses the k-th draw; indexing by trial number keeps replays consistent.
      return (trial: BenchTrial) => {
        const config = suggestConfiguration(trial, bench, order);
        while (tableSeeds.length <= trial.number) tableSeeds.push(rng.randint(bench.seeds));
        return Math.log(bench.perSeed[config * bench.seeds + tableSeeds[trial.number]!]!);
      };
    },
    referenceRuns: (trials) => loadPublishedRuns(publishedValuesPath, trials),
  };
}

/** The published runs (10 seeds × 200 trials each), truncated to `trials`, as reference rows of the report. */
export function loadPublishedRuns(path: string, trials: number): RunResult[] {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`cannot read the published Optuna runs ${path}: ${(error as Error).message}`);
  }
  const runs: RunResult[] = [];
  for (const [sampler, key] of Object.entries(PUBLISHED_SETS)) {
    const curves = raw[key];
    if (!Array.isArray(curves)) throw new ConfigError(`${path} has no "${key}" list of runs`);
    curves.forEach((values: unknown, seed) => {
      if (!Array.isArray(values) || !values.every((v) => typeof v === "number")) {
        throw new ConfigError(`${path}: "${key}"[${seed}] is not a list of numbers`);
      }
      const kept = (values as number[]).slice(0, trials);
      runs.push({
        problem: PUBLISHED_NAVAL,
        engine: "published",
        sampler,
        seed,
        bestSoFar: bestSoFar(kept, "minimize"),
        askMs: null,
        tellMs: null,
        objectiveMs: null,
        wallMs: null,
        failed: 0,
        warnings: [],
      });
    });
  }
  return runs;
}
