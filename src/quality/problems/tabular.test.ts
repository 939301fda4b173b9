import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { FixedTrial } from "../../study/trial.js";
import { tempDir, type TempDir } from "../../testing/temp.js";
import { SHARED_DIR } from "./data-paths.js";
import { loadTabular, tabularProblem } from "./tabular.js";

/** 3 widths × 2 activations, 2 seeds; key digits: width index, then activation index. */
const TINY = {
  source: "test fixture",
  benchmark: "tiny",
  dataset: "toy",
  direction: "minimize",
  metric: "loss",
  param_order: ["width", "activation"],
  search_space: { width: [16, 32, 64], activation: ["relu", "tanh"] },
  key: "concatenated choice indices",
  table: { "00": [4, 6], "01": [3, 5], "10": [2, 2], "11": [1, 2], "20": [7, 9], "21": [0.5, 2.5] },
};

let dir: TempDir;
const write = (name: string, content: unknown, gzip = true) => {
  const text = typeof content === "string" ? content : JSON.stringify(content);
  writeFileSync(dir.file(name), gzip ? gzipSync(text) : text);
  return dir.file(name);
};

before(() => {
  dir = tempDir("scaletune-tabular-");
});
after(() => dir.remove());

describe("tabular benchmarks", () => {
  it("loads a table: numeric lists become ordinal indices, strings categoricals, the value the mean over seeds", async () => {
    const bench = loadTabular(write("tiny.json.gz", TINY));
    assert.equal(bench.name, "tiny");
    assert.equal(bench.seeds, 2);
    assert.deepEqual([...bench.means], [5, 4, 2, 1.5, 8, 1.5]);
    const problem = tabularProblem(bench);
    assert.equal(problem.name, "tabular:tiny");
    assert.equal(problem.direction, "minimize");
    assert.equal(problem.optimum, 1.5);
    const objective = problem.objectiveFor(0);
    assert.equal(await objective(new FixedTrial({ width_index: 2, activation: "tanh" })), 1.5);
    assert.equal(await objective(new FixedTrial({ width_index: 0, activation: "relu" })), 5);
    // The index is an int parameter over [0, n − 1], so samplers see the order of the widths.
    assert.throws(() => objective(new FixedTrial({ width_index: 3, activation: "relu" })), /not in int \[0, 2\]/);
  });

  it("reads plain JSON too, and takes the best mean as optimum when maximising", () => {
    const bench = loadTabular(write("up.json", { ...TINY, direction: "maximize" }, false));
    assert.equal(tabularProblem(bench).optimum, 8);
  });

  it("rejects malformed files with a message naming the file and the problem", () => {
    const cases: [unknown, RegExp][] = [
      [{ ...TINY, direction: "sideways" }, /direction is "sideways"/],
      [{ ...TINY, param_order: [] }, /param_order/],
      [{ ...TINY, search_space: { width: [16, "x"], activation: ["relu", "tanh"] } }, /mixes numbers and strings/],
      [{ ...TINY, table: { ...TINY.table, "21": undefined } }, /5 entries, the search space 6 configurations/],
      [{ ...TINY, table: { ...TINY.table, "21": [1] } }, /"21" is not a list of 2 finite numbers/],
      [{ ...TINY, table: { "00": [1, 1], "01": [1, 1], "10": [1, 1], "11": [1, 1], "20": [1, 1], "31": [1, 1] } }, /"31": digit 1 is out of range/],
    ];
    for (const [content, message] of cases) {
      const path = write("bad.json.gz", content);
      assert.throws(() => loadTabular(path), (e: Error) => e.name === "ConfigError" && message.test(e.message) && e.message.includes(path));
    }
    assert.throws(() => loadTabular(write("garbage.json.gz", "not gzip", false)), /not gzipped JSON/);
    assert.throws(() => loadTabular(dir.file("missing.json.gz")), /cannot read tabular file .*ENOENT/);
  });

  const naval = join(SHARED_DIR, "data", "tabular", "hpolib_naval_propulsion.json.gz");
  it("loads the real HPOLib naval table", { skip: existsSync(naval) ? false : `no shared data at ${naval}` }, async () => {
    const bench = loadTabular(naval);
    assert.equal(bench.means.length, 62208);
    assert.equal(bench.seeds, 4);
    assert.deepEqual(bench.params.map((p) => [p.name, p.numeric]), [
      ["activation_fn_1", false], ["activation_fn_2", false], ["batch_size", true], ["dropout_1", true], ["dropout_2", true],
      ["init_lr", true], ["lr_schedule", false], ["n_units_1", true], ["n_units_2", true],
    ]);
    const problem = tabularProblem(bench);
    // Best mean over the 4 seeds: configuration "100000035" (tanh, relu, batch 8, no dropout, lr 5e-4, cosine, 128, 512 units).
    const best = { activation_fn_1: "tanh", activation_fn_2: "relu", batch_size_index: 0, dropout_1_index: 0, dropout_2_index: 0,
      init_lr_index: 0, lr_schedule: "cosine", n_units_1_index: 3, n_units_2_index: 5 };
    assert.equal(await problem.objectiveFor(0)(new FixedTrial(best)), problem.optimum);
    assert.ok(Math.abs(Math.log(problem.optimum!) - -10.35254889) < 1e-8);
  });
});
