/**
 * End-to-end tests of `scaletune bench` through the built CLI (`bin/scaletune.js` → `dist/`; run `npm run build` first).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir, type TempDir } from "../../src/testing/temp.js";

const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));
const PYTHON = process.env.SCALETUNE_PYTHON || "/usr/bin/python3";

function bench(args: readonly string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, "bench", ...args], { cwd: dir.path, encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-bench-e2e-");
  writeFileSync(dir.file("bad.json.gz"), "this is not gzip");
});
after(() => dir.remove());

interface JsonReport {
  trials: number;
  seeds: number[];
  budgets: number[];
  problems: {
    name: string;
    optimum: number;
    summaries: { engine: string; sampler: string; seeds: number; askMs: number; budgets: { budget: number; median: number; q25: number; q75: number }[] }[];
    runs: { engine: string; sampler: string; seed: number; bestSoFar: number[]; askMs: number }[];
  }[];
}

describe("scaletune bench", () => {
  it("prints per-run curves and per-sampler statistics as JSON, and writes them with --out", () => {
    const r = bench(["--problem", "branin", "--samplers", "random", "--trials", "20", "--seeds", "2", "--json", "--out", "out.json"]);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual([report.trials, report.seeds, report.budgets], [20, [0, 1], [5, 10, 20]]);
    const [branin] = report.problems;
    assert.equal(branin!.name, "branin");
    assert.equal(branin!.optimum, 0.397887);
    assert.deepEqual(branin!.runs.map((run) => [run.engine, run.sampler, run.seed, run.bestSoFar.length]), [
      ["scaletune", "random", 0, 20],
      ["scaletune", "random", 1, 20],
    ]);
    for (const run of branin!.runs) assert.ok(run.askMs >= 0);
    const [summary] = branin!.summaries;
    assert.deepEqual([summary!.engine, summary!.sampler, summary!.seeds], ["scaletune", "random", 2]);
    assert.deepEqual(summary!.budgets.map((b) => b.budget), [5, 10, 20]);
    for (const b of summary!.budgets) assert.ok(b.q25 <= b.median && b.median <= b.q75 && b.q25 >= 0);
    assert.deepEqual(JSON.parse(readFileSync(dir.file("out.json"), "utf8")), report);
  });

  it("prints a markdown table per problem without --json", () => {
    const r = bench(["--problem", "nn_mixed,cnn_mixed", "--samplers", "random,sobol", "--trials", "8", "--seeds", "1", "--budgets", "4,8"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^## nn_mixed$/m);
    assert.match(r.stdout, /^## cnn_mixed$/m);
    assert.match(r.stdout, /^\| engine \| sampler \| seeds \| regret@4 \| regret@8 \| ask ms \(median\) \| wall s \/ run \(median\) \|$/m);
    assert.match(r.stdout, /^\| scaletune \| sobol \| 1 \| /m);
  });

  it("fails with one clear line on bad input", () => {
    const cases: [string[], RegExp][] = [
      [["--problem", "braning"], /^scaletune: error: unknown problem "braning"; choose from: /],
      [["--problem", "branin", "--samplers", "annealing"], /^scaletune: error: unknown sampler "annealing"/],
      [["--problem", "tabular:missing.json.gz"], /^scaletune: error: problem "tabular:missing\.json\.gz" needs the benchmark data in /],
      [["--problem", "tabular:bad.json.gz"], /^scaletune: error: malformed tabular file bad\.json\.gz: not gzipped JSON/],
      [["--problem", "branin", "--trials", "zero"], /error: option '--trials <n>' argument 'zero' is invalid\. expected a positive integer/],
      [["--problem", "branin", "--trials", "10", "--budgets", "20"], /^scaletune: error: budget 20 must be a whole number of trials between 1 and --trials \(10\)/],
    ];
    for (const [args, message] of cases) {
      const r = bench(args);
      assert.notEqual(r.status, 0, args.join(" "));
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    }
  });

  it("--vs-optuna without Optuna says how to install it and exits non-zero", () => {
    const r = bench(["--problem", "branin", "--samplers", "random", "--trials", "5", "--seeds", "1", "--vs-optuna"], { SCALETUNE_PYTHON: "/nonexistent" });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^scaletune: error: --vs-optuna needs Python with Optuna, but \/nonexistent does not exist; install it with {2}apt-get install python3-optuna python3-scipy python3-cmaes/);
    assert.equal(r.stdout, "");
  });

  const probe = spawnSync(PYTHON, ["-c", "import optuna"]);
  const skip = probe.status === 0 ? false : `Optuna is not importable by ${PYTHON} (apt-get install python3-optuna python3-scipy python3-cmaes)`;
  it("--vs-optuna runs Optuna's samplers on the same problem and prints ratios", { skip }, () => {
    const r = bench(["--problem", "branin", "--samplers", "random", "--trials", "10", "--seeds", "1", "--vs-optuna", "--optuna-samplers", "random,tpe"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /vs Optuna \d+\.\d+/);
    assert.match(r.stdout, /^\| optuna \| random \| 1 \| /m);
    assert.match(r.stdout, /^\| optuna \| tpe \| 1 \| /m);
    assert.match(r.stdout, /^\| random \| random( \| [^|]+){4} \|$/m);
  });
});
