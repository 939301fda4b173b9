/**
 * Reliability: several `scaletune run` workers on one study, as on a cluster node — killed with -9, racing for the
 * last trials, sampling at the same moment. Nothing is stuck, nothing is run twice, the target is exact.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { Background, cli, trialsOf } from "./cli-process.js";

const SLOW = `
export default async (trial) => {
  const x = trial.suggestFloat("x", 0, 1);
  // HANG_FROM: from this trial number on, trials never end on their own (a worker to kill mid-trial, without racing it).
  const hang = trial.number >= Number(process.env.HANG_FROM ?? Infinity);
  await new Promise((r) => setTimeout(r, hang ? 600_000 : 50));
  return x;
};
`;
/** Trial 0 takes 3 s (a worker to pause mid-trial); the others end at once. */
const FIRST_SLOW = `
export default async (trial) => {
  const x = trial.suggestFloat("x", 0, 1);
  await new Promise((r) => setTimeout(r, trial.number === 0 ? 3_000 : 0));
  return x;
};
`;
const TRIVIAL = `export default (trial) => trial.suggestFloat("x", -1, 1) ** 2 + trial.suggestFloat("y", -1, 1) ** 2;\n`;
/**
 * Its minimum is in a corner of the box, where GP's proposals pile up; synchronous, so that a worker that stores its
 * parameters only when the trial ends leaves them invisible to the others for the whole trial.
 */
const CORNER = `
export default (trial) => {
  const value = (trial.suggestFloat("x", -10, 10) - 10) ** 2 + (trial.suggestFloat("y", -10, 10) - 10) ** 2;
  const until = Date.now() + 300;
  while (Date.now() < until);
  return value;
};
`;
const GRID = `
export const grid = { n: [1, 2, 3] };
export default (trial) => trial.suggestInt("n", 1, 3);
`;

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-workers-");
  writeFileSync(dir.file("slow.mjs"), SLOW);
  writeFileSync(dir.file("trivial.mjs"), TRIVIAL);
  writeFileSync(dir.file("corner.mjs"), CORNER);
  writeFileSync(dir.file("grid.mjs"), GRID);
});
after(() => dir.remove());

/** Trial counts by state as `scaletune studies --json` prints them; empty while the study does not exist yet. */
function studyCounts(study: string, storage: string): Record<string, number> {
  const studies = JSON.parse(cli(["studies", "--storage", storage, "--json"], dir.path).stdout || "[]") as { name: string; counts: Record<string, number> }[];
  return studies.find((s) => s.name === study)?.counts ?? {};
}

async function until(condition: () => boolean, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function workers(n: number, args: readonly string[]): Background[] {
  return Array.from({ length: n }, () => new Background(args, dir.path));
}

describe("reliability: workers that die", () => {
  it("leaves nothing stuck when a worker is killed with -9 while others run: its trial is failed and run again", async () => {
    const args = ["run", "slow.mjs", "--study", "k9", "--storage", "sqlite:k9.db", "--trials", "30", "--concurrency", "2", "--sampler", "random"];
    // The victim's trials never end on their own, so it surely holds two running trials when it is killed.
    const victim = new Background(args, dir.path, { HANG_FROM: "0" });
    await until(() => studyCounts("k9", "sqlite:k9.db").running === 2);
    const others = workers(2, args);
    await others[0]!.waitFor(/^trial \d+ complete/m);
    victim.child.kill("SIGKILL");
    const ended = await Promise.all(others.map((w) => w.end(60_000)));
    assert.deepEqual(ended.map((e) => e.status), [0, 0], ended.map((e) => e.stderr).join("\n"));
    const again = cli(args, dir.path);
    assert.equal(again.status, 0, again.stderr);
    const trials = trialsOf("k9", "sqlite:k9.db", dir.path);
    assert.equal(trials.filter((t) => t.state === "complete").length, 30);
    assert.ok(trials.every((t) => t.state !== "running" && t.state !== "waiting"), "nothing stuck");
    const lost = trials.filter((t) => t.state === "failed");
    assert.ok(lost.length >= 1 && lost.every((t) => /its worker .* is gone/.test(t.failReason!)), JSON.stringify(lost));
    const completed = new Set(trials.filter((t) => t.state === "complete").map((t) => t.params.x));
    assert.ok(lost.every((t) => completed.has(t.params.x)), "the lost configurations were run again");
  });

  it("shows a killed worker's trial as stale, and re-runs it first with the same command", async () => {
    const args = ["run", "slow.mjs", "--study", "only", "--storage", "sqlite:only.db", "--trials", "5", "--sampler", "random"];
    const victim = new Background(args, dir.path, { HANG_FROM: "2" });
    await until(() => studyCounts("only", "sqlite:only.db").running === 1 && studyCounts("only", "sqlite:only.db").complete === 2);
    // Trial 2 is running, and would run for ten minutes: kill it mid-trial.
    victim.child.kill("SIGKILL");
    await victim.finished;
    // Looking changes nothing: the trial is shown stale (its worker is gone), and is still there to recover.
    const studies = JSON.parse(cli(["studies", "--storage", "sqlite:only.db", "--json"], dir.path).stdout) as { counts: Record<string, number> }[];
    assert.deepEqual([studies[0]!.counts.running, studies[0]!.counts.stale], [0, 1]);
    const table = cli(["studies", "--storage", "sqlite:only.db"], dir.path);
    assert.match(table.stdout, /running\s+stale/);
    assert.match(table.stderr, /stale trials \(their worker stopped beating or is gone\) are failed and retried when a worker next runs the study: scaletune run … --study only/);

    const again = cli(args, dir.path);
    assert.equal(again.status, 0, again.stderr);
    const trials = trialsOf("only", "sqlite:only.db", dir.path);
    const killed = trials.find((t) => t.state === "failed")!;
    assert.match(killed.failReason!, /its worker .* is gone/);
    const rerun = trials.find((t) => t.number > killed.number)!;
    assert.equal(rerun.params.x, killed.params.x, "the first trial of the re-run is the interrupted configuration");
    assert.equal(trials.filter((t) => t.state === "complete").length, 5);
  });
});

describe("reliability: workers that stop beating", () => {
  it("fails a frozen worker's trial after --heartbeat-timeout, not the default 60 s, and runs it again", async () => {
    const args = ["run", "slow.mjs", "--study", "frozen", "--storage", "sqlite:frozen.db", "--trials", "3", "--sampler", "random"];
    const victim = new Background(args, dir.path, { HANG_FROM: "0" });
    await until(() => studyCounts("frozen", "sqlite:frozen.db").running === 1);
    // Stopped, not killed: its process is alive (so not "gone"), but neither it nor its heartbeat thread beats.
    victim.child.kill("SIGSTOP");
    try {
      await new Promise((r) => setTimeout(r, 2_500));
      const started = Date.now();
      const rescue = cli([...args, "--heartbeat-timeout", "2"], dir.path);
      assert.equal(rescue.status, 0, rescue.stderr);
      assert.ok(Date.now() - started < 30_000, "the rescue did not wait for the default 60 s");
      const trials = trialsOf("frozen", "sqlite:frozen.db", dir.path);
      const lost = trials.filter((t) => t.state === "failed");
      assert.equal(lost.length, 1, JSON.stringify(trials));
      assert.match(lost[0]!.failReason!, /no heartbeat for 2 s/);
      assert.equal(trials.filter((t) => t.state === "complete").length, 3);
      assert.ok(trials.some((t) => t.state === "complete" && t.params.x === lost[0]!.params.x), "the frozen trial's configuration ran again");
    } finally {
      victim.child.kill("SIGKILL");
      await victim.finished;
    }
  });
});

describe("reliability: workers that come back", () => {
  it("lets a worker paused past the heartbeat timeout go on when resumed: its trial's late result is dropped in one line", async () => {
    writeFileSync(dir.file("first-slow.mjs"), FIRST_SLOW);
    const args = ["worker", "first-slow.mjs", "--study", "paused", "--storage", "sqlite:paused.db", "--trials", "3", "--sampler", "random"];
    const victim = new Background(args, dir.path);
    await until(() => studyCounts("paused", "sqlite:paused.db").running === 1);
    // A paused process (or one cut off from the database) is alive but does not beat: the others take its trial over.
    victim.child.kill("SIGSTOP");
    await new Promise((r) => setTimeout(r, 2_500));
    const rescue = cli([...args, "--heartbeat-timeout", "2"], dir.path);
    assert.equal(rescue.status, 0, rescue.stderr);
    victim.child.kill("SIGCONT");
    const ended = await victim.end(30_000);
    assert.equal(ended.status, 0, ended.stderr);
    assert.match(ended.stderr, /trial 0 was ended by another worker while it ran here: it is stored as failed \(no heartbeat for 2 s/);
    const trials = trialsOf("paused", "sqlite:paused.db", dir.path);
    assert.deepEqual(trials.map((t) => t.state), ["failed", "complete", "complete", "complete"]);
  });
});

describe("reliability: workers that race", () => {
  for (const processes of [4, 8]) {
    it(`stops exactly at --trials 1000 with ${processes} processes`, async () => {
      const storage = `sqlite:exact-${processes}.db`;
      const ended = await Promise.all(
        workers(processes, ["run", "trivial.mjs", "--study", "exact", "--storage", storage, "--trials", "1000", "--sampler", "random"]).map((w) =>
          w.end(120_000),
        ),
      );
      assert.ok(ended.every((e) => e.status === 0), ended.map((e) => e.stderr).join("\n"));
      const trials = trialsOf("exact", storage, dir.path);
      assert.equal(trials.length, 1000);
      assert.ok(trials.every((t) => t.state === "complete"));
    });
  }

  it("lets four workers on the default sampler (GP) never run one configuration twice at the same time", async () => {
    const storage = "sqlite:gp4.db";
    const ended = await Promise.all(
      workers(4, ["run", "corner.mjs", "--study", "gp4", "--storage", storage, "--trials", "40"]).map((w) => w.end(180_000)),
    );
    assert.ok(ended.every((e) => e.status === 0), ended.map((e) => e.stderr).join("\n"));
    const trials = JSON.parse(cli(["trials", "--study", "gp4", "--storage", storage, "--json"], dir.path).stdout) as {
      number: number;
      params: { x: number; y: number };
      startedAt: string;
      completedAt: string;
    }[];
    assert.equal(trials.length, 40);
    const overlapping: number[][] = [];
    for (const a of trials) {
      for (const b of trials) {
        const same = a.number < b.number && a.params.x === b.params.x && a.params.y === b.params.y;
        if (same && Date.parse(b.startedAt) < Date.parse(a.completedAt)) overlapping.push([a.number, b.number]);
      }
    }
    assert.deepEqual(overlapping, [], "trials that ran one configuration at the same time");
  });

  it("runs an absurd --concurrency as the trials left, at once", async () => {
    const run = cli(["run", "trivial.mjs", "--study", "wide", "--storage", "sqlite:wide.db", "--trials", "2", "--concurrency", "1e8"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(trialsOf("wide", "sqlite:wide.db", dir.path).length, 2);
  });

  it("says when the grid runs out before the target", () => {
    const run = cli(["run", "grid.mjs", "--study", "g", "--storage", "sqlite:g.db", "--sampler", "grid", "--trials", "10"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /sampler grid ran out of points: the study has 3 of its 10 trials/);
  });
});
