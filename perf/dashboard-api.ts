/**
 * @module The dashboard API's page of trials on a 50,000-trial SQLite study: time from request to parsed JSON for a
 * page of 100 (the default fields), sorted by number and by value — of all trials, and of the complete ones, which
 * SQLite reads off its complete_by_value index — first and deep in the listing (target: ≤ 50 ms median). Requests
 * go over HTTP to a server in this process, one at a time.
 */
import { createStudy, RandomSampler, type Trial } from "../src/index.js";
import { startDashboardServer } from "../src/server/index.js";
import { tempDir } from "../src/testing/temp.js";
import { median, printRows, quantile, type BenchRow, type Size } from "./common.js";

const SIZES = {
  full: { trials: 50_000, requests: 60 },
  quick: { trials: 500, requests: 5 },
} satisfies Record<Size, unknown>;

const PAGE = 100;
const WARM_UP = 5;

function objective(trial: Trial): number {
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const layers = trial.suggestInt("layers", 1, 8);
  trial.suggestCategorical("optimizer", ["sgd", "adam", "adamw"]);
  for (let step = 0; step < 5; step++) trial.report(lr * layers + step, step);
  return lr * layers;
}

async function timedPage(url: string): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url);
  const body = (await response.json()) as { trials: unknown[] };
  const ms = performance.now() - t0;
  if (response.status !== 200 || body.trials.length !== PAGE) throw new Error(`${url}: ${response.status}, ${body.trials.length} trials`);
  return ms;
}

export async function dashboardApi(size: Size): Promise<BenchRow[]> {
  const { trials, requests } = SIZES[size];
  const dir = tempDir("scaletune-bench-");
  const storage = `sqlite:${dir.file("dashboard.db")}`;
  const study = await createStudy({ name: "big", storage, sampler: new RandomSampler({ seed: 1 }) });
  await study.optimize(objective, { nTrials: trials });
  await study.close();
  const server = await startDashboardServer({ storage });
  const rows: BenchRow[] = [];
  try {
    const deep = Math.floor(trials / 2);
    const listings = [
      ["number", "all", 0],
      ["number", "all", deep],
      ["value", "all", 0],
      ["value", "all", deep],
      ["value", "complete", 0],
      ["value", "complete", deep],
    ] as const;
    for (const [sort, state, offset] of listings) {
      const filter = state === "all" ? "" : `&state=${state}`;
      const url = `${server.url}/api/studies/big/trials?sort=${sort}${filter}&offset=${offset}&limit=${PAGE}`;
      for (let i = 0; i < WARM_UP; i++) await timedPage(url);
      const runs: number[] = [];
      for (let i = 0; i < requests; i++) runs.push(await timedPage(url));
      rows.push({
        trials,
        sort,
        state,
        offset,
        requests,
        "median ms": median(runs).toFixed(2),
        "p90 ms": quantile(runs, 0.9).toFixed(2),
        "max ms": Math.max(...runs).toFixed(2),
      });
    }
  } finally {
    await server.close();
    dir.remove();
  }
  printRows(`Dashboard API: a page of ${PAGE} trials over HTTP (SQLite)`, rows);
  return rows;
}
