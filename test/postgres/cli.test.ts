/**
 * The built CLI (`bin/scaletune.js` → `dist/`, so `npm run build` first) on PostgreSQL: a study run and listed by
 * URL, the password kept out of everything printed, and a wrong port reported in one line with exit status 1.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../src/testing/temp.js";
import { freshSchema, skip } from "./fixture.js";

const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));

function cli(args: readonly string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function cliAsync(args: readonly string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

const OBJECTIVE = `
export default function objective(trial) {
  const x = trial.suggestFloat("x", -10, 10);
  return (x - 3) ** 2;
}
`;

describe("scaletune on PostgreSQL", { skip }, () => {
  it("runs a study into a postgres:// URL and lists it, never printing the password", async () => {
    const schema = await freshSchema();
    const dir = tempDir();
    try {
      writeFileSync(dir.file("objective.mjs"), OBJECTIVE);
      // Trust authentication accepts any password: this one is there to be hidden.
      const url = new URL(schema.url);
      url.password = "hunter2";
      const storage = url.toString();
      const run = cli(["run", "objective.mjs", "--study", "s", "--storage", storage, "--trials", "50", "--seed", "1"], dir.path);
      assert.equal(run.status, 0, run.stderr);
      const studies = cli(["studies", "--storage", storage], dir.path);
      assert.equal(studies.status, 0, studies.stderr);
      assert.match(studies.stdout, /\bs\b/);
      assert.match(studies.stdout, /50/);
      const json = cli(["studies", "--storage", storage, "--json"], dir.path);
      assert.equal(json.status, 0, json.stderr);
      for (const output of [run.stdout, run.stderr, studies.stdout, studies.stderr, json.stdout]) assert.doesNotMatch(output, /hunter2/);
      assert.match(run.stdout + run.stderr, /postgres:\/\/postgres:\*\*\*@/);
    } finally {
      dir.remove();
      await schema.drop();
    }
  });

  it("says in one line that nothing listens on the port, and exits 1", () => {
    const dir = tempDir();
    const result = cli(["studies", "--storage", "postgres://alice:hunter2@127.0.0.1:1/tune"], dir.path);
    dir.remove();
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      "scaletune: error: cannot connect to PostgreSQL at postgres://alice:***@127.0.0.1:1/tune: connection refused: check the host and port (is the server running?)\n",
    );
  });

  it("runs workers that join a study by its stored target: the first gives --trials, three more share it exactly", async () => {
    const schema = await freshSchema();
    const dir = tempDir();
    try {
      writeFileSync(dir.file("objective.mjs"), OBJECTIVE);
      const storage = schema.url;
      const first = cli(["worker", "objective.mjs", "--study", "w", "--storage", storage, "--trials", "60", "--timeout", "0.001"], dir.path);
      assert.equal(first.status, 0, first.stderr);
      const workers = await Promise.all(
        [1, 2, 3].map(() => cliAsync(["worker", "objective.mjs", "--study", "w", "--storage", storage, "--concurrency", "2"], dir.path)),
      );
      for (const w of workers) assert.equal(w.status, 0, w.stderr);
      const trials = JSON.parse(cli(["trials", "--study", "w", "--storage", storage, "--json"], dir.path).stdout) as { number: number; state: string }[];
      assert.deepEqual(trials.map((t) => t.number).sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i));
      assert.ok(trials.every((t) => t.state === "complete"));
    } finally {
      dir.remove();
      await schema.drop();
    }
  });
});
