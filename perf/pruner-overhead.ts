/**
 * @module Time of one pruning decision (`trial.shouldPrune()` after a `report()`) with 1,000 finished trials of
 * 100 steps each in the study, for every pruner: the target is under 1 ms.
 *
 * The history is 1,000 noisy saturating curves (random rates and asymptotes) run to the end without pruning, so
 * every pruner sees the same full study; then 20 new trials report 100 steps each and every decision is timed,
 * after 3 untimed trials that warm up the JIT and the pruner's caches (one-time costs, not per-report ones).
 */
import { createStudy, loadStudy, MemoryStorage, NopPruner, RandomSampler, prunerFromSpec, type Trial } from "../src/index.js";
import { Rng } from "../src/math/random.js";
import { median, printRows, quantile, type BenchRow, type Size } from "./common.js";

const SIZES = {
  full: { history: 1_000, steps: 100, timedTrials: 20, warmUpTrials: 3 },
  quick: { history: 50, steps: 20, timedTrials: 4, warmUpTrials: 1 },
} satisfies Record<Size, unknown>;
const TARGET_MS = 1;
const PRUNERS = [
  "median",
  "percentile:percentile=25",
  "patient:patience=5,wrapped=median",
  "threshold:upper=0.9",
  "sha:minResource=1,reductionFactor=3",
  "hyperband:minResource=1,maxResource=100,reductionFactor=3",
  "learning-curve",
];

/** Reports a saturating curve whose asymptote and rate depend on the trial's two parameters. */
function reportCurve(trial: Trial, steps: number, onStep: () => boolean): number {
  const asymptote = trial.suggestFloat("asymptote", 0.05, 0.6);
  const rate = trial.suggestFloat("rate", 0.01, 1, { log: true });
  const rng = new Rng(trial.number);
  let value = 1;
  for (let step = 1; step <= steps; step++) {
    value = asymptote + (1 - asymptote) * Math.exp(-rate * step) + 0.003 * rng.normal();
    trial.report(value, step);
    if (onStep()) break;
  }
  return value;
}

export async function prunerOverhead(size: Size): Promise<BenchRow[]> {
  const { history, steps, timedTrials, warmUpTrials } = SIZES[size];
  const storage = new MemoryStorage();
  const filled = await createStudy({ name: "bench", storage, sampler: new RandomSampler({ seed: 1 }), pruner: new NopPruner() });
  await filled.optimize((trial) => reportCurve(trial, steps, () => false), { nTrials: history });
  const rows: BenchRow[] = [];
  for (const spec of PRUNERS) {
    const study = await loadStudy({ name: "bench", storage, sampler: new RandomSampler({ seed: 2 }), pruner: prunerFromSpec(spec), warn: () => {} });
    const times: number[] = [];
    let pruned = 0;
    for (let i = 0; i < warmUpTrials + timedTrials; i++) {
      const timed = i >= warmUpTrials;
      const trial = await study.ask();
      let stopped = false;
      const value = reportCurve(trial, steps, () => {
        const t0 = performance.now();
        stopped = trial.shouldPrune();
        if (timed) times.push(performance.now() - t0);
        return stopped;
      });
      if (stopped && timed) pruned++;
      await study.tell(trial, stopped ? "pruned" : value);
    }
    rows.push({
      pruner: spec,
      decisions: times.length,
      "trials pruned": `${pruned} / ${timedTrials}`,
      "median ms": median(times).toFixed(4),
      "p99 ms": quantile(times, 0.99).toFixed(4),
      "max ms": Math.max(...times).toFixed(3),
      "target ms": TARGET_MS,
    });
  }
  printRows(`shouldPrune() after a report, ${history} finished trials × ${steps} steps in memory`, rows);
  return rows;
}
