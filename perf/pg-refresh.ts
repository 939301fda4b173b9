/**
 * @module Refreshing a 10,000-trial PostgreSQL study after another writer added 10 trials (the target: under
 * 20 ms), a refresh when nothing changed, and a full load of the study. The history is inserted in bulk (copies of
 * one real trial); the 10 new trials of each repetition come from a second storage connection, as from another
 * worker, and each refresh is timed once the change feed has announced them.
 */
import { randomBytes } from "node:crypto";
import { createStudy, loadStudy, RandomSampler, type Study } from "../src/index.js";
import type { StudyWatch } from "../src/storage/storage.js";
import { median, printRows, quantile, trivialObjective, type BenchRow, type Size } from "./common.js";
import { NO_POSTGRES, onPostgres, POSTGRES, schemaUrl } from "./postgres.js";

const SIZES = {
  full: { history: 10_000, repetitions: 25, loads: 5 },
  quick: { history: 500, repetitions: 3, loads: 1 },
} satisfies Record<Size, unknown>;

const NEW_TRIALS = 10;

/** Copies trial 0 into trials 1 … n-1 in one statement, and moves the study's counters past them. */
function bulkHistory(studyId: number, n: number): string {
  return `INSERT INTO trials (study_id, number, state, objective_values, params, distributions, user_attrs, system_attrs, started_at, completed_at, seq)
    SELECT study_id, g, state, objective_values, params, distributions, user_attrs, system_attrs, started_at, completed_at, seq + g
    FROM trials, generate_series(1, ${n - 1}) AS g WHERE study_id = ${studyId} AND number = 0;
    UPDATE studies SET next_number = ${n}, seq = seq + ${n - 1} WHERE id = ${studyId}`;
}

/** Waits on the feed until it knows of sequence `seq` (the new trials announced). */
async function announced(watch: StudyWatch, seq: number): Promise<void> {
  for (;;) {
    const next = watch.nextChange();
    if ((watch.knownSeq() ?? -1) >= seq) return;
    await next;
  }
}

function stats(label: string, runs: readonly number[]): BenchRow {
  return {
    what: label,
    runs: runs.length,
    "median ms": median(runs).toFixed(2),
    "p90 ms": quantile(runs, 0.9).toFixed(2),
    "max ms": Math.max(...runs).toFixed(2),
  };
}

async function timed(body: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await body();
  return performance.now() - t0;
}

export async function pgRefresh(size: Size): Promise<BenchRow[]> {
  if (POSTGRES === "") {
    console.log(`\n## PostgreSQL refresh latency: ${NO_POSTGRES}`);
    return [];
  }
  const { history, repetitions, loads } = SIZES[size];
  const schema = `scaletune_bench_${randomBytes(4).toString("hex")}`;
  const storage = schemaUrl(schema);
  await onPostgres(`CREATE SCHEMA ${schema}`);
  // Kept alive by the feed's waits: its connection does not hold the process open, and nothing else does here.
  const alive = setInterval(() => {}, 1000);
  let reader: Study | null = null;
  let writer: Study | null = null;
  try {
    writer = await createStudy({ name: "refresh", storage, sampler: new RandomSampler({ seed: 1 }) });
    await writer.optimize(trivialObjective, { nTrials: 1 });
    await onPostgres(bulkHistory(writer.id, history), storage);

    const loadRuns: number[] = [];
    for (let i = 0; i < loads; i++) {
      loadRuns.push(await timed(async () => (reader = await loadStudy({ name: "refresh", storage }))));
      if (i < loads - 1) await reader!.close();
    }
    const study = reader! as Study;
    if (study.trials().length !== history) throw new Error(`loaded ${study.trials().length} trials, expected ${history}`);
    const feed = study.storage.watch!(study.id);

    const refreshRuns: number[] = [];
    const unchangedRuns: number[] = [];
    for (let r = 0; r < repetitions; r++) {
      await writer.optimize(trivialObjective, { nTrials: NEW_TRIALS });
      const [{ seq }] = (await onPostgres<{ seq: string }>(`SELECT seq FROM studies WHERE id = ${writer.id}`, storage)) as [{ seq: string }];
      await announced(feed, Number(seq));
      refreshRuns.push(await timed(() => study.refresh()));
      unchangedRuns.push(await timed(() => study.refresh()));
    }
    const expected = history + repetitions * NEW_TRIALS;
    if (study.trials().length !== expected) throw new Error(`the reader holds ${study.trials().length} trials, expected ${expected}`);
    feed.close();

    const rows = [
      stats(`refresh after ${NEW_TRIALS} new trials (${history} stored)`, refreshRuns),
      stats("refresh, nothing changed", unchangedRuns),
      stats(`full load (${history} trials)`, loadRuns),
    ];
    printRows("PostgreSQL: refreshing a study after another worker's trials, and loading it", rows);
    return rows;
  } finally {
    clearInterval(alive);
    await (reader as Study | null)?.close();
    await writer?.close();
    await onPostgres(`DROP SCHEMA ${schema} CASCADE`);
  }
}
