/**
 * @module Time of one ask() plus ten suggestions for the model-based samplers, against the history sizes the
 * issue's targets name (10-d continuous box [-5, 10]^10, in memory, Rosenbrock values), as Optuna's anchor did.
 */
import { createStudy, loadStudy, MemoryStorage, RandomSampler, samplerByName, type Trial } from "../src/index.js";
import { median, printRows, quantile, type BenchRow } from "./common.js";

/** Sampler → history sizes; Optuna 3.1's median on the same machine where the anchor measured one. */
const CASES: readonly { sampler: string; history: number; asks: number; optunaMs?: number }[] = [
  { sampler: "tpe", history: 1_000, asks: 50, optunaMs: 60.85 },
  { sampler: "tpe", history: 5_000, asks: 30, optunaMs: 377.52 },
  { sampler: "tpe-multivariate", history: 1_000, asks: 50, optunaMs: 36.22 },
  { sampler: "tpe-multivariate", history: 5_000, asks: 30, optunaMs: 200.78 },
  { sampler: "gp", history: 100, asks: 10 },
  { sampler: "gp", history: 300, asks: 10 },
  { sampler: "cmaes", history: 1_000, asks: 200 },
  { sampler: "cross-entropy", history: 1_000, asks: 200 },
];

function rosenbrock10(trial: Trial): number {
  const x = Array.from({ length: 10 }, (_, i) => trial.suggestFloat(`x${i}`, -5, 10));
  let s = 0;
  for (let i = 0; i < 9; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
}

export async function samplerOverhead(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const { sampler, history, asks, optunaMs } of CASES) {
    // The history is random points, as in Optuna's anchor (add_trials of uniform points), so every sampler
    // sees the same n complete trials without having to generate them itself.
    const storage = new MemoryStorage();
    const filled = await createStudy({ name: "bench", storage, sampler: new RandomSampler({ seed: 1 }) });
    await filled.optimize(rosenbrock10, { nTrials: history });
    const study = await loadStudy({ name: "bench", storage, sampler: samplerByName(sampler, 2), warn: () => {} });
    const askMs: number[] = [];
    for (let i = 0; i < asks; i++) {
      const t0 = performance.now();
      const trial = await study.ask();
      const value = rosenbrock10(trial);
      askMs.push(performance.now() - t0);
      await study.tell(trial, value);
    }
    rows.push({
      sampler,
      "existing trials": history,
      "ask()+10 suggestions, median ms": median(askMs).toFixed(2),
      "p90 ms": quantile(askMs, 0.9).toFixed(2),
      "Optuna 3.1 median ms": optunaMs === undefined ? "-" : optunaMs.toFixed(1),
    });
  }
  printRows("ask() overhead of the model-based samplers, 10-d continuous, in memory", rows);
  return rows;
}
