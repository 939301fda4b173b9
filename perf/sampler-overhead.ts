/**
 * @module Time of one ask() plus ten suggestions for the model-based samplers, against the history sizes the
 * issue's targets name (10-d continuous box [-5, 10]^10, in memory, Rosenbrock values), as Optuna's anchor did.
 *
 * The targets are times on the machine where the anchor measured Optuna. When Optuna is installed, its TPE is timed
 * here too, in the same run, and the ratio of the anchor's times to these gives this machine's speed relative to
 * the anchor's; our times are also shown at the anchor machine's speed (ours × that ratio).
 */
import { createStudy, loadStudy, MemoryStorage, RandomSampler, samplerByName, type Trial } from "../src/index.js";
import { median, printRows, quantile, type BenchRow, type Size } from "./common.js";
import { optunaAskTimes, type OptunaCase } from "./optuna-overhead.js";

interface OverheadCase {
  readonly sampler: string;
  readonly history: number;
  readonly asks: number;
  /** The target on the anchor's machine, ms. */
  readonly targetMs?: number;
  /** The same measurement of Optuna 3.1: its sampler, and its median on the anchor's machine. */
  readonly optuna?: { readonly sampler: OptunaCase["sampler"]; readonly anchorMs: number };
}

const CASES: readonly OverheadCase[] = [
  { sampler: "tpe", history: 1_000, asks: 50, targetMs: 3, optuna: { sampler: "tpe", anchorMs: 60.85 } },
  { sampler: "tpe", history: 5_000, asks: 30, targetMs: 15, optuna: { sampler: "tpe", anchorMs: 377.52 } },
  { sampler: "tpe-multivariate", history: 1_000, asks: 50, optuna: { sampler: "tpe_mv", anchorMs: 36.22 } },
  { sampler: "tpe-multivariate", history: 5_000, asks: 30, optuna: { sampler: "tpe_mv", anchorMs: 200.78 } },
  { sampler: "gp", history: 100, asks: 10 },
  { sampler: "gp", history: 300, asks: 10, targetMs: 500 },
  { sampler: "cmaes", history: 1_000, asks: 200, targetMs: 1 },
  { sampler: "cross-entropy", history: 1_000, asks: 200 },
];
/** Optuna's asks per case, as in the anchor (k = 20). */
const OPTUNA_ASKS = 20;
/** `quick`: a tenth of each history and at most 5 asks, Optuna's included. */
const QUICK_ASKS = 5;

function rosenbrock10(trial: Trial): number {
  const x = Array.from({ length: 10 }, (_, i) => trial.suggestFloat(`x${i}`, -5, 10));
  let s = 0;
  for (let i = 0; i < 9; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
}

export async function samplerOverhead(size: Size): Promise<BenchRow[]> {
  const cases = size === "full" ? CASES : CASES.map((c) => ({ ...c, history: c.history / 10, asks: Math.min(c.asks, QUICK_ASKS) }));
  const optunaAsks = size === "full" ? OPTUNA_ASKS : QUICK_ASKS;
  const ours = new Map<OverheadCase, number[]>();
  for (const c of cases) ours.set(c, await askTimes(c));
  const compared = cases.filter((c) => c.optuna);
  const optuna = optunaAskTimes(compared.map((c) => ({ sampler: c.optuna!.sampler, history: c.history, asks: optunaAsks })));
  const optunaHere = new Map<OverheadCase, number>();
  if ("medianMs" in optuna) compared.forEach((c, i) => optunaHere.set(c, optuna.medianMs[i]!));
  // This machine's speed relative to the anchor's (below 1: slower), by Optuna's own times.
  const speed = optunaHere.size > 0 ? median(compared.map((c) => c.optuna!.anchorMs / optunaHere.get(c)!)) : null;

  const rows = cases.map((c): BenchRow => {
    const times = ours.get(c)!;
    const here = optunaHere.get(c);
    return {
      sampler: c.sampler,
      "existing trials": c.history,
      "ask()+10 suggestions, median ms": median(times).toFixed(2),
      "p90 ms": quantile(times, 0.9).toFixed(2),
      "Optuna here, median ms": here === undefined ? "-" : here.toFixed(1),
      "ours ÷ Optuna": here === undefined ? "-" : (median(times) / here).toFixed(3),
      "at the anchor machine's speed, ms": speed === null ? "-" : (median(times) * speed).toFixed(2),
      "target there, ms": c.targetMs ?? "-",
    };
  });
  printRows("ask() overhead of the model-based samplers, 10-d continuous, in memory", rows);
  if ("skipped" in optuna) console.log(`\nNot compared with Optuna, so not scaled to the anchor machine: ${optuna.skipped}`);
  else {
    console.log(`\nOptuna ${optuna.version} measured in this run: this machine runs it at ${speed!.toFixed(2)}× the anchor machine's ` +
      "speed (median over the four cases of anchor ms ÷ ms here).");
  }
  return rows;
}

/** ms of each timed ask() plus ten suggestions, after `history` random trials. */
async function askTimes({ sampler, history, asks }: OverheadCase): Promise<number[]> {
  // The history is random points, as in Optuna's anchor (add_trials of uniform points), so every sampler
  // sees the same n complete trials without having to generate them itself.
  const storage = new MemoryStorage();
  const filled = await createStudy({ name: "bench", storage, sampler: new RandomSampler({ seed: 1 }) });
  await filled.optimize(rosenbrock10, { nTrials: history });
  const study = await loadStudy({ name: "bench", storage, sampler: samplerByName(sampler, 2), warn: () => {} });
  const times: number[] = [];
  for (let i = 0; i < asks; i++) {
    const t0 = performance.now();
    const trial = await study.ask();
    const value = rosenbrock10(trial);
    times.push(performance.now() - t0);
    await study.tell(trial, value);
  }
  return times;
}
