import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pruner } from "../../pruners/pruner.js";
import { bestAtMarks, epochMarks, runCurves, type CurveTask } from "./run.js";

const task = (over: Partial<CurveTask> = {}): CurveTask => ({ problem: "curves:crossing", sampler: "random", pruner: "none", seed: 0, epochBudget: 2700, ...over });

/** Prunes every odd-numbered trial once it has reported 5 epochs: a pair of trials costs 27 + 5 epochs. */
const pruneOddAtFive: Pruner = { name: "odd-at-5", prune: (_study, trial) => trial.number % 2 === 1 && trial.intermediateValues.size >= 5 };

describe("a curve benchmark run", () => {
  it("summarises at 10, 25, 50 and 100 % of the budget", () => {
    assert.deepEqual(epochMarks(2700), [270, 675, 1350, 2700]);
    assert.deepEqual(epochMarks(100), [10, 25, 50, 100]);
    assert.deepEqual(epochMarks(27), [3, 7, 14, 27]);
  });

  it("takes at each mark the best of the trials that ended within it", () => {
    const progress: [number, number | null][] = [[27, null], [32, 0.5], [59, 0.4], [64, 0.4], [91, 0.3]];
    assert.deepEqual(bestAtMarks(progress, [10, 27, 60, 91, 100]), [
      { epochs: 10, best: null },
      { epochs: 27, best: null },
      { epochs: 60, best: 0.4 },
      { epochs: 91, best: 0.3 },
      { epochs: 100, best: 0.3 },
    ]);
  });

  it("without pruning runs exactly budget / 27 full trials", async () => {
    const run = await runCurves(task());
    assert.deepEqual([run.engine, run.trials, run.pruned, run.totalEpochs], ["scaletune", 100, 0, 2700]);
    assert.deepEqual(run.progress.map(([epochs]) => epochs), Array.from({ length: 100 }, (_, i) => 27 * (i + 1)));
    // 270 epochs = the first 10 trials, 675 = 25, 1350 = 50, 2700 = all.
    assert.deepEqual(run.bestAt, [9, 24, 49, 99].map((i, k) => ({ epochs: [270, 675, 1350, 2700][k], best: run.progress[i]![1] })));
    assert.equal(run.bestValue, run.progress.at(-1)![1]);
    for (let i = 1; i < 100; i++) assert.ok(run.progress[i]![1]! <= run.progress[i - 1]![1]!, "best-so-far never gets worse");
    // The noise-free asymptote of the best trial: at least the optimum 0.05, and L(27) = f + (1 − f)e^(−27r) + ε ≥ f + ε.
    assert.ok(run.bestAsymptote! >= 0.05 - 1e-12 && run.bestAsymptote! <= run.bestValue! + 0.015, String(run.bestAsymptote));
    assert.ok(run.wallMs! > 0);
  });

  it("counts the epochs of pruned trials and stops at the first trial end at or past the budget", async () => {
    const run = await runCurves(task({ pruner: "odd-at-5", epochBudget: 100 }), { pruner: pruneOddAtFive });
    // Trials end at 27, 32, 59, 64, 91, 96, 123 epochs; the run stops once 100 are spent, past the budget.
    assert.deepEqual(run.progress.map(([epochs]) => epochs), [27, 32, 59, 64, 91, 96, 123]);
    assert.deepEqual([run.trials, run.pruned, run.totalEpochs], [7, 3, 123]);
    const best = run.progress.map(([, value]) => value);
    assert.equal(best[1], best[0], "a pruned trial leaves the best complete value unchanged");
    assert.deepEqual(run.bestAt, [
      { epochs: 10, best: null },
      { epochs: 25, best: null },
      { epochs: 50, best: best[0] },
      // The trial that ended at 123 epochs does not count at 100.
      { epochs: 100, best: best[5] },
    ]);
    assert.equal(run.bestValue, best[6]);
  });

  it("is reproducible from its seed, and the seed matters", async () => {
    const a = await runCurves(task({ seed: 3, epochBudget: 270 }));
    const b = await runCurves(task({ seed: 3, epochBudget: 270 }));
    const c = await runCurves(task({ seed: 4, epochBudget: 270 }));
    assert.deepEqual(a.progress, b.progress);
    assert.notDeepEqual(a.progress, c.progress);
  });

  it("names its study as the anchor names the same run, so pruners that hash the name can agree with Optuna's", async () => {
    const names: string[] = [];
    const recorder: Pruner = { name: "recorder", prune: (study) => (names.push(study.name), false) };
    await runCurves(task({ pruner: "median:nWarmupSteps=5", seed: 4, epochBudget: 27 }), { pruner: recorder });
    await runCurves(task({ problem: "curves:benign", sampler: "tpe-multivariate", pruner: "odd-at-5", epochBudget: 27 }), { pruner: recorder });
    assert.deepEqual([...new Set(names)], ["prune-crossing-random-median_w5-4", "prune-benign-tpe_mv_group-odd-at-5-0"]);
  });

  it("fails on an unknown pruner spec with the registry's message", async () => {
    await assert.rejects(runCurves(task({ pruner: "psychic" })), (e: Error) => e.name === "ConfigError" && /unknown pruner "psychic"/.test(e.message));
  });
});
