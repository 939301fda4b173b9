/**
 * `scaletune worker`: the study's target is stored by the worker that gives `--trials` and read by those that join
 * without it; a worker with neither a target nor a timeout refuses to start. Built CLI (`npm run build` first).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir, type TempDir } from "../../src/testing/temp.js";

const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));

function cli(args: readonly string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI as a child process, resolved with its exit status and output when it ends. */
function cliAsync(args: readonly string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const OBJECTIVE = `
export default async function objective(trial) {
  const x = trial.suggestFloat("x", -10, 10);
  await new Promise((r) => setTimeout(r, 5));
  return (x - 3) ** 2;
}
`;

describe("scaletune worker", () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir();
    writeFileSync(dir.file("objective.mjs"), OBJECTIVE);
  });
  after(() => dir.remove());

  const numbers = (study: string, storage: string) =>
    (JSON.parse(cli(["trials", "--study", study, "--storage", storage, "--json"], dir.path).stdout) as { number: number; state: string }[]);

  it("refuses to create a study without a target, in one line, and creates nothing", () => {
    const storage = "sqlite:refused.db";
    const result = cli(["worker", "objective.mjs", "--study", "s", "--storage", storage], dir.path);
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      'scaletune: error: study "s" does not exist yet: the first worker gives --trials N, the study\'s target, stored for the workers that join later\n',
    );
    assert.match(cli(["studies", "--storage", storage], dir.path).stdout, /no studies/);
  });

  it("stores --trials as the study's target; workers without it work to it, and --trials changes it for everyone", () => {
    const storage = "sqlite:stored.db";
    const first = cli(["worker", "objective.mjs", "--study", "s", "--storage", storage, "--trials", "4"], dir.path);
    assert.equal(first.status, 0, first.stderr);
    const joined = cli(["worker", "objective.mjs", "--study", "s", "--storage", storage], dir.path);
    assert.equal(joined.status, 0, joined.stderr);
    assert.match(joined.stdout, /the study's target is 4 trials \(stored by an earlier --trials/);
    assert.match(joined.stdout, /nothing to do/);
    const raised = cli(["worker", "objective.mjs", "--study", "s", "--storage", storage, "--trials", "6"], dir.path);
    assert.match(raised.stdout, /the study's target changes from 4 to 6 trials/);
    // run reads the stored target too, instead of its default of 100.
    const run = cli(["run", "objective.mjs", "--study", "s", "--storage", storage], dir.path);
    assert.match(run.stdout, /the study's target is 6 trials/);
    assert.equal(numbers("s", storage).length, 6);
  });

  it("shares one study between workers started at once: exactly the stored target, every number once", async () => {
    const storage = "sqlite:shared.db";
    assert.equal(cli(["worker", "objective.mjs", "--study", "s", "--storage", storage, "--trials", "1"], dir.path).status, 0);
    assert.equal(cli(["worker", "objective.mjs", "--study", "s", "--storage", storage, "--trials", "40", "--timeout", "0.001"], dir.path).status, 0);
    const runs = await Promise.all(
      [1, 2, 3].map(() => cliAsync(["worker", "objective.mjs", "--study", "s", "--storage", storage, "--concurrency", "2"], dir.path)),
    );
    for (const r of runs) assert.equal(r.status, 0, r.stderr);
    const trials = numbers("s", storage);
    assert.deepEqual(trials.map((t) => t.number).sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i));
    assert.ok(trials.every((t) => t.state === "complete"));
  });
});
