import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BenchTrial, Problem } from "../problems/problem.js";
import { runScaletune } from "./run.js";

function problem(objective: (trial: BenchTrial) => number): Problem {
  return { name: "p", direction: "maximize", optimum: 1, regretScale: 1, description: "", objectiveFor: () => objective };
}

describe("a scaletune benchmark run", () => {
  it("records the running best per trial, counting failed trials as no value", async () => {
    const run = await runScaletune(
      problem((trial) => {
        const x = trial.suggestFloat("x", 0, 1);
        if (trial.number === 1) throw new Error("diverged");
        return trial.number === 2 ? Number.NaN : x;
      }),
      "random",
      5,
      6,
    );
    assert.deepEqual([run.engine, run.sampler, run.seed, run.failed], ["scaletune", "random", 5, 2]);
    assert.equal(run.bestSoFar.length, 6);
    assert.equal(run.bestSoFar[1], run.bestSoFar[0]);
    assert.equal(run.bestSoFar[2], run.bestSoFar[0]);
    for (let i = 1; i < 6; i++) assert.ok(run.bestSoFar[i]! >= run.bestSoFar[i - 1]!, "maximising: the best never drops");
    assert.ok(run.askMs! >= 0 && run.objectiveMs! >= 0 && run.tellMs! >= 0);
    assert.ok(run.warnings.some((w) => /NaN/.test(w)), run.warnings.join("; "));
  });

  it("is reproducible from the seed", async () => {
    const objective = (trial: BenchTrial) => trial.suggestFloat("x", -1, 1) * trial.suggestInt("k", 1, 9);
    const a = await runScaletune(problem(objective), "sobol", 3, 10);
    const b = await runScaletune(problem(objective), "sobol", 3, 10);
    assert.deepEqual(a.bestSoFar, b.bestSoFar);
  });

  it("stops on a search-space error: the problem itself is broken", async () => {
    const broken = problem((trial) => trial.suggestFloat("x", 1, 0));
    await assert.rejects(runScaletune(broken, "random", 0, 3), (e: Error) => e.name === "SearchSpaceError");
  });
});
