import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../testing/temp.js";
import { yahpoUnavailable } from "../problems/yahpo-availability.js";
import { formatYahpoMfReport } from "../yahpo-mf/report.js";
import { runYahpoMfBench, type YahpoMfBenchOptions } from "./yahpo-mf-harness.js";

const skip = await yahpoUnavailable();

let dir: TempDir;
let base: YahpoMfBenchOptions;
before(() => {
  dir = tempDir("scaletune-yahpo-mf-harness-");
  // Two published optimizers on lcbench 167168: one far ahead of random search, one far behind.
  const values = (v: number) => ({ "0.25": v, "0.5": v, "0.75": v, "1.0": v });
  writeFileSync(dir.file("published.json"), JSON.stringify([{ panel: "lcbench 167168", values: { Good: values(-1), Bad: values(2) } }]));
  base = { problems: ["yahpo-mf:lcbench:167168"], samplers: ["random"], pruners: ["none"], seeds: 2, parallel: 2, publishedPath: dir.file("published.json") };
});
after(() => dir.remove());

describe("multi-fidelity YAHPO benchmark harness", () => {
  it("rejects bad methods and names before loading anything", async () => {
    const rejects = (options: Partial<YahpoMfBenchOptions>, message: RegExp) =>
      assert.rejects(runYahpoMfBench({ ...base, ...options }), (e: Error) => e.name === "ConfigError" && message.test(e.message));
    await rejects({ problems: [" "] }, /no multi-fidelity YAHPO problem to run; pass --problem yahpo-mf/);
    await rejects({ problems: ["yahpo-mf:lcbench"] }, /write yahpo-mf:<scenario>:<instance>/);
    await rejects({ samplers: [] }, /no sampler to run; pass --samplers/);
    await rejects({ pruners: ["hyperband:eta=3"] }, /pruner "hyperband" has no option "eta"/);
  });

  it("runs every method × seed and ranks it among the published optimizers", { skip }, async () => {
    const report = await runYahpoMfBench({ ...base, pruners: null });
    assert.deepEqual([report.kind, report.fractions, report.seeds, report.published.state], ["yahpo-mf", [0.25, 0.5, 0.75, 1], [0, 1], "read"]);
    const [problem] = report.problems;
    assert.deepEqual([problem!.budget, problem!.dimension, problem!.runs.length], [6544, 7, 2]);
    const [summary] = problem!.summaries;
    // Pruners default to none: random search at full fidelity, 125 whole trials of 52 epochs (the 126th is cut).
    assert.deepEqual([summary!.method, summary!.pruner, summary!.seeds, summary!.trials, summary!.prunedPercent], ["random + none", "none", 2, 126, 0]);
    const regrets = problem!.runs.map((r) => r.regretAt[3]!);
    assert.ok(Math.abs(summary!.meanRegret[3]! - (regrets[0]! + regrets[1]!) / 2) < 1e-15);
    // Between the published Good (−1) and Bad (2) at every fraction: rank 2 of 3.
    assert.deepEqual(report.ranks!.ours.map((o) => [o.method, o.meanRank]), [["random + none", [2, 2, 2, 2]]]);
    assert.deepEqual(report.ranks!.published.map((p) => [p.method, p.meanRank]), [["Bad", [2, 2, 2, 2]], ["Good", [1, 1, 1, 1]]]);
    const text = formatYahpoMfReport(report);
    assert.match(text, /not on the published values' scale\. Compare ranks\./);
    assert.match(text, /^\| random \+ none \| 2\.00 \| 2\.00 \| 2\.00 \| 2\.00 \| - \| - \| Bad \| Bad \|$/m);
    assert.match(text, /^\| published Good \| 1\.00 \| 1\.00 \| 1\.00 \| 1\.00 \|/m);
    assert.match(text, /^\| published Bad \|  \| 30 \| 2 \| 2 \| 2 \| 2 \|/m);
  });

  it("spends the given fraction of the protocol's budget", { skip }, async () => {
    const report = await runYahpoMfBench({ ...base, seeds: 1, budgetFraction: 0.05 });
    const [problem] = report.problems;
    assert.ok(Math.abs(problem!.budget - 327.2) < 1e-9, "5 % of 6544 epochs");
    // Random search at full fidelity: 6 whole trials of 52 epochs fit in 327.2 (the 7th is cut).
    assert.deepEqual(problem!.runs.map((r) => [r.spent, r.trials]), [[312, 7]]);
  });

  it("shows no ranks, and says why, without the published file", { skip }, async () => {
    const report = await runYahpoMfBench({ ...base, seeds: 1, publishedPath: dir.file("absent.json") });
    assert.equal(report.ranks, null);
    assert.match(formatYahpoMfReport(report), /No ranks: the paper's published results .*absent\.json are absent/);
  });
});
