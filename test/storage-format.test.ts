/**
 * The on-disk format is a contract: a file written by schema version 1 (frozen in test/fixtures) must keep loading.
 */
import assert from "node:assert/strict";
import { copyFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { listStudies, loadStudy } from "../src/index.js";
import { tempDir } from "../src/testing/temp.js";

describe("frozen SQLite files", () => {
  it("loads a schema-1 file with every kind of record, and can add to it", async () => {
    const dir = tempDir();
    // Work on a copy: opening a file switches it to WAL mode, and the fixture must stay as it was written.
    copyFileSync(fileURLToPath(new URL("./fixtures/sqlite-v1.db", import.meta.url)), dir.file("v1.db"));
    const storage = `sqlite:${dir.file("v1.db")}`;
    const [summary] = await listStudies(storage);
    assert.equal(summary?.name, "frozen-v1");
    assert.deepEqual(summary?.counts, { waiting: 1, running: 0, complete: 3, pruned: 0, failed: 1 });

    const study = await loadStudy({ name: "frozen-v1", storage });
    assert.deepEqual(study.directions, ["maximize"]);
    assert.equal(study.userAttrs.dataset, "digits");
    assert.equal(study.systemAttrs.sampler, "random");
    const [first, , , failed, waiting] = study.trials();
    assert.deepEqual(first!.params, { lr: 0.01, opt: "adam", layers: 2 });
    assert.equal(first!.value, 0.8);
    assert.deepEqual([...first!.intermediateValues], [[0, 0.5], [1, 0.75]]);
    assert.deepEqual(first!.userAttrs, { note: "ok" });
    assert.deepEqual(first!.distributions.opt, { type: "categorical", choices: ["sgd", "adam"] });
    assert.equal(failed!.failReason, "objective returned NaN");
    assert.equal(waiting!.state, "waiting");
    assert.equal(study.bestTrial.number, 0);

    await study.optimize((t) => t.suggestFloat("lr", 1e-4, 1, { log: true }), { nTrials: 2 });
    assert.equal(study.trials()[4]!.params.lr, 0.5, "the enqueued trial stored in the old file runs first");
    assert.equal(study.trials().length, 6);
    await study.close();
    dir.remove();
  });
});
