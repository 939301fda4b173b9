/**
 * Reliability on PostgreSQL: worker processes (the built CLI, so `npm run build` first) sharing one study while
 * the server restarts under them, while eight of them race for a 2,000-point grid, and while they are killed with -9
 * mid-trial. Nothing is lost, doubled or left running; the target is exact.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { Background, cli, trialsOf, type TrialRow } from "../reliability/cli-process.js";
import { freshSchema, skip } from "./fixture.js";
import { privateSkipReason, startPrivateServer } from "./private-server.js";

/** The CLI subcommand that runs a worker on a shared study (the same engine as `run`). */
const WORKER_COMMAND = "worker";

const SLEEPY = `
export default async (trial) => {
  const x = trial.suggestFloat("x", 0, 1);
  await new Promise((r) => setTimeout(r, Number(process.env.TRIAL_MS ?? 30)));
  return x;
};
`;
const GRID_POINTS = 2000;
const GRID = `
export const grid = { n: Array.from({ length: ${GRID_POINTS} }, (_, i) => i) };
export default (trial) => trial.suggestInt("n", 0, ${GRID_POINTS - 1});
`;

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-pg-reliability-");
  writeFileSync(dir.file("sleepy.mjs"), SLEEPY);
  writeFileSync(dir.file("grid.mjs"), GRID);
});
after(() => dir.remove());

function workers(n: number, args: readonly string[], env: NodeJS.ProcessEnv = {}): Background[] {
  return Array.from({ length: n }, () => new Background(args, dir.path, env));
}

/** What a query of the stored tables returns, read directly; empty until the first worker has created them. */
async function stored<R extends object>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return (await client.query<R>(sql)).rows;
  } catch {
    return [];
  } finally {
    await client.end().catch(() => {});
  }
}

async function until(condition: () => Promise<boolean>, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const completed = async (url: string) => Number((await stored<{ n: string }>(url, "SELECT count(*) AS n FROM trials WHERE state = 'complete'"))[0]?.n ?? 0);

function assertAllExited(ended: readonly { status: number | null; stderr: string }[]): void {
  assert.deepEqual(ended.map((e) => e.status), ended.map(() => 0), ended.map((e) => e.stderr).join("\n"));
}

/** Numbers 0..n-1, each once. */
function assertDense(trials: readonly TrialRow[], n: number): void {
  assert.deepEqual(trials.map((t) => t.number).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i));
}

// A server of its own: it runs whether or not SCALETUNE_TEST_POSTGRES names a shared one.
describe("reliability on PostgreSQL: a server restart", { skip: privateSkipReason ?? false }, () => {
  it("lets three workers ride out a restart longer than their heartbeat timeout: the target exact, no trial lost, doubled or failed, one line each way", { timeout: 180_000 }, async () => {
    const server = await startPrivateServer();
    try {
      const target = 300;
      const args = [WORKER_COMMAND, "sleepy.mjs", "--study", "restart", "--storage", server.url, "--trials", String(target), "--sampler", "random", "--heartbeat-timeout", "2"];
      const running = workers(3, args);
      await until(async () => (await completed(server.url)) >= target / 5);
      server.stop();
      await new Promise((r) => setTimeout(r, 3_000));
      server.start();
      const ended = await Promise.all(running.map((w) => w.end(120_000)));
      assertAllExited(ended);
      const trials = trialsOf("restart", server.url, dir.path);
      assertDense(trials, target);
      assert.deepEqual(trials.filter((t) => t.state !== "complete"), [], "every trial complete: none failed, none left running");
      for (const { stderr } of ended) {
        assert.match(stderr, /^scaletune: lost the connection to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres; retrying for up to 60 s$/m);
        assert.match(stderr, /^scaletune: PostgreSQL at .* is back after \d+\.\d s; carrying on$/m);
        assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
        assert.doesNotMatch(stderr, /heartbeat failed/, "the heartbeat thread waited for the server too");
      }
    } finally {
      server.remove();
    }
  });
});

describe("reliability on PostgreSQL: workers that race", { skip }, () => {
  it(`lets 8 worker processes run a ${GRID_POINTS}-point grid: every number once, nothing lost, no point twice`, { timeout: 180_000 }, async () => {
    const schema = await freshSchema();
    try {
      const args = [WORKER_COMMAND, "grid.mjs", "--study", "race", "--storage", schema.url, "--trials", String(GRID_POINTS), "--sampler", "grid"];
      assertAllExited(await Promise.all(workers(8, args).map((w) => w.end(150_000))));
      const trials = trialsOf("race", schema.url, dir.path);
      assertDense(trials, GRID_POINTS);
      assert.ok(trials.every((t) => t.state === "complete"));
      assert.equal(new Set(trials.map((t) => t.params.n)).size, GRID_POINTS, "no grid point twice");
    } finally {
      await schema.drop();
    }
  });
});

describe("reliability on PostgreSQL: workers killed with -9", { skip }, () => {
  it("reaches the target while random workers are killed mid-trial and replaced; each killed trial failed with its reason and run again", { timeout: 180_000 }, async () => {
    const schema = await freshSchema();
    try {
      const target = 60;
      const args = [WORKER_COMMAND, "sleepy.mjs", "--study", "k9", "--storage", schema.url, "--trials", String(target), "--sampler", "random", "--heartbeat-timeout", "2"];
      const env = { TRIAL_MS: "300" };
      const live = workers(4, args, env);
      const killed: number[] = [];
      // Three kills that hit a trial (a trial may end between choosing a victim and killing it: then another round).
      for (let round = 0; round < 10 && killed.length < 3; round++) {
        // A random worker among those running a trial right now.
        let victim: Background | undefined;
        await until(async () => {
          const running = await stored<{ pid: string }>(schema.url, "SELECT split_part(system_attrs->>'worker', '/', 2) AS pid FROM trials WHERE state = 'running'");
          const holders = live.filter((w) => w.child.exitCode === null && running.some((r) => r.pid === String(w.child.pid)));
          victim = holders[Math.floor(Math.random() * holders.length)];
          return victim !== undefined;
        });
        live.splice(live.indexOf(victim!), 1);
        victim!.child.kill("SIGKILL");
        await victim!.finished;
        // Its trials that never completed: running when it died (or already failed by another worker since).
        const unfinished = await stored<{ number: number }>(
          schema.url,
          `SELECT number FROM trials WHERE split_part(system_attrs->>'worker', '/', 2) = '${victim!.child.pid}' AND state <> 'complete'`,
        );
        killed.push(...unfinished.map((r) => Number(r.number)));
        live.push(new Background(args, dir.path, env));
      }
      assertAllExited(await Promise.all(live.map((w) => w.end(120_000))));
      // The grace period: past the heartbeat timeout, one more worker finds nothing left running.
      await new Promise((r) => setTimeout(r, 2_000));
      const rescue = cli(args, dir.path);
      assert.equal(rescue.status, 0, rescue.stderr);

      const trials = trialsOf("k9", schema.url, dir.path);
      assertDense(trials, trials.length);
      assert.ok(killed.length >= 3, `killed trials: ${killed.join(", ")}`);
      const failed = trials.filter((t) => t.state === "failed");
      assert.deepEqual(failed.map((t) => t.number).sort((a, b) => a - b), [...killed].sort((a, b) => a - b), "only the killed trials failed");
      for (const trial of failed) assert.match(trial.failReason!, /its worker .* is gone|no heartbeat for 2 s/, `trial ${trial.number}`);
      assert.ok(trials.every((t) => t.state === "complete" || t.state === "failed"), "nothing running or waiting");
      // A killed trial is queued again once (the retry limit: a killed retry is not), with its parameters, and
      // counts toward the target through its retry.
      const retryOf = await stored<{ number: number; of: string | null; depth: string | null }>(
        schema.url,
        "SELECT number, system_attrs->'retry_of'->>'number' AS of, system_attrs->'retry_of'->>'depth' AS depth FROM trials",
      );
      const byNumber = new Map(trials.map((t) => [t.number, t]));
      const retryFor = new Map(retryOf.filter((r) => r.of !== null).map((r) => [Number(r.of), byNumber.get(Number(r.number))!]));
      const isRetry = new Set(retryOf.filter((r) => r.of !== null).map((r) => Number(r.number)));
      for (const trial of failed) {
        const retry = retryFor.get(trial.number);
        assert.ok(retry !== undefined || isRetry.has(trial.number), `killed trial ${trial.number} was queued again`);
        // A trial killed before its first suggestion has no parameters to carry over.
        if (retry?.state === "complete" && trial.params.x !== undefined) assert.equal(retry.params.x, trial.params.x, `trial ${retry.number} re-ran trial ${trial.number}`);
      }
      assert.equal(trials.length - retryFor.size, target, JSON.stringify(retryOf));
    } finally {
      await schema.drop();
    }
  });
});
