import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../testing/temp.js";
import { expandProblems, loadProblem } from "./catalog.js";
import { SHARED_DIR } from "./data-paths.js";

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-catalog-");
  const table = { direction: "maximize", param_order: ["a"], search_space: { a: ["x", "y"] }, table: { "0": [1], "1": [2] } };
  writeFileSync(dir.file("mine.json.gz"), gzipSync(JSON.stringify(table)));
});
after(() => dir.remove());

const shared = existsSync(join(SHARED_DIR, "data")) ? false : `no shared data in ${join(SHARED_DIR, "data")}`;

describe("problem catalog", () => {
  it("expands groups and comma-separated lists into distinct names, in order", () => {
    assert.deepEqual(expandProblems(["branin,nn_mixed", "branin", " cnn_mixed "]), ["branin", "nn_mixed", "cnn_mixed"]);
    assert.equal(expandProblems(["synthetic"]).length, 9);
    assert.deepEqual(expandProblems(["yahpo"]), [
      "yahpo:lcbench:167168", "yahpo:lcbench:189873", "yahpo:lcbench:189906",
      "yahpo:rbv2_xgboost:12", "yahpo:rbv2_xgboost:1501", "yahpo:rbv2_xgboost:16", "yahpo:rbv2_xgboost:40499",
    ]);
    assert.deepEqual(expandProblems(["published"]), ["published:naval"]);
    assert.throws(() => expandProblems([","]), /--problem is empty/);
  });

  it("lists the shared tabular files as the tabular group", { skip: shared }, () => {
    const names = expandProblems(["tabular"]);
    assert.equal(names.length, 12);
    assert.ok(names.includes("tabular:hpolib_naval_propulsion"));
    assert.ok(names.includes("tabular:hpobench_car"));
  });

  it("loads a tabular file given by path", async () => {
    const problem = await loadProblem(`tabular:${dir.file("mine.json.gz")}`);
    assert.equal(problem.direction, "maximize");
    assert.equal(problem.optimum, 2);
  });

  it("names the problem and the fix for unknown names, bad syntax and missing files", async () => {
    await assert.rejects(loadProblem("braning"), (e: Error) => e.name === "ConfigError" && /unknown problem "braning"; choose from: branin, hartmann6/.test(e.message));
    await assert.rejects(loadProblem("yahpo:lcbench"), /write yahpo:<scenario>:<instance>, e\.g\. yahpo:lcbench:167168/);
    await assert.rejects(loadProblem("tabular:"), /unknown problem "tabular:"/);
    await assert.rejects(loadProblem("tabular:no_such_table"), /needs the benchmark data in .*no_such_table\.json\.gz, but .* does not exist/);
    await assert.rejects(loadProblem("yahpo:no_such_scenario:1"), /needs the benchmark data in .*no_such_scenario/);
    await assert.rejects(loadProblem(`yahpo:${dir.path}:1`), /YAHPO scenario "scaletune-catalog-\w+" is not supported; supported: lcbench, rbv2_xgboost/);
  });
});
