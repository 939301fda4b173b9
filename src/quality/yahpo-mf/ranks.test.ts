import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rankAmong, rankTable, type ByInstance } from "./ranks.js";

const byInstance = (entries: Record<string, (number | null)[]>): ByInstance => new Map(Object.entries(entries));

describe("ranks among the published optimizers", () => {
  it("places a value 1 + those better + half of those tied; a missing one last", () => {
    assert.equal(rankAmong(0.25, [0.1, 0.3, 0.2]), 3);
    assert.equal(rankAmong(0.1, [0.4, 0.1, 0.2]), 1.5);
    assert.equal(rankAmong(0.05, [0.1, 0.2]), 1);
    assert.equal(rankAmong(null, [0.1, 0.2, 0.3]), 4);
  });

  it("averages over the instances both sides have, ours among the published (1–4) and theirs among themselves (1–3)", () => {
    const published = new Map([
      ["A", byInstance({ i1: [0.1, 0.05], i2: [0.4, 0.3], i3: [0.5, 0.5] })],
      ["B", byInstance({ i1: [0.3, 0.2], i2: [0.1, 0.1], i3: [0.5, 0.5] })],
      ["C", byInstance({ i1: [0.2, 0.1], i2: [0.2, 0.1], i3: [0.5, 0.5] })],
    ]);
    const ours = new Map([["M", byInstance({ i1: [0.25, 0.01], i2: [0.1, null] })]]);
    const table = rankTable(published, ours, 2);
    assert.deepEqual(table.instances, ["i1", "i2"], "i3 has no value of ours");
    const [m] = table.ours;
    // 25 %: i1 rank 3 (A 0.1, C 0.2 better), i2 rank 1.5 (tied with B); 100 %: i1 rank 1, i2 last (nothing evaluated).
    assert.deepEqual(m!.ranks, { i1: [3, 1], i2: [1.5, 4] });
    assert.deepEqual(m!.meanRank, [2.25, 2.5]);
    // Among themselves: i1 A 1, C 2, B 3 and i2 B 1, C 2, A 3; at 100 % B and C tie on i2 (1.5 each).
    assert.deepEqual(table.published.map((p) => [p.method, p.meanRank]), [["A", [2, 2]], ["B", [2, 2.25]], ["C", [2, 1.75]]]);
    // With M inserted: 25 % i1 A 1, C 2, B 4 and i2 B 1.5, C 3, A 4; 100 % i1 A 2, C 3, B 4 and i2 B 1.5, C 1.5, A 3.
    assert.deepEqual(m!.publishedMeanRank, { A: [2.5, 2.5], B: [2.75, 2.75], C: [2.5, 2.25] });
  });
});
