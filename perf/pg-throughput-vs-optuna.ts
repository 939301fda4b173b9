/**
 * @module scaletune and Optuna on the same PostgreSQL server in one run: trials per second on the trivial objective
 * (x² + y², random sampler) with 1 and 4 worker processes, repetitions interleaved so that both meet the same
 * machine, and for both a check that no trial was lost or duplicated.
 *
 * Optuna is Debian's python3-optuna 3.1 (with python3-psycopg2) under /usr/bin/python3, run through the Optuna
 * anchor's own benchmark script, read where it lies; its RDB storage on PostgreSQL, its fastest PostgreSQL setup
 * there (anchors/optuna/RESULTS.md, section c), in a database of its own (`scaletune_bench_optuna`). Both get the
 * same commit setting: scaletune's sessions run with synchronous_commit = off, so Optuna's URL asks for it too.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { median, printRows, type BenchRow, type Size } from "./common.js";
import { NO_POSTGRES, onPostgres, POSTGRES } from "./postgres.js";
import { measureThroughput } from "./throughput.js";
import { tempDir } from "../src/testing/temp.js";

const PYTHON = "/usr/bin/python3";
const OPTUNA_BENCH = "/work/shared/anchors/optuna/bench_storage.py";
const OPTUNA_DATABASE = "scaletune_bench_optuna";
const PROCESSES = [1, 4] as const;

const SIZES = {
  full: { repetitions: 3, scaletuneTrials: 6_000, optunaTrials: 1_000, startDelayMs: 1500 },
  quick: { repetitions: 1, scaletuneTrials: 200, optunaTrials: 40, startDelayMs: 0 },
} satisfies Record<Size, unknown>;

interface Outcome {
  readonly trialsPerSecond: number;
  /** Lost, duplicated, unfinished or failed trials and worker errors: 0 when all is well. */
  readonly problems: number;
}

/** Why Optuna cannot be measured here, or null. */
function optunaMissing(): string | null {
  const probe = spawnSync(PYTHON, ["-c", "import optuna, psycopg2"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) return `${PYTHON} cannot import optuna and psycopg2 (apt install python3-optuna python3-psycopg2)`;
  const script = spawnSync(PYTHON, [OPTUNA_BENCH, "--help"], { encoding: "utf8" });
  return script.status === 0 ? null : `the Optuna anchor's ${OPTUNA_BENCH} does not run`;
}

/** The server's URL for SQLAlchemy's psycopg2 driver, on Optuna's database, with scaletune's commit setting. */
function optunaUrl(): string {
  const url = new URL(POSTGRES);
  const auth = url.username === "" ? "" : `${url.username}${url.password === "" ? "" : `:${url.password}`}@`;
  return `postgresql+psycopg2://${auth}${url.host}/${OPTUNA_DATABASE}?options=-csynchronous_commit%3Doff`;
}

async function ensureOptunaDatabase(): Promise<void> {
  const found = await onPostgres(`SELECT 1 FROM pg_database WHERE datname = '${OPTUNA_DATABASE}'`);
  if (found.length === 0) await onPostgres(`CREATE DATABASE ${OPTUNA_DATABASE}`);
}

async function scaletune(processes: number, trials: number, startDelayMs: number): Promise<Outcome> {
  const schema = `scaletune_bench_${randomBytes(4).toString("hex")}`;
  const row = await measureThroughput("postgres", processes, Math.floor(trials / processes), schema, startDelayMs);
  return { trialsPerSecond: Number(row["trials/s"]), problems: Number(row.lost) + Number(row["duplicated or gaps"]) };
}

interface OptunaRun {
  readonly trials_per_s: number | null;
  readonly failed?: string;
  readonly requested_trials: number;
  readonly storage_trial_count: number;
  readonly storage_states: Record<string, number>;
  readonly duplicate_numbers: number;
  readonly numbers_contiguous: boolean;
  readonly duplicate_ids_across_workers: number;
  readonly worker_trials_missing_in_storage: number;
  readonly storage_trials_not_reported_by_workers: number;
  readonly worker_errors: readonly string[];
  readonly worker_failed_trial_states: number;
}

function optuna(processes: number, trials: number, out: string): Outcome {
  const run = spawnSync(PYTHON, [OPTUNA_BENCH, "--out", out, "--pg-url", optunaUrl(), "--configs", `postgres_w${processes}`, "--n", String(trials)], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`Optuna's benchmark failed: ${run.stderr.trim().split("\n").at(-1)}`);
  const runs = (JSON.parse(readFileSync(out, "utf8")) as { runs: OptunaRun[] }).runs;
  const r = runs.at(-1)!;
  if (r.failed !== undefined || r.trials_per_s === null) throw new Error(`Optuna's benchmark failed: ${r.failed ?? "no trials"}`);
  const complete = r.storage_states.COMPLETE ?? 0;
  const problems =
    r.requested_trials - complete +
    r.duplicate_numbers + (r.numbers_contiguous ? 0 : 1) + r.duplicate_ids_across_workers +
    r.worker_trials_missing_in_storage + r.storage_trials_not_reported_by_workers + r.worker_errors.length + r.worker_failed_trial_states;
  return { trialsPerSecond: r.trials_per_s, problems };
}

function row(library: string, processes: number, trials: number, outcomes: readonly Outcome[]): BenchRow {
  const rates = outcomes.map((o) => o.trialsPerSecond);
  return {
    library,
    processes,
    "trials per run": trials,
    runs: rates.length,
    "trials/s median": Math.round(median(rates)),
    "min–max": `${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))}`,
    "lost, duplicated or failed": outcomes.reduce((sum, o) => sum + o.problems, 0),
  };
}

export async function pgThroughputVsOptuna(size: Size): Promise<BenchRow[]> {
  const title = "PostgreSQL throughput, trivial objective, random sampler: scaletune and Optuna in one run";
  if (POSTGRES === "") {
    console.log(`\n## ${title}: ${NO_POSTGRES}`);
    return [];
  }
  const missing = optunaMissing();
  if (missing !== null) {
    console.log(`\n## ${title}: skipped: ${missing}`);
    return [];
  }
  const { repetitions, scaletuneTrials, optunaTrials, startDelayMs } = SIZES[size];
  await ensureOptunaDatabase();
  const dir = tempDir("scaletune-bench-");
  const results = new Map<string, Outcome[]>();
  const record = (key: string, outcome: Outcome) => results.set(key, [...(results.get(key) ?? []), outcome]);
  try {
    for (let rep = 0; rep < repetitions; rep++) {
      for (const processes of PROCESSES) {
        record(`scaletune ${processes}`, await scaletune(processes, scaletuneTrials, startDelayMs));
        record(`optuna ${processes}`, optuna(processes, optunaTrials, dir.file(`optuna-${rep}-${processes}.json`)));
      }
    }
  } finally {
    dir.remove();
  }
  const rows = PROCESSES.flatMap((processes) => [
    row("scaletune", processes, scaletuneTrials, results.get(`scaletune ${processes}`)!),
    row("Optuna 3.1 (RDB)", processes, optunaTrials, results.get(`optuna ${processes}`)!),
  ]);
  printRows(title, rows);
  return rows;
}
