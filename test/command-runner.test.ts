/**
 * The command runner as a library user meets it (`CommandRunner`, `parseSearchSpace` from the package's face):
 * declared spaces checked line by line, names made environment variables, and an aborted optimize stopping the
 * trial processes, whose trials are queued again.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { CommandRunner, createStudy, envName, MemoryStorage, parseSearchSpace, SearchSpaceError } from "../src/index.js";
import { tempDir, type TempDir } from "../src/testing/temp.js";

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-command-runner-");
  writeFileSync(dir.file("sleep.mjs"), `import { writeFileSync } from "node:fs";\nwriteFileSync("pid", String(process.pid));\nconsole.log("up");\nsetInterval(() => {}, 1000);\n`);
});
after(() => dir.remove());

describe("parseSearchSpace", () => {
  it("reads the three kinds, log and step optional, and the stored form", () => {
    const space = parseSearchSpace(
      {
        lr: { type: "float", low: 1e-5, high: 1, log: true },
        layers: { type: "int", low: 1, high: 4 },
        opt: { type: "categorical", choices: ["adam", "sgd"] },
        wd: { type: "float", low: 0, high: 0.1, log: false, step: null },
      },
      "space.json",
    );
    assert.deepEqual(space.lr, { type: "float", low: 1e-5, high: 1, log: true, step: null });
    assert.deepEqual(space.layers, { type: "int", low: 1, high: 4, log: false, step: 1 });
    assert.deepEqual(space.opt, { type: "categorical", choices: ["adam", "sgd"] });
    assert.deepEqual(space.wd, { type: "float", low: 0, high: 0.1, log: false, step: null });
  });

  it("names every problem, one line each", () => {
    assert.throws(
      () => parseSearchSpace({ a: 3, b: { type: "float", low: 2, high: 1 }, c: { type: "int", low: 0, high: 3, choices: [] } }, "s.json"),
      (error: unknown) => {
        assert.ok(error instanceof SearchSpaceError);
        const lines = error.message.split("\n");
        assert.equal(lines.length, 3, error.message);
        assert.match(lines[0]!, /^s\.json: parameter "a": expected an object/);
        assert.match(lines[1]!, /^s\.json: parameter "b": low \(2\) is greater than high \(1\)/);
        assert.match(lines[2]!, /^s\.json: parameter "c": unknown field "choices" for type int/);
        return true;
      },
    );
    assert.throws(() => parseSearchSpace([1], "s.json"), /s\.json: expected an object/);
  });
});

describe("CommandRunner", () => {
  it("turns names into environment variable names", () => {
    assert.equal(envName("lr"), "LR");
    assert.equal(envName("opt.beta-1"), "OPT_BETA_1");
    assert.equal(envName("$(x)"), "__X_");
  });

  it("stops the process of a trial that optimize's signal aborts; the trial is queued again", async () => {
    const study = await createStudy({ name: "abort", storage: new MemoryStorage() });
    const lines: string[] = [];
    const runner = new CommandRunner({
      command: [process.execPath, "sleep.mjs"],
      study: "abort",
      workdir: dir.path,
      artifacts: dir.file("artifacts"),
      killGrace: 1,
      output: (_stream, line) => void lines.push(line),
    });
    const controller = new AbortController();
    const waiting = (async () => {
      while (!lines.includes("up")) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
    })();
    const result = await study.optimize(runner.objective, { nTrials: 1, signal: controller.signal });
    await waiting;
    assert.equal(result.stoppedBecause, "aborted");
    const [first, again] = study.trials();
    assert.equal(first!.state, "failed");
    assert.match(first!.failReason ?? "", /^interrupted/);
    assert.equal(again!.state, "waiting");
    assert.equal(runner.active, 0);
    const pid = Number(readFileSync(dir.file("pid"), "utf8"));
    assert.throws(() => process.kill(pid, 0), "the trial process has ended");
    await study.close();
  });
});
