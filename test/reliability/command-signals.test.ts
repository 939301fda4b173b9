/**
 * Reliability: `scaletune run … -- <command>` stopped by SIGTERM or Ctrl-C passes the signal on to the trial processes,
 * ends them (SIGKILL after the grace period when they ignore it), queues their trials again and exits 143 / 130.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { Background, trialsOf } from "./cli-process.js";

const LONG = `
import { writeFileSync } from "node:fs";
if (process.env.IGNORE) process.on(process.env.IGNORE, () => console.error("ignoring " + process.env.IGNORE));
else process.on("SIGTERM", () => { console.error("got SIGTERM"); process.exit(143); });
writeFileSync("pid-" + process.env.SCALETUNE_TRIAL, String(process.pid));
console.log("started");
setInterval(() => {}, 1000);
`;

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-command-signals-");
  writeFileSync(dir.file("long.mjs"), LONG);
});
after(() => dir.remove());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopped(signal: NodeJS.Signals, study: string, env: NodeJS.ProcessEnv, grace: string) {
  const args = ["run", "--study", study, "--storage", "sqlite:sig.db", "--trials", "6", "--concurrency", "2", "--kill-grace", grace, "--", process.execPath, "long.mjs"];
  const run = new Background(args, dir.path, env);
  await run.waitFor(/^\[trial 0\] started$/m);
  await run.waitFor(/^\[trial 1\] started$/m);
  const pids = [0, 1].map((n) => Number(readFileSync(dir.file(`pid-${n}`), "utf8")));
  run.child.kill(signal);
  const done = await run.end(20_000);
  return { done, pids, trials: trialsOf(study, "sqlite:sig.db", dir.path) };
}

describe("reliability: signals reach command trials", () => {
  it("SIGTERM: forwarded to both trial processes, trials queued again, exit 143", async () => {
    const { done, pids, trials } = await stopped("SIGTERM", "term", {}, "10");
    assert.equal(done.status, 143, done.stderr);
    assert.match(done.stderr, /got SIGTERM/);
    assert.match(done.stderr, /interrupted: 2 running trial\(s\) marked failed and queued again; resume with: scaletune run --study term/);
    for (const pid of pids) assert.ok(!alive(pid), `trial process ${pid} ended`);
    assert.equal(trials.filter((t) => t.failReason === "interrupted (SIGTERM)").length, 2, JSON.stringify(trials));
    assert.equal(trials.filter((t) => t.state === "waiting").length, 2);
    assert.ok(trials.every((t) => t.state !== "running"));
  });

  it("Ctrl-C: a trial process that ignores SIGINT is killed after --kill-grace, exit 130", async () => {
    const started = Date.now();
    const { done, pids, trials } = await stopped("SIGINT", "int", { IGNORE: "SIGINT" }, "1");
    assert.equal(done.status, 130, done.stderr);
    assert.match(done.stderr, /ignoring SIGINT/);
    for (const pid of pids) assert.ok(!alive(pid), `trial process ${pid} ended`);
    assert.equal(trials.filter((t) => t.failReason === "interrupted (SIGINT)").length, 2, JSON.stringify(trials));
    assert.equal(trials.filter((t) => t.state === "waiting").length, 2);
    assert.ok(Date.now() - started < 15_000);
  });
});
