/**
 * The deployment examples (examples/slurm/sweep.sbatch, examples/kubernetes/worker-job.yaml): parsed as their
 * scheduler would read them, and their worker command line run here, as two workers sharing one study, on small
 * budgets (--trials 3, --epochs=2), on the test PostgreSQL server when there is one, else on SQLite. The trial is
 * the real PyTorch example: skipped with the reason where torch is missing, failing under CI=true.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, describe, it, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../src/testing/temp.js";
import { parseShell } from "../docs/shell.js";
import { freshSchema, skipReason as postgresMissing } from "../postgres/fixture.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));
/** Debian's python3-torch installs torch for this Python only. */
const PYTHON = "/usr/bin/python3";
const dir = tempDir("scaletune-deploy-");
after(() => dir.remove());

function torchMissing(t: TestContext): boolean {
  const torch = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (torch.status === 0) return false;
  assert.ok(process.env.CI !== "true", `CI=true, but ${PYTHON} cannot import torch: ${torch.stderr || torch.error?.message}`);
  t.skip(`${PYTHON} cannot import torch (apt-get install python3-torch): the deployment examples' worker is not run`);
  return true;
}

/** The value of `--name value` in argv. */
function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * The example's `npx scaletune worker …` argv on small budgets: `--trials 3`, two epochs per trial, the storage
 * given, and Debian's Python for the trial.
 */
function smallWorker(argv: readonly string[], storage: string): string[] {
  assert.deepEqual(argv.slice(0, 3), ["npx", "scaletune", "worker"], "the example starts scaletune worker");
  const dashes = argv.indexOf("--");
  assert.ok(dashes > 0, "the trial command follows --");
  const options = argv.slice(3, dashes).map((word, i, all) => {
    if (all[i - 1] === "--trials") return "3";
    if (all[i - 1] === "--storage") return storage;
    return word;
  });
  const command = argv.slice(dashes + 1).map((word) => (word === "python3" ? PYTHON : word));
  return [...options, "--", ...command, "--epochs=2"];
}

/** Runs two workers at once (two array tasks, two pods) from the repository's root; their exit statuses. */
async function twoWorkers(args: readonly string[]): Promise<{ status: number | null; stderr: string }[]> {
  const one = () =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, "worker", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d));
      child.on("close", (status) => resolve({ status, stderr }));
    });
  return Promise.all([one(), one()]);
}

/** A storage for the run: a fresh PostgreSQL schema when the test server is there, else a SQLite file. */
async function storageForRun(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (postgresMissing !== null) return { url: `sqlite:${dir.file(`${name}.db`)}`, drop: async () => {} };
  const schema = await freshSchema();
  return { url: schema.url, drop: () => schema.drop() };
}

/** Runs the example's worker line as two workers and checks the study they share. */
async function runsAsTwoWorkers(argv: readonly string[], name: string): Promise<void> {
  const storage = await storageForRun(name);
  try {
    const args = smallWorker(argv, storage.url);
    for (const worker of await twoWorkers(args)) assert.equal(worker.status, 0, worker.stderr.slice(-3000));
    const study = option(args, "--study")!;
    const listing = spawnSync(process.execPath, [BIN, "trials", "--study", study, "--storage", storage.url, "--json"], { encoding: "utf8" });
    const trials = JSON.parse(listing.stdout) as { number: number; state: string }[];
    assert.deepEqual(trials.map((t) => t.number).sort(), [0, 1, 2]);
    assert.deepEqual(trials.filter((t) => t.state !== "complete" && t.state !== "pruned"), []);
  } finally {
    await storage.drop();
  }
}

describe("the Slurm array job", () => {
  const path = fileURLToPath(new URL("../../examples/slurm/sweep.sbatch", import.meta.url));
  const text = readFileSync(path, "utf8");
  const directives = text
    .split("\n")
    .filter((line) => line.startsWith("#SBATCH "))
    .map((line) => line.slice("#SBATCH ".length).trim());

  it("is a bash script whose #SBATCH lines come before its first command, as sbatch requires", () => {
    const check = spawnSync("bash", ["-n", path], { encoding: "utf8" });
    assert.equal(check.status, 0, check.stderr);
    const lines = text.split("\n");
    const firstCommand = lines.findIndex((line, i) => i > 0 && line.trim() !== "" && !line.startsWith("#"));
    const lastDirective = lines.map((line) => line.startsWith("#SBATCH ")).lastIndexOf(true);
    assert.ok(lastDirective < firstCommand, "sbatch stops reading #SBATCH lines at the first command");
    assert.ok(directives.some((d) => /^--array=\d+-\d+$/.test(d)), "an array job: one worker per task");
  });

  it("warns the worker with SIGTERM earlier than its --kill-grace before the time limit", () => {
    const lead = Number(/^--signal=B:TERM@(\d+)$/.exec(directives.find((d) => d.startsWith("--signal=")) ?? "")?.[1]);
    const argv = workerLine();
    assert.ok(lead > Number(option(argv, "--kill-grace")), `SIGTERM ${lead} s before the limit leaves the trial its grace`);
  });

  function workerLine(): string[] {
    const command = parseShell(text).find((words) => words[0]?.text === "exec" && words[1]?.text === "npx");
    assert.ok(command, "the script ends with exec npx scaletune worker …");
    return command.slice(1).map((w) => (w.text === "$SCALETUNE_STORAGE" ? "<storage>" : w.text));
  }

  it("runs its worker command line here: two tasks share the study to its target", { timeout: 5 * 60_000 }, async (t) => {
    if (torchMissing(t)) return;
    await runsAsTwoWorkers(workerLine(), "slurm");
  });
});

describe("the Kubernetes Job", () => {
  const path = fileURLToPath(new URL("../../examples/kubernetes/worker-job.yaml", import.meta.url));

  interface Container {
    command: string[];
    env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  }
  interface Job {
    apiVersion: string;
    kind: string;
    spec: { parallelism: number; completions?: number; template: { spec: { restartPolicy: string; terminationGracePeriodSeconds: number; containers: Container[] } } };
  }

  async function job(): Promise<Job> {
    const { parse } = await import("yaml");
    return parse(readFileSync(path, "utf8")) as Job;
  }

  /** The container's command with `$(NAME)` expanded from its env values, as the kubelet does. */
  function expanded(container: Container): string[] {
    const values = new Map(container.env.flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value] as const])));
    return container.command.map((word) => word.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => values.get(name) ?? whole));
  }

  it("is a batch/v1 Job used as a work queue: parallel pods, no completions count, restarts on failure", async () => {
    const { apiVersion, kind, spec } = await job();
    assert.equal(apiVersion, "batch/v1");
    assert.equal(kind, "Job");
    assert.ok(spec.parallelism > 1);
    assert.equal(spec.completions, undefined, "a work queue: done when one pod succeeds and the others have ended");
    assert.equal(spec.template.spec.restartPolicy, "OnFailure");
  });

  it("gives an evicted pod's trial its --kill-grace before the kubelet's SIGKILL, and keeps the password out of the command", async () => {
    const pod = (await job()).spec.template.spec;
    const [container] = pod.containers;
    const argv = expanded(container!);
    assert.ok(pod.terminationGracePeriodSeconds > Number(option(argv, "--kill-grace")));
    assert.ok(container!.env.some((e) => e.name === "PGPASSWORD" && e.valueFrom?.secretKeyRef !== undefined), "the password from a Secret");
    assert.doesNotMatch(option(argv, "--storage") ?? "", /:[^/@]*@/, "no password in the storage URL");
  });

  it("runs its worker command line here: two pods share the study to its target", { timeout: 5 * 60_000 }, async (t) => {
    if (torchMissing(t)) return;
    const [container] = (await job()).spec.template.spec.containers;
    await runsAsTwoWorkers(expanded(container!), "kubernetes");
  });
});
