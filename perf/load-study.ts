/**
 * @module Time to load a 10,000-trial study from SQLite (a fresh process opening the file, as a worker or the CLI does).
 */
import { spawnSync } from "node:child_process";
import { createStudy, RandomSampler, type Trial } from "../src/index.js";
import { tempDir } from "../src/testing/temp.js";
import { median, printRows, type BenchRow, type Size } from "./common.js";

const SIZES = {
  full: { trials: 10_000, loads: 5 },
  quick: { trials: 200, loads: 2 },
} satisfies Record<Size, unknown>;

function objective(trial: Trial): number {
  const x = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const n = trial.suggestInt("layers", 1, 8);
  const opt = trial.suggestCategorical("optimizer", ["sgd", "adam", "adamw"]);
  for (let step = 0; step < 5; step++) trial.report(x * n + step, step);
  trial.setUserAttr("optimizer_family", opt);
  return x * n;
}

const LOADER = `
import { loadStudy } from "./src/index.ts";
const t0 = performance.now();
const study = await loadStudy({ name: "load", storage: process.argv[1] });
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, trials: study.trials().length }));
`;

export async function loadStudyTime(size: Size): Promise<BenchRow[]> {
  const { trials: history, loads } = SIZES[size];
  const dir = tempDir("scaletune-bench-");
  const storage = `sqlite:${dir.file("load.db")}`;
  const study = await createStudy({ name: "load", storage, sampler: new RandomSampler({ seed: 1 }) });
  await study.optimize(objective, { nTrials: history });
  await study.close();
  const runs: number[] = [];
  let trials = 0;
  for (let i = 0; i < loads; i++) {
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", LOADER, storage], { encoding: "utf8" });
    const parsed = JSON.parse(r.stdout) as { ms: number; trials: number };
    runs.push(parsed.ms);
    trials = parsed.trials;
  }
  dir.remove();
  const rows = [{ trials, "params per trial": 3, "curve points per trial": 5, "load median ms": median(runs).toFixed(1), "load max ms": Math.max(...runs).toFixed(1) }];
  printRows("Loading a study from SQLite in a fresh process", rows);
  return rows;
}
