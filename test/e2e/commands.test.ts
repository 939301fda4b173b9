/**
 * End-to-end tests of trials as commands (`scaletune run … -- <command>`, docs/commands.md) through the built CLI:
 * small trial scripts run by this Node (`process.execPath`), so that no Python is needed.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { loadStudy, type FrozenTrial } from "../../src/index.js";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { cli, trialsOf } from "../reliability/cli-process.js";

/** The protocol's worker side in a few lines, shared by the scripts (what the Python helper does). */
const LIB = `
import { createInterface } from "node:readline";
const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
export const send = (message) => process.stdout.write("@scaletune " + JSON.stringify(message) + "\\n");
export const ask = async (message) => { send(message); return JSON.parse((await input.next()).value); };
export const done = () => process.exit(0);
`;

const SCRIPTS: Record<string, string> = {
  "params.mjs": `
import { readFileSync } from "node:fs";
import { ask, send, done } from "./lib.mjs";
const file = JSON.parse(readFileSync(process.env.SCALETUNE_PARAMS_FILE, "utf8"));
const env = { lr: Number(process.env.SCALETUNE_PARAM_LR), layers: Number(process.env.SCALETUNE_PARAM_LAYERS), opt: process.env.SCALETUNE_PARAM_OPT };
const dropout = (await ask({ suggest: { name: "dropout", distribution: { type: "float", low: 0, high: 0.5, log: false, step: null } } })).value;
const again = (await ask({ suggest: { name: "lr", distribution: file.distributions.lr } })).value;
const conflict = await ask({ suggest: { name: "lr", distribution: { type: "int", low: 1, high: 2 } } });
send({ user_attr: { key: "seen", value: { env, file, args: process.argv.slice(2), dropout, again, conflict,
  trial: process.env.SCALETUNE_TRIAL, study: process.env.SCALETUNE_STUDY, artifacts: process.env.SCALETUNE_ARTIFACT_DIR, cwd: process.cwd() } } });
console.log("plain line from the trial");
send({ report: env.lr + dropout, step: 0, metrics: { twice: 2 * (env.lr + dropout) } });
send({ final: env.lr + dropout, metrics: { accuracy: 0.5 } });
done();
`,
  "ask-prune.mjs": `
import { ask, send, done } from "./lib.mjs";
for (let step = 0; step < 5; step++) {
  send({ report: 100 - step, step });
  if ((await ask({ should_prune: true })).prune) { send({ user_attr: { key: "pruned_at", value: step } }); done(); }
}
send({ final: 95 });
done();
`,
  "stubborn.mjs": `
import { send } from "./lib.mjs";
process.on("SIGTERM", () => console.error("ignoring SIGTERM"));
send({ report: 100, step: 0 });
setInterval(() => {}, 1000);
`,
  "malformed.mjs": `
console.log("@scaletune {not json");
setInterval(() => {}, 1000);
`,
  "no-final.mjs": `console.log("bye");\n`,
  "no-kind.mjs": `console.log('@scaletune {"hello": 1}');\nsetInterval(() => {}, 1000);\n`,
  "exit3.mjs": `
for (let i = 1; i <= 30; i++) console.error("err line " + i);
process.exitCode = 3;
`,
  "sleep.mjs": `setInterval(() => {}, 1000);\n`,
  "crash.mjs": `process.kill(process.pid, "SIGKILL");\n`,
  "echo.mjs": `
import { writeFileSync } from "node:fs";
import { send, done } from "./lib.mjs";
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("SCALETUNE_")));
writeFileSync("received-" + process.env.SCALETUNE_TRIAL + ".json", JSON.stringify({ args: process.argv.slice(2), env }));
send({ final: 1 });
done();
`,
  "device.mjs": `
import { send, done } from "./lib.mjs";
console.log("device " + process.env.SCALETUNE_DEVICE);
send({ user_attr: { key: "device", value: [process.env.SCALETUNE_DEVICE, process.env.CUDA_VISIBLE_DEVICES, Date.now()] } });
await new Promise((r) => setTimeout(r, 300));
send({ user_attr: { key: "end", value: Date.now() } });
send({ final: Number(process.env.SCALETUNE_TRIAL) });
done();
`,
};

const SPACE = {
  lr: { type: "float", low: 1e-5, high: 1, log: true },
  layers: { type: "int", low: 1, high: 4 },
  opt: { type: "categorical", choices: ["adam", "sgd"] },
};

let dir: TempDir;
before(() => {
  dir = tempDir("scaletune-commands-");
  writeFileSync(dir.file("lib.mjs"), LIB);
  for (const [name, text] of Object.entries(SCRIPTS)) writeFileSync(dir.file(name), text);
  writeFileSync(dir.file("space.json"), JSON.stringify(SPACE));
});
after(() => dir.remove());

const node = process.execPath;

function run(study: string, extra: readonly string[], command: readonly string[]) {
  return cli(["run", "--study", study, "--storage", "sqlite:cmd.db", ...extra, "--", ...command], dir.path);
}

async function trials(study: string): Promise<readonly FrozenTrial[]> {
  const s = await loadStudy({ name: study, storage: `sqlite:${dir.file("cmd.db")}` });
  const all = s.trials();
  await s.close();
  return all;
}

describe("scaletune run -- <command>", () => {
  it("gives declared parameters by environment, JSON file and --pass-args, and answers suggest messages", async () => {
    const r = run("params", ["--trials", "3", "--space", "space.json", "--pass-args", "--sampler", "random", "--seed", "1"], [node, "params.mjs"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^plain line from the trial$/m);
    const all = await trials("params");
    assert.equal(all.length, 3);
    for (const t of all) {
      assert.equal(t.state, "complete", t.failReason ?? "");
      const seen = t.userAttrs.seen as Record<string, unknown>;
      const declared = { lr: t.params.lr, layers: t.params.layers, opt: t.params.opt };
      assert.deepEqual(seen.env, declared);
      assert.deepEqual(seen.file, {
        protocol: 1,
        study: "params",
        trial: t.number,
        params: declared,
        distributions: { lr: t.distributions.lr, layers: t.distributions.layers, opt: t.distributions.opt },
      });
      assert.match((seen.conflict as { error: string }).error, /parameter "lr" was suggested twice in one trial with different ranges/);
      assert.equal(t.userAttrs.accuracy, 0.5, "final metrics stored as user attributes");
      assert.deepEqual([...t.intermediateMetrics.get("twice")!.keys()], [0]);
      assert.deepEqual(seen.args, [`--lr=${String(t.params.lr)}`, `--layers=${String(t.params.layers)}`, `--opt=${String(t.params.opt)}`]);
      assert.equal(seen.dropout, t.params.dropout, "define-by-run parameter stored");
      assert.equal(seen.again, t.params.lr, "a declared parameter asked again is the same value");
      assert.equal(seen.trial, String(t.number));
      assert.equal(seen.study, "params");
      assert.equal(seen.artifacts, dir.file(`scaletune-artifacts/params/${t.number}`));
      assert.ok(existsSync(dir.file(`scaletune-artifacts/params/${t.number}/params.json`)));
      assert.equal(t.value, (t.params.lr as number) + (t.params.dropout as number));
      assert.deepEqual([...t.intermediateValues.keys()], [0]);
      assert.equal(t.systemAttrs["command:exit_code"], 0);
    }
  });

  it("answers should_prune from the pruner, and the trial is pruned", async () => {
    const r = run("ask", ["--trials", "2", "--pruner", "threshold:upper=50"], [node, "ask-prune.mjs"]);
    assert.equal(r.status, 0, r.stderr);
    for (const t of await trials("ask")) {
      assert.equal(t.state, "pruned", t.failReason ?? "");
      assert.equal(t.userAttrs.pruned_at, 0);
    }
  });

  it("stops a script that does not ask with SIGTERM, then SIGKILL after --kill-grace: pruned", async () => {
    const started = Date.now();
    const r = run("stubborn", ["--trials", "1", "--pruner", "threshold:upper=50", "--kill-grace", "0.5"], [node, "stubborn.mjs"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /ignoring SIGTERM/);
    const [t] = await trials("stubborn");
    assert.equal(t!.state, "pruned");
    assert.equal(t!.systemAttrs["command:signal"], "SIGKILL");
    assert.ok(Date.now() - started < 15_000);
  });

  it("fails a trial on a malformed @scaletune line, a missing final, a non-zero exit, a timeout and a crash", async () => {
    const cases: [string, readonly string[], string, RegExp][] = [
      ["malformed", ["--kill-grace", "1"], "malformed.mjs", /^malformed @scaletune line \(not JSON\): @scaletune \{not json$/],
      ["nofinal", [], "no-final.mjs", /^command exited without a final value/],
      ["nokind", ["--kill-grace", "1"], "no-kind.mjs", /^malformed @scaletune line \(none of report, final, user_attr, suggest, should_prune\)/],
      ["exit3", [], "exit3.mjs", /^command exited with code 3$/],
      ["timeout", ["--timeout-per-trial", "0.5", "--kill-grace", "1"], "sleep.mjs", /^command timed out after 0\.5 s/],
      ["crash", [], "crash.mjs", /^command ended by signal SIGKILL$/],
    ];
    for (const [study, extra, script, reason] of cases) {
      const r = run(study, ["--trials", "1", ...extra], [node, script]);
      assert.equal(r.status, 0, `${study}: ${r.stderr}`);
      const [t] = await trials(study);
      assert.equal(t!.state, "failed", study);
      assert.match(t!.failReason ?? "", reason, study);
      assert.equal(typeof t!.systemAttrs["command:stderr_tail"], "string", study);
    }
    const [exit3] = await trials("exit3");
    assert.equal(exit3!.systemAttrs["command:exit_code"], 3);
    const tail = (exit3!.systemAttrs["command:stderr_tail"] as string).split("\n");
    assert.deepEqual(tail, Array.from({ length: 20 }, (_, i) => `err line ${i + 11}`));
    const [timeout] = await trials("timeout");
    assert.equal(timeout!.systemAttrs["command:signal"], "SIGTERM");
  });

  it("runs nothing that a hostile study name, parameter name or value holds", async () => {
    const hostile = ["$(touch pwned1)", "; touch pwned2", "`touch pwned3`", "a'b\"c", "line\nbreak; touch pwned4", "--flag", "$HOME"];
    const space = Object.fromEntries(hostile.map((h, i) => [`${h}${i}`, { type: "categorical", choices: [h] }]));
    writeFileSync(dir.file("hostile-space.json"), JSON.stringify(space));
    const study = "s; $(touch pwned5) `touch pwned6` ../../x";
    const r = cli(["run", "--study", study, "--storage", "sqlite:cmd.db", "--trials", "1", "--space", "hostile-space.json", "--pass-args", "--", node, "echo.mjs", "$(touch pwned7)"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    for (let i = 1; i <= 7; i++) assert.ok(!existsSync(dir.file(`pwned${i}`)), `pwned${i}`);
    const received = JSON.parse(readFileSync(dir.file("received-0.json"), "utf8")) as { args: string[]; env: Record<string, string> };
    assert.deepEqual(received.args, ["$(touch pwned7)", ...hostile.map((h, i) => `--${h}${i}=${h}`)]);
    assert.equal(received.env.SCALETUNE_STUDY, study);
    assert.equal(received.env.SCALETUNE_PARAM___TOUCH_PWNED1_0, "$(touch pwned1)");
    assert.equal(received.env.SCALETUNE_PARAM_LINE_BREAK__TOUCH_PWNED44, "line\nbreak; touch pwned4");
    assert.ok(received.env.SCALETUNE_ARTIFACT_DIR!.startsWith(dir.file("scaletune-artifacts/")), "the study name stays one path segment");
    assert.equal(trialsOf(study, "sqlite:cmd.db", dir.path)[0]!.state, "complete");
  });

  it("gives each concurrent trial its own device, concurrency from --devices, lines prefixed", async () => {
    const r = run("devices", ["--trials", "4", "--devices", "0,1"], [node, "device.mjs"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\[trial \d\] device [01]$/m);
    const all = await trials("devices");
    assert.equal(all.filter((t) => t.state === "complete").length, 4);
    const spans = all.map((t) => {
      const [device, cuda, start] = t.userAttrs.device as [string, string, number];
      assert.equal(device, cuda);
      return { device, start, end: t.userAttrs.end as number };
    });
    assert.deepEqual(new Set(spans.map((s) => s.device)), new Set(["0", "1"]));
    // Two trials that overlapped in time ran on different devices; two ran at once.
    let overlaps = 0;
    for (const a of spans) for (const b of spans) if (a !== b && a.start < b.end && b.start < a.end) (overlaps++, assert.notEqual(a.device, b.device));
    assert.ok(overlaps > 0);
  });

  it("reads --space from a TypeScript module's space export", async () => {
    writeFileSync(dir.file("space.ts"), `export const space: Record<string, unknown> = ${JSON.stringify(SPACE)};\n`);
    const r = run("module-space", ["--trials", "1", "--space", "space.ts"], [node, "device.mjs"]);
    assert.equal(r.status, 0, r.stderr);
    const [t] = await trials("module-space");
    assert.equal(t!.state, "complete", t!.failReason ?? "");
    assert.deepEqual(Object.keys(t!.params).sort(), ["layers", "lr", "opt"]);
  });

  it("reads --space from a YAML file (.yaml, .yml): the same stored distributions and, seeded, parameters as the JSON file", async () => {
    writeFileSync(
      dir.file("space.yaml"),
      `# the same space as space.json
lr:
  type: float
  low: 1e-5
  high: 1
  log: true
layers: { type: int, low: 1, high: 4 }
opt:
  type: categorical
  choices: [adam, sgd]
`,
    );
    writeFileSync(dir.file("space.yml"), "lr: {type: float, low: 0.00001, high: 1, log: true}\nlayers: {type: int, low: 1, high: 4}\nopt: {type: categorical, choices: [adam, sgd]}\n");
    const stored = async (study: string, file: string) => {
      const r = run(study, ["--trials", "2", "--space", file, "--sampler", "random", "--seed", "5"], [node, "echo.mjs"]);
      assert.equal(r.status, 0, r.stderr);
      return (await trials(study)).map((t) => ({ state: t.state, params: t.params, distributions: t.distributions }));
    };
    const json = await stored("json-space", "space.json");
    assert.equal(json.length, 2);
    assert.deepEqual(await stored("yaml-space", "space.yaml"), json);
    assert.deepEqual(await stored("yml-space", "space.yml"), json);
  });

  it("says where a YAML --space file's syntax is wrong, in one line with file:line:column", () => {
    writeFileSync(dir.file("broken.yaml"), "lr: {type: float, low: 0, high: 1}\nlayers:\n  type: int\n low: 1\n");
    const r = run("broken", ["--trials", "1", "--space", "broken.yaml"], [node, "echo.mjs"]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "scaletune: error: --space: broken.yaml:4:1: All mapping items must start at the same column\n");
    writeFileSync(dir.file("bad-space.yml"), "a: {type: float, low: 0, high: 1, log: true}\n");
    const bad = run("bad-yaml", ["--trials", "1", "--space", "bad-space.yml"], [node, "echo.mjs"]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^scaletune: error: bad-space\.yml: parameter "a": log scale needs low > 0/);
  });

  it("checks --space with one line per problem", () => {
    writeFileSync(dir.file("bad-space.json"), JSON.stringify({ a: { type: "float", low: 1 }, b: { type: "int", low: 0, high: 1, log: true }, c: { type: "nope" }, d: { type: "categorical", choices: [] } }));
    const r = run("bad", ["--trials", "1", "--space", "bad-space.json"], [node, "echo.mjs"]);
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 4, r.stderr);
    assert.match(lines[0]!, /^scaletune: error: bad-space\.json: parameter "a": "high" must be a number/);
    assert.match(lines[1]!, /^bad-space\.json: parameter "b": log scale needs low > 0/);
    assert.match(lines[2]!, /^bad-space\.json: parameter "c": "type" must be/);
    assert.match(lines[3]!, /^bad-space\.json: parameter "d": choices are empty/);
  });
});
