import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createStudy } from "../study/api.js";
import { IntersectionSearchSpace, UnionSearchSpace } from "./search-space.js";

describe("intersection search space", () => {
  it("keeps the parameters every finished trial shared with one distribution, and updates incrementally", async () => {
    const study = await createStudy();
    const space = new IntersectionSearchSpace();
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("n", 1, 3) + t.suggestFloat("only0", 0, 1), { nTrials: 1 });
    assert.deepEqual(Object.keys(space.compute(study)), ["n", "only0", "x"]);
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("n", 1, 5), { nTrials: 1 });
    // "only0" is missing from trial 1; "n" changed its range.
    assert.deepEqual(Object.keys(space.compute(study)), ["x"]);
    const running = await study.ask();
    running.suggestFloat("y", 0, 1);
    assert.deepEqual(Object.keys(space.compute(study)), ["x"], "running trials do not count");
  });
});

describe("union search space", () => {
  it("keeps every parameter any finished trial had, dropping those seen with two distributions for good", async () => {
    const study = await createStudy();
    const space = new UnionSearchSpace();
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("n", 1, 3) + t.suggestFloat("only0", 0, 1), { nTrials: 1 });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("n", 1, 5) + t.suggestFloat("only1", 0, 1), { nTrials: 1 });
    assert.deepEqual(Object.keys(space.compute(study)), ["only0", "only1", "x"]);
    await study.optimize((t) => t.suggestFloat("x", 0, 1) + t.suggestInt("n", 1, 3), { nTrials: 1 });
    assert.deepEqual(Object.keys(space.compute(study)), ["only0", "only1", "x"], "n stays out once it conflicted");
    const running = await study.ask();
    running.suggestFloat("y", 0, 1);
    assert.deepEqual(Object.keys(space.compute(study)), ["only0", "only1", "x"], "running trials do not count");
  });
});
