/**
 * Reliability: every way an operator stops `scaletune run` is obeyed, whatever the objective does — a scheduler's
 * SIGTERM, Ctrl-C, a closed pipe — and what was running is queued again for the next run.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { BIN, Background, trialsOf } from "./cli-process.js";

const BUSY = `
export default (trial) => {
  const x = trial.suggestFloat("x", 0, 1);
  const until = Date.now() + 20;
  while (Date.now() < until);
  return x;
};
`;
const TRIVIAL = `export default (trial) => trial.suggestFloat("x", -1, 1) ** 2;\n`;
const SLOW = `
export default async (trial) => {
  const x = trial.suggestFloat("x", 0, 1);
  await new Promise((r) => setTimeout(r, 100));
  return x;
};
`;

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-signals-");
  writeFileSync(dir.file("busy.mjs"), BUSY);
  writeFileSync(dir.file("trivial.mjs"), TRIVIAL);
  writeFileSync(dir.file("slow.mjs"), SLOW);
});
after(() => dir.remove());

/** Trial lines printed so far. */
const trialLines = (run: Background) => (run.stdout.match(/^trial \d+ /gm) ?? []).length;

describe("reliability: signals reach a synchronous objective", () => {
  it("stops on SIGTERM within a trial of a 20 ms synchronous objective, exit 143", async () => {
    const run = new Background(["run", "busy.mjs", "--study", "term", "--storage", "sqlite:term.db", "--trials", "100000", "--sampler", "random"], dir.path);
    await run.waitFor(/^trial 5 /m);
    run.child.kill("SIGTERM");
    const seen = trialLines(run);
    const done = await run.end(20_000);
    assert.equal(done.status, 143, `${done.signal ?? ""}\n${done.stderr}`);
    assert.match(done.stderr, /SIGTERM: stopping/);
    assert.match(done.stderr, /resume with: scaletune run busy\.mjs --study term --storage sqlite:term\.db --trials 100000 --sampler random/);
    // Output lines lag the trials a little; a loop that never yields ran on for thousands.
    assert.ok(trialsOf("term", "sqlite:term.db", dir.path).length <= seen + 5, `${seen} trials when signalled`);
  });

  it("stops on Ctrl-C with a trivial synchronous objective (no await anywhere), exit 130", async () => {
    const run = new Background(["run", "trivial.mjs", "--study", "int", "--storage", "sqlite:int.db", "--trials", "10000000", "--sampler", "random"], dir.path);
    await run.waitFor(/^trial 200 /m);
    run.child.kill("SIGINT");
    const done = await run.end(20_000);
    assert.equal(done.status, 130, `${done.signal ?? ""}\n${done.stderr}`);
    assert.ok(trialsOf("int", "sqlite:int.db", dir.path).every((t) => t.state === "complete" || t.state === "failed"), "nothing left running");
  });

  it("stops when its stdout is closed (… | head), exit 141, and queues what ran for the next run", async () => {
    const run = new Background(["run", "slow.mjs", "--study", "pipe", "--storage", "sqlite:pipe.db", "--trials", "50", "--concurrency", "2"], dir.path);
    await run.waitFor(/^trial 1 /m);
    run.child.stdout.destroy();
    const done = await run.end(20_000);
    assert.equal(done.status, 141, `${done.signal ?? ""}\n${done.stderr}`);
    const trials = trialsOf("pipe", "sqlite:pipe.db", dir.path);
    const interrupted = trials.filter((t) => t.failReason === "interrupted (stdout closed)");
    // The pipe is found closed when a finished trial's line is written: one or two trials run at that moment.
    assert.ok(interrupted.length >= 1, JSON.stringify(trials));
    assert.equal(trials.filter((t) => t.state === "waiting").length, interrupted.length, "each queued again");
    assert.ok(trials.every((t) => t.state !== "running"));
  });

  it("prints a resume command that is safe to paste, whatever the study and file are called", async () => {
    const study = "my study; $(touch pwned) 'quoted'";
    const storage = `sqlite:${dir.file("with space.db")}`;
    const run = new Background(["run", "slow.mjs", "--study", study, "--storage", storage, "--trials", "6"], dir.path);
    await run.waitFor(/^trial 0 /m);
    run.child.kill("SIGINT");
    const done = await run.end(20_000);
    assert.equal(done.status, 130, done.stderr);
    const resume = /resume with: (.*)$/m.exec(done.stderr)?.[1];
    assert.ok(resume, done.stderr);
    // `scaletune` on PATH is this checkout's CLI; the pasted line must run it with the same arguments, nothing else.
    writeFileSync(dir.file("scaletune"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(dir.file("scaletune"), 0o755);
    const pasted = spawnSync("bash", ["-c", resume], { cwd: dir.path, encoding: "utf8", env: { ...process.env, PATH: `${dir.path}:${process.env.PATH}` } });
    assert.equal(pasted.status, 0, pasted.stderr);
    assert.match(pasted.stdout, /resuming: \d+ trial\(s\) already done of 6/);
    assert.ok(!existsSync(dir.file("pwned")), "the study name was not run as a command");
    assert.equal(trialsOf(study, storage, dir.path).filter((t) => t.state === "complete").length, 6);
  });
});
