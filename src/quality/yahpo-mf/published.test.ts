import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../testing/temp.js";
import { YAHPO_PUBLISHED_FILE, panelName, readPublishedRegrets } from "./published.js";

let dir: TempDir;
before(() => (dir = tempDir("scaletune-yahpo-published-")));
after(() => dir.remove());

function write(name: string, content: unknown): string {
  writeFileSync(dir.file(name), typeof content === "string" ? content : JSON.stringify(content));
  return dir.file(name);
}

const panel = (name: string, optimizers: string[]) => ({
  panel: name,
  log_y: true,
  values: Object.fromEntries(optimizers.map((o, i) => [o, { "0.25": 0.4 + i, "0.5": 0.3 + i, "0.75": 0.2 + i, "1.0": 0.1 + i }])),
  curve_x: [0.11],
  curve: {},
});

const real = existsSync(YAHPO_PUBLISHED_FILE) ? false : `the published file ${YAHPO_PUBLISHED_FILE} is absent`;

describe("the YAHPO paper's published per-instance regrets", () => {
  it("reads each panel's optimizers at 25, 50, 75 and 100 % of the budget", () => {
    const read = readPublishedRegrets(write("ok.json", [panel("lcbench 3945", ["SMAC", "HB"]), panel("rbv2_xgboost 12", ["HB", "SMAC"])]));
    assert.equal(read.state, "read");
    if (read.state !== "read") return;
    assert.deepEqual(read.optimizers, ["HB", "SMAC"]);
    assert.deepEqual(read.panels.get(panelName("lcbench", "3945"))?.get("HB"), [1.4, 1.3, 1.2, 1.1]);
    assert.deepEqual(read.panels.get("rbv2_xgboost 12")?.get("HB"), [0.4, 0.3, 0.2, 0.1]);
  });

  it("treats an absent file as a state and a malformed one as an error naming the place", () => {
    assert.deepEqual(readPublishedRegrets(dir.file("nope.json")), { state: "absent", path: dir.file("nope.json") });
    assert.throws(() => readPublishedRegrets(write("bad.json", "{")), /published results .*bad\.json are not JSON/);
    assert.throws(() => readPublishedRegrets(write("obj.json", {})), /must be a list of panels/);
    const missing = panel("lcbench 3945", ["HB"]);
    delete (missing.values.HB as Record<string, number>)["0.75"];
    assert.throws(() => readPublishedRegrets(write("missing.json", [missing])), /panel 1 \("lcbench 3945"\), HB has no number for budget fraction 0\.75/);
    assert.throws(
      () => readPublishedRegrets(write("uneven.json", [panel("a 1", ["HB", "SMAC"]), panel("b 2", ["HB"])])),
      /panel 2 \("b 2"\) has optimizers HB; the first panel has HB, SMAC/,
    );
  });

  it("reads the real file: 20 panels of the paper's 7 optimizers", { skip: real }, () => {
    const read = readPublishedRegrets();
    assert.equal(read.state, "read");
    if (read.state !== "read") return;
    assert.deepEqual(read.optimizers, ["BOHB", "DEHB", "HB", "Random", "SMAC", "SMAC-HB", "optuna"]);
    assert.equal(read.panels.size, 20);
    assert.deepEqual(read.panels.get("lcbench 167168")?.get("BOHB"), [0.10799, 0.06337, 0.04953, 0.03977]);
    assert.deepEqual(read.panels.get("rbv2_xgboost 40499")?.get("optuna"), [0.00479, 0.00365, 0.00311, 0.00297]);
  });
});
