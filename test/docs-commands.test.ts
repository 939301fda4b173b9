/**
 * Every command in README.md and docs/**\/*.md runs here, so that the docs cannot drift from the code again
 * (issue 13). What counts as a command: test/docs/doc-commands.ts; how each runs, and which do not:
 * test/docs/plan.ts; the small budgets: test/docs/budgets.ts; the files and studies commands read:
 * test/docs/fixtures.ts; the numbers the docs say a command prints: test/docs/claims.ts.
 *
 * A fenced block runs in order, in a fresh directory; a code span runs alone, in another. Commands that need what
 * CI has and this machine may lack (Optuna, ../shared data, onnxruntime-node) are skipped with the reason — but
 * fail under CI=true. Run `npm run build` first (npm test does).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { SHARED_DIR } from "../src/quality/problems/data-paths.js";
import { tempDir, type TempDir } from "../src/testing/temp.js";
import { BUDGETS, optionValues } from "./docs/budgets.js";
import { CLAIMS, disagreements } from "./docs/claims.js";
import { docCode, type Command, type Script } from "./docs/doc-commands.js";
import { FIXTURE_FILES, FIXTURE_STUDIES, fixtureMissing } from "./docs/fixtures.js";
import { planCommand, type Step } from "./docs/plan.js";
import { missingFor } from "./docs/prerequisites.js";
import { parseShell, type Word } from "./docs/shell.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(REPO, "bin", "scaletune.js");
const CI = process.env.CI === "true";
const COMMAND_TIMEOUT_MS = 300_000;

/** Command-like code that is not run, and why. Every entry must still be in the docs. */
const NOT_COMMANDS: readonly { file: string; text: string; why: string }[] = [
  { file: "docs/benchmarks-harness.md", text: "python -c <script>", why: "how the Optuna bridge starts Python, not a command to type" },
  {
    file: "docs/benchmarks-harness.md",
    text: "apt-get install python3-optuna python3-scipy python3-cmaes",
    why: "installs system packages as root; .ci/run installs the same ones (checked below)",
  },
  {
    file: "docs/benchmarks-harness.md",
    text: "npm install onnxruntime-node",
    why: "for projects without the devDependency; npm ci installed it here, and this would change node_modules",
  },
  {
    file: "README.md",
    text: "npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm",
    why: "installs the optional peer dependency into a user's project; npm ci installed it here (a devDependency), and this would change node_modules",
  },
  { file: "docs/pruners.md", text: "scaletune trials --json", why: "names the JSON `scaletune trials` prints; the study is given in the sentence" },
];

function docFiles(folder = "docs"): string[] {
  return readdirSync(join(REPO, folder), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? docFiles(join(folder, entry.name)) : entry.name.endsWith(".md") ? [join(folder, entry.name)] : []))
    .sort();
}

const DOCS = ["README.md", ...docFiles()].map((file) => {
  const text = readFileSync(join(REPO, file), "utf8");
  return { file, text, ...docCode(file, text) };
});
const listed = (file: string, text: string) => NOT_COMMANDS.some((n) => n.file === file && n.text === text);

interface Planned {
  readonly script: Script;
  readonly commands: readonly { readonly command: Command; readonly steps: readonly Step[] }[];
}

const planned: Planned[] = [];
const unrunnable: { file: string; line: number; text: string; why: string }[] = [];
/** Spans that would run, but NOT_COMMANDS lists them. */
const listedSpans: Script[] = [];
for (const script of DOCS.flatMap((d) => d.scripts)) {
  if (script.origin === "span" && listed(script.file, script.commands[0]!.text)) {
    listedSpans.push(script);
    continue;
  }
  try {
    planned.push({ script, commands: script.commands.map((command) => ({ command, steps: planCommand(command.words, REPO) })) });
  } catch (error) {
    unrunnable.push({ file: script.file, line: script.line, text: script.commands.map((c) => c.text).join("\n"), why: (error as Error).message });
  }
}

/** Blocks all run; a code span that runs what an earlier span runs is run once. */
const spansRun = new Set<string>();
const toRun = planned.filter(({ script, commands }) => {
  if (script.origin === "block") return true;
  const text = commands.flatMap((c) => c.steps.map((s) => s.text)).join("\n");
  if (spansRun.has(text)) return false;
  spansRun.add(text);
  return true;
});

let root: TempDir;
const started = performance.now();
const tally = { scripts: 0, commands: 0, notRun: 0, skipped: 0 };

before(() => {
  root = tempDir("scaletune-docs-");
  // Commands read ../shared from the project root; a script's directory sits where the project would.
  if (existsSync(SHARED_DIR)) symlinkSync(SHARED_DIR, root.file("shared"));
  mkdirSync(root.file("bin"));
  writeFileSync(root.file("bin/scaletune"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  writeFileSync(root.file("bin/npx"), `#!/bin/sh\necho "npx $*: not run here (npx may fetch packages); use the scaletune on PATH" >&2\nexit 127\n`);
  chmodSync(root.file("bin/scaletune"), 0o755);
  chmodSync(root.file("bin/npx"), 0o755);
});
after(() => {
  root.remove();
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`# docs commands: ${tally.scripts} scripts, ${tally.commands} commands run, ${tally.notRun} not run, ${tally.skipped} scripts skipped, ${seconds} s`);
});

// Two scripts at a time: most commands are one process, and machines have two cores or more.
describe("the docs' commands", { concurrency: 2 }, () => {
  it("are every command-like line and code span of the docs, but those listed with a reason", (t) => {
    for (const doc of DOCS) {
      const commands = doc.scripts.reduce((n, s) => n + s.commands.length, 0);
      t.diagnostic(`${doc.file}: ${commands} commands in ${doc.scripts.length} scripts, ${doc.mentions.length} mentions of commands`);
    }
    const unexplained = [...DOCS.flatMap((d) => d.unclassified), ...unrunnable].filter((u) => !listed(u.file, u.text));
    assert.deepEqual(unexplained, [], "commands that cannot be run: fix them, or list them in NOT_COMMANDS with the reason");
    const found = [...DOCS.flatMap((d) => d.unclassified), ...unrunnable, ...listedSpans.map((s) => ({ file: s.file, text: s.commands[0]!.text }))].map(
      (u) => `${u.file}\n${u.text}`,
    );
    assert.deepEqual(NOT_COMMANDS.filter((n) => !found.includes(`${n.file}\n${n.text}`)), [], "NOT_COMMANDS entries no longer in the docs");
  });

  it("install and test as CI does: README's first commands are npm ci && …, and .ci/run runs its test command", () => {
    const readme = planned.filter((p) => p.script.file === "README.md" && p.script.origin === "block");
    assert.deepEqual(readme.slice(0, 2).map((p) => p.commands.map((c) => c.command.text)), [["npm ci && npx scaletune demo"], ["npm ci && npm test"]]);
    const elsewhere = planned.filter((p) => !readme.slice(0, 2).includes(p) && p.commands.some((c) => c.steps.some((s) => /^npm (ci|test)$/.test(s.text))));
    assert.deepEqual(elsewhere.map((p) => `${p.script.file}:${p.script.line}`), [], "npm ci and npm test belong to README's first commands only");

    const ciWords = parseShell(readFileSync(join(REPO, ".ci/run"), "utf8")).flat();
    const ci = ciWords.map((w) => w.text);
    const bashScripts = ci.flatMap((w, i) => (ci[i - 2] === "bash" && ci[i - 1] === "-c" ? [w] : []));
    assert.deepEqual(bashScripts, [readme[1]!.commands[0]!.command.text]);
    const scripts = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.match(scripts.test!, /^npm run build && /, "npm test builds first, so the docs' npm run build need not run again");
    assert.match(scripts.test!, /find src test -name/, "npm test takes every test file, test/reliability's too");
    assert.match(scripts.reliability!, /test\/reliability\/\*\.test\.ts/, "npm run reliability runs the reliability suite alone");

    const docs = parseShell(NOT_COMMANDS.find((n) => n.text.startsWith("apt-get install"))!.text).flat();
    assert.deepEqual(aptPackages(docs), aptPackages(ciWords), "the Optuna packages the docs install are those CI installs");
  });

  it("name only scaletune commands that exist, with the options they show", () => {
    for (const mention of DOCS.flatMap((d) => d.mentions)) {
      const path = mention.path.join(" ");
      const { status, stdout } = help(path);
      const where = `${mention.file}:${mention.line} \`${mention.text}\``;
      assert.equal(status, 0, where);
      assert.match(stdout, new RegExp(`^Usage: scaletune ${path} `, "m"), where);
      for (const option of mention.options) assert.ok(stdout.includes(`${option} `), `${where}: scaletune ${path} has no ${option}`);
    }
  });

  it("run long commands on small budgets, from one table of options that exist", (t) => {
    for (const rule of BUDGETS) {
      const option = "flag" in rule ? rule.flag : rule.option;
      const added = "flag" in rule || rule.longDefault === undefined ? "" : ` (added where left at ${rule.longDefault}: ${rule.small(rule.longDefault)})`;
      t.diagnostic(`${rule.command} ${option}${added}: ${rule.why}`);
      if (rule.command === "npm run bench") assert.match(readFileSync(join(REPO, "perf/run.ts"), "utf8"), new RegExp(`"${option}"`));
      else assert.match(help(rule.command).stdout, new RegExp(`^  ${option} `, "m"), `scaletune ${rule.command} has no ${option}`);
    }
  });

  it("state numbers next to commands that print them", () => {
    for (const claim of CLAIMS) {
      const doc = DOCS.find((d) => d.file === claim.file)!;
      assert.match(doc.text, claim.stated, `${claim.file} no longer states ${claim.stated}`);
      const commands = doc.scripts.flatMap((s) => s.commands).filter((c) => claim.command.test(c.text));
      assert.equal(commands.length, 1, `${claim.file}: one command ${claim.command} to check ${claim.stated} against`);
    }
  });

  for (const p of toRun) {
    const { command } = p.commands.find((c) => c.steps.some((s) => s.run)) ?? p.commands[0]!;
    it(`${p.script.file}:${command.line} ${command.text.slice(0, 90)}`, { timeout: 20 * 60_000 }, (t) => runScript(t, p));
  }
});

async function runScript(t: TestContext, { script, commands }: Planned): Promise<void> {
  tally.scripts++;
  const dir = root.file(String(tally.scripts).padStart(3, "0"));
  mkdirSync(dir);
  const runs = commands.flatMap((c) => c.steps.filter((s) => s.run));
  const cli = runs.flatMap((s) => (s.run && s.cli ? [s.cli] : []));
  const files = Object.keys(FIXTURE_FILES).filter((name) => cli.some((args) => args.includes(name)));
  const missing = [...new Set([...(await Promise.all(cli.map((args) => missingFor(args, dir)))).flat(), ...files.flatMap((f) => fixtureMissing(f) || [])])];
  if (missing.length > 0) {
    assert.ok(!CI, `CI=true, but this command cannot run: ${missing.join("; ")}`);
    tally.skipped++;
    t.skip(missing.join("; "));
    return;
  }
  for (const name of files) FIXTURE_FILES[name]!(dir);
  for (const study of studiesRead(cli)) {
    const make = FIXTURE_STUDIES[study];
    assert.ok(make, `${script.file}:${script.line} reads study "${study}" before making it, and fixtures.ts has no such study`);
    await make(dir);
  }

  for (const { command, steps } of commands) {
    for (const step of steps) {
      if (step.run) continue;
      tally.notRun++;
      t.diagnostic(`not run: ${step.text} (${step.why})`);
    }
    const text = steps.filter((s) => s.run).map((s) => s.text).join(" && ");
    if (text === "") continue;
    tally.commands++;
    const t0 = performance.now();
    const r = await shell(text, dir);
    t.diagnostic(`${((performance.now() - t0) / 1000).toFixed(1)} s: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
    assert.equal(r.status, 0, `${script.file}:${command.line} ${command.text}\nran: ${text}\nstderr: ${r.stderr.slice(-3000)}\nstdout: ${r.stdout.slice(-2000)}`);
    for (const claim of CLAIMS.filter((c) => c.file === script.file && c.command.test(command.text))) {
      const stated = claim.stated.exec(readFileSync(join(REPO, claim.file), "utf8"))!.groups!;
      assert.deepEqual(disagreements(stated, claim.measured(r.stdout)), [], `${script.file}:${command.line} ${command.text}`);
    }
  }
}

const helps = new Map<string, { status: number | null; stdout: string }>();

/** `scaletune <path> --help`, run once per path. */
function help(path: string): { status: number | null; stdout: string } {
  if (!helps.has(path)) helps.set(path, spawnSync(process.execPath, [BIN, ...path.split(" "), "--help"], { encoding: "utf8" }));
  return helps.get(path)!;
}

/** The packages of the first `apt-get install` in `words`. */
function aptPackages(words: readonly Word[]): string[] {
  const at = words.findIndex((w, i) => w.text === "install" && words[i - 1]?.text === "apt-get");
  const rest = words.slice(at + 1);
  const end = rest.findIndex((w) => w.operator);
  return (end < 0 ? rest : rest.slice(0, end)).map((w) => w.text).filter((w) => !w.startsWith("-"));
}

/** Studies the script reads before (or without) a `scaletune run` or `worker` creating them: `--continue-best-trials` reads. */
function studiesRead(cli: readonly (readonly string[])[]): string[] {
  const created = new Set<string>();
  const read = new Set<string>();
  for (const args of cli) {
    for (const study of optionValues(args, "--study")) {
      if (created.has(study)) continue;
      const runCreates = args[0] === "run" && !args.includes("--continue-best-trials");
      // A worker creates its study only when given a target or a deadline: without, it joins one.
      const workerCreates = args[0] === "worker" && (args.includes("--trials") || args.includes("--timeout"));
      if (runCreates || workerCreates) created.add(study);
      else read.add(study);
    }
  }
  return [...read];
}

function shell(text: string, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", text], { cwd, detached: true, env: { ...process.env, PATH: `${root.file("bin")}:${process.env.PATH}` } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    // The whole process group: a benchmark's workers too.
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), COMMAND_TIMEOUT_MS);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr: status === null ? `${stderr}\n(killed after ${COMMAND_TIMEOUT_MS / 1000} s)` : stderr });
    });
  });
}
