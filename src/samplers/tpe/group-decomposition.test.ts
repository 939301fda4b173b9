import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createStudy } from "../../study/api.js";
import type { Trial } from "../../study/trial.js";
import { GroupDecomposedSearchSpace } from "./group-decomposition.js";

/** optimizer ∈ {sgd, adam} with lr always, momentum only for sgd, beta1 and beta2 only for adam. */
function conditional(trial: Trial): number {
  const optimizer = trial.suggestCategorical("optimizer", ["sgd", "adam"]);
  const lr = trial.suggestFloat("lr", 1e-4, 1, { log: true });
  if (optimizer === "sgd") return lr * trial.suggestFloat("momentum", 0, 1);
  return lr * trial.suggestFloat("beta1", 0, 1) * trial.suggestFloat("beta2", 0, 1);
}

const namesOf = (groups: readonly Record<string, unknown>[]) => groups.map((group) => Object.keys(group));

describe("group decomposition", () => {
  it("groups the parameters that always appear together, whatever order trials finish in", async () => {
    const study = await createStudy({ warn: () => {} });
    await study.enqueueTrial({ optimizer: "sgd" });
    await study.enqueueTrial({ optimizer: "adam" });
    await study.optimize(conditional, { nTrials: 2 });
    const groups = new GroupDecomposedSearchSpace().compute(study);
    assert.deepEqual(namesOf(groups), [["beta1", "beta2"], ["lr", "optimizer"], ["momentum"]]);
    assert.deepEqual(groups[1]!.optimizer, { type: "categorical", choices: ["sgd", "adam"] });

    // Incremental: a new kind of trial splits groups further; trials seen before are not read again.
    const space = new GroupDecomposedSearchSpace();
    space.compute(study);
    await study.optimize((t) => t.suggestFloat("beta1", 0, 1), { nTrials: 1 });
    assert.deepEqual(namesOf(space.compute(study)), [["beta1"], ["beta2"], ["lr", "optimizer"], ["momentum"]]);
  });

  it("drops a parameter seen with two distributions, and ignores running and failed trials", async () => {
    const study = await createStudy({ warn: () => {} });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestFloat("y", 0, 1), { nTrials: 1 });
    await study.optimize((t) => t.suggestFloat("x", 0, 2) + t.suggestFloat("y", 0, 1), { nTrials: 1 });
    const running = await study.ask();
    running.suggestFloat("z", 0, 1);
    await study.optimize((t) => t.suggestFloat("w", 0, 1) + Number.NaN, { nTrials: 1 });
    assert.deepEqual(namesOf(new GroupDecomposedSearchSpace().compute(study)), [["y"]]);
  });
});
