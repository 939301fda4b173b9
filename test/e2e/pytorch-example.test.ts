/**
 * The PyTorch example tuned for real: `scaletune run … -- /usr/bin/python3 examples/pytorch/train_digits.py`, the
 * command-trial worker and the Python helper speaking across the process boundary, pruning included. Skipped with
 * the reason where torch is missing, failing under CI=true (.ci/run installs python3-torch).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../src/testing/temp.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));
const PYTHON = "/usr/bin/python3";
const dir = tempDir("scaletune-torch-");
after(() => dir.remove());

it("tunes examples/pytorch/train_digits.py with pruning: every trial complete or pruned, some pruned", { timeout: 5 * 60_000 }, (t) => {
  const torch = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (torch.status !== 0) {
    assert.ok(process.env.CI !== "true", `CI=true, but ${PYTHON} cannot import torch: ${torch.stderr || torch.error?.message}`);
    return t.skip(`${PYTHON} cannot import torch (apt-get install python3-torch): the PyTorch example is not run`);
  }
  const storage = `sqlite:${dir.file("torch.db")}`;
  const args = ["run", "--study", "digits-torch", "--storage", storage, "--trials", "12", "--pruner", "median", "--sampler", "random", "--seed", "1"];
  args.push("--artifacts", dir.file("artifacts"));
  const run = spawnSync(process.execPath, [BIN, ...args, "--", PYTHON, "examples/pytorch/train_digits.py", "--epochs=6"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 4 * 60_000,
  });
  assert.equal(run.status, 0, run.stderr.slice(-3000));
  const trials = JSON.parse(spawnSync(process.execPath, [BIN, "trials", "--study", "digits-torch", "--storage", storage, "--json"], { encoding: "utf8" }).stdout) as {
    state: string;
    values: number[] | null;
  }[];
  assert.equal(trials.length, 12);
  assert.deepEqual(trials.filter((t) => t.state !== "complete" && t.state !== "pruned"), []);
  assert.ok(trials.some((t) => t.state === "pruned"), "the median pruner stopped some trials through the helper");
  const best = Math.min(...trials.filter((t) => t.state === "complete").map((t) => t.values![0]!));
  assert.ok(best < 0.5, `a validation loss below 0.5 on the digits, got ${best}`);
});
