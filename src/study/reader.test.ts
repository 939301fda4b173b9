import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RandomSampler } from "../samplers/random.js";
import { MemoryStorage } from "../storage/memory.js";
import { createStudy } from "./api.js";
import { StudyReader } from "./reader.js";

describe("StudyReader", () => {
  it("pages through a listing across page boundaries, with offset and limit", async () => {
    const storage = new MemoryStorage();
    const study = await createStudy({ name: "r", storage, sampler: new RandomSampler({ seed: 1 }) });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 4_500 });
    const reader = await StudyReader.open({ name: "r", storage });
    const numbers: number[] = [];
    let pages = 0;
    for await (const page of reader.pages({ offset: 10, limit: 4_100, curves: false })) {
      pages++;
      numbers.push(...page.map((t) => t.number));
    }
    assert.equal(pages, 3);
    assert.deepEqual(numbers, Array.from({ length: 4_100 }, (_, i) => i + 10));
    const all = [];
    for await (const page of reader.pages()) all.push(...page);
    assert.equal(all.length, 4_500);
    const best = await reader.trials({ orderBy: "best", limit: 3 });
    assert.deepEqual(best.map((t) => t.value), study.trials().map((t) => t.value!).sort((a, b) => a - b).slice(0, 3));
    assert.deepEqual(await reader.bestTrials(), [study.bestTrial]);
    await reader.close();
  });

  it("finds the Pareto front of a stored study as the study does, with curves", async () => {
    const storage = new MemoryStorage();
    const study = await createStudy({ name: "mo", storage, directions: ["minimize", "maximize"], sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize((t) => {
      const x = t.suggestFloat("x", 0, 1);
      const y = t.suggestFloat("y", 0, 1);
      t.report([x, y], 0);
      return [x + y, x * y];
    }, { nTrials: 300 });
    const reader = await StudyReader.open({ name: "mo", storage });
    const front = await reader.bestTrials();
    const dominated = (a: readonly number[], b: readonly number[]) => b[0]! <= a[0]! && b[1]! >= a[1]! && (b[0]! < a[0]! || b[1]! > a[1]!);
    const all = study.trials();
    const expected = all.filter((t) => !all.some((o) => dominated(t.values!, o.values!))).map((t) => t.number);
    assert.deepEqual(study.bestTrials.map((t) => t.number), expected, "the study's front, kept as trials arrive");
    assert.deepEqual(front.map((t) => t.number), expected);
    assert.ok(front.length > 1 && front.every((t) => t.intermediateValues.size === 1));
    await reader.close();
  });

  it("names the studies there are when the one asked for is not", async () => {
    const storage = new MemoryStorage();
    await createStudy({ name: "there", storage });
    await assert.rejects(StudyReader.open({ name: "missing", storage }), /study "missing" does not exist in memory: \(its studies: there\)/);
  });

  it("cannot tell a change without a change feed, so says to read again after the wait", async () => {
    const storage = new MemoryStorage();
    await createStudy({ name: "w", storage });
    const reader = await StudyReader.open({ name: "w", storage });
    assert.equal(await reader.waitForChange(1), true);
    assert.equal(await reader.waitForChange(1), true);
    await reader.close();
  });
});
