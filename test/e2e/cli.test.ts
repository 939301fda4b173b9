/**
 * End-to-end tests of the built CLI (`bin/scaletune.js` → `dist/`): run `npm run build` first (npm test does).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir, type TempDir } from "../../src/testing/temp.js";

const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], cwd: string): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const QUADRATIC = `
export default function objective(trial) {
  const x = trial.suggestFloat("x", -10, 10);
  const kind = trial.suggestCategorical("kind", ["a", "b"]);
  return (x - 3) ** 2 + (kind === "a" ? 0 : 1);
}
`;

const CURVES = `
// The package's own TrialPruned works alike; a class of the same name keeps this file free of imports.
class TrialPruned extends Error { name = "TrialPruned"; }
export default function objective(trial) {
  const x = trial.suggestFloat("x", 0, 1);
  let value = 1;
  for (let step = 1; step <= 10; step++) {
    value = x + 1 / step;
    trial.report(value, step, { twice: 2 * value });
    if (trial.shouldPrune()) throw new TrialPruned();
  }
  return value;
}
`;

const DEEPENING = `
class TrialPruned extends Error { name = "TrialPruned"; }
export default function objective(trial) {
  const x = trial.suggestFloat("x", 0, 1);
  const max = Number(process.env.MAX_STEP);
  const from = trial.continues;
  if (from) trial.setUserAttr("continues", from.trial);
  let value = 1;
  for (let step = (from?.lastStep ?? 0) + 1; step <= max; step++) {
    value = x + 1 / step;
    trial.report(value, step);
    if (trial.shouldPrune()) throw new TrialPruned();
  }
  return value;
}
`;

const TYPESCRIPT = `
import type { Trial } from "scaletune";
interface Point { x: number }
export const direction = "maximize";
export const grid = { n: [1, 2, 3, 4] };
export default (trial: Trial): number => {
  const p: Point = { x: trial.suggestInt("n", 1, 4) };
  return p.x * 10;
};
`;

const SLOW = `
export default async function objective(trial) {
  const x = trial.suggestFloat("x", 0, 1);
  await new Promise((r) => setTimeout(r, 150));
  return x;
}
`;

/** Throws from the line after the type: the stored stack must name this file and line 4. */
const THROWS_TS = `interface Point { x: number }
export default (trial: { suggestFloat(name: string, low: number, high: number): number }): number => {
  const p: Point = { x: trial.suggestFloat("x", 0, 1) };
  throw new Error("objective failed at " + p.x);
};
`;

const ATTRS = `
export default (trial) => {
  const x = trial.suggestFloat("x", 0, 1);
  trial.setUserAttr("gpu", trial.number % 2);
  trial.setUserAttr("note", "a, \\"quoted\\" note");
  trial.report(x, 1);
  if (trial.number === 2) throw new Error("boom");
  return x;
};
`;

const TWO_OBJECTIVES = `
export const directions = ["minimize", "maximize"];
export default (trial) => {
  const x = trial.suggestFloat("x", 0, 1);
  return [x, x * x];
};
`;

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-cli-");
  writeFileSync(dir.file("quadratic.mjs"), QUADRATIC);
  writeFileSync(dir.file("typed.mts"), TYPESCRIPT);
  writeFileSync(dir.file("slow.mjs"), SLOW);
  writeFileSync(dir.file("curves.mjs"), CURVES);
  writeFileSync(dir.file("deepening.mjs"), DEEPENING);
  writeFileSync(dir.file("no-default.mjs"), "export const x = 1;\n");
  writeFileSync(dir.file("broken.mjs"), "export default (trial => {\n");
  writeFileSync(dir.file("broken-token.mjs"), "const a = 1;\nexport default (trial) => a +* 2;\n");
  writeFileSync(dir.file("broken.ts"), "const x: number = 1;\nexport default (trial: unknown) => {\n  const y = ;\n};\n");
  writeFileSync(dir.file("throws.ts"), THROWS_TS);
  writeFileSync(dir.file("imports-missing-name.mjs"), 'import { train } from "./quadratic.mjs";\nexport default () => train();\n');
  writeFileSync(dir.file("throws.mjs"), 'export default () => { throw new Error("objective failed"); };\n');
  // TypeScript outside a "type": "module" package is CommonJS to Node: the case tsx's tsImport ran from a data: URL.
  mkdirSync(dir.file("cjs"));
  writeFileSync(dir.file("cjs/package.json"), '{ "name": "objectives" }\n');
  writeFileSync(dir.file("cjs/throws.ts"), THROWS_TS);
  writeFileSync(dir.file("cjs/broken.cjs"), "module.exports = (trial) => 1 +* 2;\n");
  writeFileSync(dir.file("cjs/load-throws.ts"), 'const when: string = "as it loads";\nthrow new Error(`failed ${when}`);\n');
  writeFileSync(dir.file("cjs/missing-import.ts"), 'import { train } from "./nope";\nexport default () => train();\n');
  // An ES module importing a CommonJS TypeScript helper, which tsx still evaluates from a data: URL.
  writeFileSync(dir.file("cjs/helper.ts"), "export const train = (lr: number): number => {\n  throw new Error(`diverged at lr ${lr}`);\n};\n");
  writeFileSync(dir.file("cjs/uses-helper.mts"), 'import { train } from "./helper.ts";\nexport default (trial: { suggestFloat(n: string, l: number, h: number): number }) => train(trial.suggestFloat("lr", 0, 1));\n');
  writeFileSync(dir.file("bad-range.mjs"), 'export default (t) => t.suggestFloat("lr", 1, 0.1, { log: true });\n');
  writeFileSync(dir.file("nan.mjs"), 'export default (t) => (t.suggestFloat("x", 0, 1) > 2 ? 1 : NaN);\n');
  writeFileSync(dir.file("attrs.mjs"), ATTRS);
  writeFileSync(dir.file("two.mjs"), TWO_OBJECTIVES);
});
after(() => dir.remove());

describe("scaletune CLI", () => {
  it("runs a study into the default SQLite file, then lists, shows, exports and deletes it", () => {
    const run = cli(["run", "quadratic.mjs", "--study", "q", "--trials", "30", "--seed", "7"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /study "q" in sqlite:\.\/scaletune\.db/);
    assert.match(run.stdout, /^trial 29 complete: /m);
    // The default sampler says what it chose, and when.
    assert.match(run.stdout, /^auto sampler: gp after 10 finished trials \(fixed search space/m);
    assert.match(run.stdout, /best trial #\d+: [\d.e+-]+ \| x=[-\d.e+]+ kind=[ab]/);

    const studies = JSON.parse(cli(["studies", "--json"], dir.path).stdout) as { name: string; counts: { complete: number } }[];
    assert.deepEqual(studies.map((s) => [s.name, s.counts.complete]), [["q", 30]]);

    const trials = JSON.parse(cli(["trials", "--study", "q", "--json"], dir.path).stdout) as { number: number; values: number[] }[];
    assert.equal(trials.length, 30);
    const best = JSON.parse(cli(["best", "--study", "q", "--json"], dir.path).stdout) as { values: number[] };
    assert.equal(best.values[0], Math.min(...trials.map((t) => t.values[0]!)));

    const csv = cli(["trials", "--study", "q", "--csv"], dir.path).stdout.trim().split("\n");
    assert.equal(csv[0], "number,state,value,params_x,params_kind,started_at,completed_at,duration_ms,fail_reason");
    assert.equal(csv.length, 31);

    const table = cli(["trials", "--study", "q"], dir.path).stdout;
    assert.match(table, /^#\s+state\s+value\s+x\s+kind\s+duration$/m);

    assert.equal(cli(["delete", "--study", "q"], dir.path).status, 0);
    assert.match(cli(["studies"], dir.path).stdout, /no studies/);
  });

  it("resumes: --trials is the study's target, so a second run only adds what is missing", () => {
    const args = ["run", "quadratic.mjs", "--study", "resume", "--storage", "sqlite:resume.db"];
    assert.equal(cli([...args, "--trials", "5"], dir.path).status, 0);
    const second = cli([...args, "--trials", "8"], dir.path);
    assert.match(second.stdout, /resuming: 5 trial\(s\) already done of 8/);
    const third = cli([...args, "--trials", "8"], dir.path);
    assert.match(third.stdout, /nothing to do/);
    const trials = JSON.parse(cli(["trials", "--study", "resume", "--storage", "sqlite:resume.db", "--json"], dir.path).stdout) as unknown[];
    assert.equal(trials.length, 8);
  });

  it("prunes with the pruner --pruner names, stores the curves, and refuses an unknown pruner or option", () => {
    const run = cli(["run", "curves.mjs", "--study", "pruned", "--storage", "sqlite:pruned.db", "--trials", "12", "--seed", "1",
      "--sampler", "random", "--pruner", "median:nStartupTrials=2"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /pruner median/);
    const trials = JSON.parse(cli(["trials", "--study", "pruned", "--storage", "sqlite:pruned.db", "--json"], dir.path).stdout) as {
      state: string;
      intermediateValues: [number, number][];
      intermediateMetrics: Record<string, [number, number][]>;
    }[];
    const pruned = trials.filter((t) => t.state === "pruned");
    assert.ok(pruned.length > 0 && pruned.length < 12, `${pruned.length} pruned`);
    for (const t of pruned) assert.equal(t.intermediateMetrics.twice!.length, t.intermediateValues.length, "metrics kept with the curve");
    const bad = cli(["run", "curves.mjs", "--study", "x", "--storage", "sqlite:x.db", "--pruner", "medain"], dir.path);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /unknown pruner "medain"; choose one of: none, median/);
    const badOption = cli(["run", "curves.mjs", "--study", "x", "--storage", "sqlite:x.db", "--pruner", "median:warmup=5"], dir.path);
    assert.match(badOption.stderr, /pruner "median" has no option "warmup"; its options are nStartupTrials/);
  });

  it("raises a Hyperband study's maximum with --continue-best-trials: the best trials continue, they are not rerun", () => {
    const args = ["run", "deepening.mjs", "--study", "deep", "--storage", "sqlite:deep.db", "--sampler", "random", "--seed", "3"];
    const at9 = spawnSync(process.execPath, [BIN, ...args, "--trials", "12", "--pruner", "hyperband:minResource=1,maxResource=9"], {
      cwd: dir.path, encoding: "utf8", env: { ...process.env, MAX_STEP: "9" },
    });
    assert.equal(at9.status, 0, at9.stderr);
    const at27 = spawnSync(
      process.execPath,
      [BIN, ...args, "--trials", "16", "--pruner", "hyperband:minResource=1,maxResource=27", "--continue-best-trials"],
      { cwd: dir.path, encoding: "utf8", env: { ...process.env, MAX_STEP: "27" } },
    );
    assert.equal(at27.status, 0, at27.stderr);
    const queued = Number(/hyperband: (\d+) trial\(s\) that finished below the new maximum queued/.exec(at27.stdout)?.[1]);
    assert.ok(queued >= 1, at27.stdout);
    const trials = JSON.parse(cli(["trials", "--study", "deep", "--storage", "sqlite:deep.db", "--json"], dir.path).stdout) as {
      number: number;
      params: { x: number };
      userAttrs: { continues?: number };
      intermediateValues: [number, number][];
    }[];
    const continuations = trials.filter((t) => t.userAttrs.continues !== undefined);
    assert.equal(continuations.length, queued);
    for (const c of continuations) {
      const parent = trials.find((t) => t.number === c.userAttrs.continues)!;
      assert.equal(c.params.x, parent.params.x);
      assert.deepEqual(c.intermediateValues.slice(0, 9), parent.intermediateValues, "the parent's 9 steps, copied, then its own from 10 on");
    }
    const wrong = cli([...args, "--pruner", "median", "--continue-best-trials"], dir.path);
    assert.match(wrong.stderr, /--continue-best-trials continues a Hyperband study under a larger maximum/);
  });

  it("runs TypeScript directly, with the file's grid and direction", () => {
    const run = cli(["run", "typed.mts", "--study", "grid", "--storage", "sqlite:grid.db", "--sampler", "grid"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /sampler grid · pruner learning-curve · maximize/);
    assert.match(run.stdout, /best trial #\d+: 40 \| n=4/);
    const trials = JSON.parse(cli(["trials", "--study", "grid", "--storage", "sqlite:grid.db", "--json"], dir.path).stdout) as {
      params: { n: number };
    }[];
    assert.deepEqual(trials.map((t) => t.params.n).sort(), [1, 2, 3, 4]);
  });

  it("stores a throwing objective's stack pointing at the user's file and line, never at a data: URL", () => {
    const cases = [
      ["throws.ts", /^Error: objective failed at [\d.]+\n\s+at default \(\/.*\/throws\.ts:4:9\)$/m],
      ["cjs/throws.ts", /^Error: objective failed at [\d.]+\n\s+at default \(\/.*\/cjs\/throws\.ts:4:9\)$/m],
      ["throws.mjs", /^Error: objective failed\n\s+at default \(file:\/\/\/.*\/throws\.mjs:1:\d+\)$/m],
      // tsx evaluates this helper from a data: URL; its frame can name the file, not the line.
      ["cjs/uses-helper.mts", /^Error: diverged at lr [\d.]+\n\s+at train \(\/.*\/cjs\/helper\.ts\)\n\s+at default \(\/.*\/cjs\/uses-helper\.mts:2:\d+\)$/m],
    ] as const;
    for (const [file, stack] of cases) {
      const study = file.replace(/\W/g, "-");
      const run = cli(["run", file, "--study", study, "--storage", "sqlite:throws.db", "--trials", "1"], dir.path);
      assert.equal(run.status, 0, run.stderr);
      assert.doesNotMatch(run.stdout + run.stderr, /data:/);
      const [trial] = JSON.parse(cli(["trials", "--study", study, "--storage", "sqlite:throws.db", "--json"], dir.path).stdout) as { failReason: string }[];
      assert.doesNotMatch(trial!.failReason, /data:/, file);
      assert.match(trial!.failReason, stack, file);
    }
  });

  it("stops cleanly on Ctrl-C and re-runs the interrupted trials on resume", async () => {
    const args = ["run", "slow.mjs", "--study", "sig", "--storage", "sqlite:sig.db", "--trials", "6", "--concurrency", "2"];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir.path });
    let stdout = "";
    let stderr = "";
    let signalled = false;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      // 50 ms after trial 1 ends, both loops are well into their next 150 ms trials.
      if (!signalled && /^trial 1 /m.test(stdout)) setTimeout(() => child.kill("SIGINT"), 50);
      signalled ||= /^trial 1 /m.test(stdout);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 130);
    assert.match(stderr, /interrupted: 2 running trial\(s\) marked failed and queued again; resume with: scaletune run slow\.mjs/);

    const resumed = cli(args, dir.path);
    assert.equal(resumed.status, 0, resumed.stderr);
    const trials = JSON.parse(cli(["trials", "--study", "sig", "--storage", "sqlite:sig.db", "--json"], dir.path).stdout) as {
      state: string;
      failReason: string | null;
      params: { x: number };
    }[];
    const interrupted = trials.filter((t) => t.state === "failed");
    assert.equal(interrupted.length, 2);
    assert.ok(interrupted.every((t) => t.failReason === "interrupted (SIGINT)"));
    assert.equal(trials.filter((t) => t.state === "complete").length, 6);
    const completedXs = new Set(trials.filter((t) => t.state === "complete").map((t) => t.params.x));
    assert.ok(interrupted.every((t) => completedXs.has(t.params.x)), "interrupted configurations were re-run");
  });

  it("lets several processes share one SQLite study: no lost or duplicated trials", async () => {
    const args = ["run", "quadratic.mjs", "--study", "shared", "--storage", "sqlite:shared.db", "--trials", "150"];
    const runs = Array.from({ length: 3 }, () =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: dir.path, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (status) => resolve({ status, stderr }));
      }),
    );
    const results = await Promise.all(runs);
    assert.deepEqual(results.map((r) => r.status), [0, 0, 0], results.map((r) => r.stderr).join("\n"));
    const trials = JSON.parse(cli(["trials", "--study", "shared", "--storage", "sqlite:shared.db", "--json"], dir.path).stdout) as {
      number: number;
      state: string;
    }[];
    // The target is exact: no process starts a trial once the study counts 150, running ones included.
    assert.equal(trials.length, 150);
    assert.deepEqual(trials.map((t) => t.number), [...Array(trials.length).keys()]);
    assert.ok(trials.every((t) => t.state === "complete"));
  });

  it("fails NaN trials with the reason, and goes on", () => {
    const run = cli(["run", "nan.mjs", "--study", "nan", "--storage", "sqlite:nan.db", "--trials", "3"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^trial 2 failed: failed \(objective returned NaN\)/m);
    const trials = JSON.parse(cli(["trials", "--study", "nan", "--storage", "sqlite:nan.db", "--json"], dir.path).stdout) as {
      failReason: string;
    }[];
    assert.equal(trials.length, 3);
    assert.ok(trials.every((t) => t.failReason === "objective returned NaN"));
  });

  const badInputs: [string, string[], RegExp][] = [
    ["a missing objective file", ["run", "missing.mjs", "--study", "x", "--storage", "sqlite:bad.db"], /objective file missing\.mjs does not exist/],
    ["a file without a default export", ["run", "no-default.mjs", "--study", "x", "--storage", "sqlite:bad.db"], /has no default export function/],
    ["a file with a syntax error", ["run", "broken.mjs", "--study", "x", "--storage", "sqlite:bad.db"],
      /^scaletune: error: cannot load objective file broken\.mjs: SyntaxError at broken\.mjs:2: Unexpected end of input$/m],
    ["a syntax error in an ES module", ["run", "broken-token.mjs", "--study", "x", "--storage", "sqlite:bad.db"],
      /^scaletune: error: cannot load objective file broken-token\.mjs: SyntaxError at broken-token\.mjs:2:30: Unexpected token '\*'$/m],
    ["a syntax error in TypeScript", ["run", "broken.ts", "--study", "x", "--storage", "sqlite:bad.db"],
      /^scaletune: error: cannot load objective file broken\.ts: SyntaxError at broken\.ts:3:13: Unexpected ";"$/m],
    ["a syntax error in a CommonJS file", ["run", "cjs/broken.cjs", "--study", "x", "--storage", "sqlite:bad.db"],
      /^scaletune: error: cannot load objective file cjs\/broken\.cjs: SyntaxError at cjs\/broken\.cjs:1:32: Unexpected token '\*'$/m],
    ["an import of a name the module does not export", ["run", "imports-missing-name.mjs", "--study", "x", "--storage", "sqlite:bad.db"],
      /^scaletune: error: cannot load objective file imports-missing-name\.mjs: SyntaxError at imports-missing-name\.mjs:1:10: The requested module '\.\/quadratic\.mjs' does not provide an export named 'train'$/m],
    ["a CommonJS TypeScript file that throws as it loads", ["run", "cjs/load-throws.ts", "--study", "x", "--storage", "sqlite:bad.db"],
      /^scaletune: error: cannot load objective file cjs\/load-throws\.ts: failed as it loads$/m],
    ["a CommonJS TypeScript file importing a missing module", ["run", "cjs/missing-import.ts", "--study", "x", "--storage", "sqlite:bad.db"],
      /^scaletune: error: cannot load objective file cjs\/missing-import\.ts: Cannot find module '\.\/nope'$/m],
    ["an unknown sampler", ["run", "quadratic.mjs", "--study", "x", "--sampler", "nope", "--storage", "sqlite:bad.db"], /unknown sampler "nope"; choose one of: auto, tpe, /],
    ["a bad storage URL", ["run", "quadratic.mjs", "--study", "x", "--storage", "redis://x"], /unrecognised storage URL "redis:\/\/x"; use sqlite:<path>/],
    ["a storage in a missing directory", ["studies", "--storage", "sqlite:/no/such/dir/x.db"], /no scaletune storage at \/no\/such\/dir\/x\.db/],
    ["a study that does not exist", ["best", "--study", "ghost", "--storage", "sqlite:bad.db"], /study "ghost" does not exist in sqlite:bad\.db/],
    ["an invalid range", ["run", "bad-range.mjs", "--study", "r", "--storage", "sqlite:bad.db", "--trials", "5"], /parameter "lr": low \(1\) is greater than high \(0\.1\)/],
    ["a non-numeric trial count", ["run", "quadratic.mjs", "--study", "x", "--trials", "many"], /argument 'many' is invalid\. expected a positive integer/],
  ];
  for (const [what, args, message] of badInputs) {
    it(`reports ${what} in one clear line and exits non-zero`, () => {
      // bad.db must exist for the study lookup; make it with a tiny successful run first.
      cli(["run", "quadratic.mjs", "--study", "ok", "--storage", "sqlite:bad.db", "--trials", "1"], dir.path);
      const r = cli(args, dir.path);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
      const lines = r.stderr.trim().split("\n").filter((line) => line !== "(run with --help for usage)");
      assert.equal(lines.length, 1, "one line");
      assert.doesNotMatch(r.stdout + r.stderr, /data:/, "no data: URL");
      const studies = cli(["studies", "--storage", "sqlite:bad.db", "--json"], dir.path);
      assert.equal(studies.status, 0, "stored studies are intact");
    });
  }

  it("runs the demo: trains real networks, prints the best configuration, its test accuracy and the storage", () => {
    const r = cli(["demo", "--trials", "3", "--storage", "sqlite:demo.db"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /tuning an MLP on the 8×8 handwritten digits \(\d+ train \/ \d+ validation \/ \d+ test images; backend wasm\)/);
    assert.match(r.stdout, /best configuration \(trial #\d, validation accuracy [\d.]+ %\)/);
    const accuracy = Number(/held-out test accuracy of the best configuration, retrained: ([\d.]+) %/.exec(r.stdout)?.[1]);
    assert.ok(accuracy > 50 && accuracy <= 100, `test accuracy ${accuracy}`);
    assert.match(r.stdout, /study "digits-mlp" is stored in sqlite:demo\.db/);
    const trials = JSON.parse(cli(["trials", "--study", "digits-mlp", "--storage", "sqlite:demo.db", "--json"], dir.path).stdout) as {
      intermediateValues: [number, number][];
    }[];
    assert.equal(trials.length, 3);
    assert.ok(trials.every((t) => t.intermediateValues.length >= 1), "validation accuracy is reported per epoch");
  });

  it("prints the demo's outcome as one JSON document with --json", () => {
    const r = cli(["demo", "--trials", "2", "--storage", "sqlite:demo-json.db", "--json"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    const document = JSON.parse(r.stdout) as { study: string; best: { number: number; params: Record<string, unknown> }; testAccuracy: number };
    assert.equal(document.study, "digits-mlp");
    assert.ok(document.testAccuracy > 0.5 && document.testAccuracy <= 1, String(document.testAccuracy));
    assert.ok(Object.keys(document.best.params).length > 0);
  });

  it("lists trials a page at a time with --state, --sort, --limit and --fields, and puts user attributes in CSV", () => {
    const storage = "sqlite:list.db";
    assert.equal(cli(["run", "attrs.mjs", "--study", "l", "--storage", storage, "--trials", "12", "--sampler", "random", "--seed", "4"], dir.path).status, 0);
    const list = (...args: string[]) => cli(["trials", "--study", "l", "--storage", storage, ...args], dir.path);
    const all = JSON.parse(list("--json").stdout) as { number: number; state: string; values: number[] | null }[];
    assert.equal(all.length, 12);
    const csv = list("--csv").stdout.trim().split("\n");
    assert.equal(csv[0], "number,state,value,params_x,user_attrs_gpu,user_attrs_note,started_at,completed_at,duration_ms,fail_reason");
    assert.match(csv[1]!, /^0,complete,[\d.e-]+,[\d.e-]+,0,"a, ""quoted"" note",/);
    const complete = all.filter((t) => t.state === "complete").sort((a, b) => a.values![0]! - b.values![0]!);
    const best3 = JSON.parse(list("--json", "--state", "complete", "--sort", "best", "--limit", "3", "--fields", "number,value").stdout);
    assert.deepEqual(best3, complete.slice(0, 3).map((t) => ({ number: t.number, values: t.values })));
    const worst = JSON.parse(list("--json", "--sort", "value", "--descending", "--state", "complete", "--limit", "1", "--fields", "number").stdout);
    assert.deepEqual(worst, [{ number: complete.at(-1)!.number }]);
    assert.deepEqual(list("--csv", "--state", "failed", "--fields", "number,fail_reason,params.x").stdout.split("\n")[0], "number,fail_reason,params_x");
    assert.match(list("--csv", "--state", "failed", "--fields", "number,user_attrs.gpu").stdout, /^number,user_attrs_gpu\n2,0\n$/);
    assert.match(list("--limit", "2").stdout, /^#\s+state\s+value\s+x\s+duration\n[- ]+\n0 .*\n1 .*\n$/);
    for (const [args, message] of [
      [["--fields", "number,lr"], /unknown field "lr" for --fields; choose from number, state, value/],
      [["--state", "done"], /unknown state "done"; states are waiting, running, complete, pruned, failed/],
      [["--sort", "speed"], /expected "number", "value" or "best"/],
    ] as const) {
      const r = list(...args);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    }
  });

  it("prints the Pareto front of a study with two objectives as best", () => {
    const storage = "sqlite:front.db";
    assert.equal(cli(["run", "two.mjs", "--study", "f", "--storage", storage, "--trials", "8", "--sampler", "random"], dir.path).status, 0);
    const front = JSON.parse(cli(["best", "--study", "f", "--storage", storage, "--json"], dir.path).stdout) as { values: number[] }[];
    // minimize x, maximize x²: no trial dominates another, every one is on the front.
    assert.equal(front.length, 8);
  });

  it("prints one JSON document with --json on run and delete, and nothing else on stdout", () => {
    const run = cli(["run", "quadratic.mjs", "--study", "j", "--storage", "sqlite:json.db", "--trials", "4", "--json"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    const document = JSON.parse(run.stdout) as { study: string; target: number; startedHere: number; stoppedBecause: string; counts: { complete: number }; best: { number: number } };
    assert.deepEqual([document.study, document.target, document.startedHere, document.stoppedBecause, document.counts.complete], ["j", 4, 4, "target-reached", 4]);
    assert.equal(typeof document.best.number, "number");
    const removed = cli(["delete", "--study", "j", "--storage", "sqlite:json.db", "--json"], dir.path);
    assert.deepEqual(JSON.parse(removed.stdout), { deleted: "j", storage: "sqlite:json.db" });
  });

  it("runs 100 trials when neither --trials nor --timeout is given, and says so", () => {
    const run = cli(["run", "quadratic.mjs", "--study", "d", "--storage", "sqlite:default.db", "--sampler", "random"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /no --trials given: the study's target is 100 trials \(--trials N sets it; --timeout S alone runs until then\)/);
    assert.equal(JSON.parse(cli(["trials", "--study", "d", "--storage", "sqlite:default.db", "--json", "--fields", "number"], dir.path).stdout).length, 100);
  });

  it("has --help on every command", () => {
    for (const command of ["run", "studies", "trials", "best", "delete", "demo"]) {
      const r = cli([command, "--help"], dir.path);
      assert.equal(r.status, 0);
      assert.match(r.stdout, new RegExp(`Usage: scaletune ${command}`));
    }
  });
});
