/**
 * What `scaletune copy` tests copy and compare (test/e2e/copy.test.ts on SQLite, test/postgres/copy.test.ts through
 * PostgreSQL): studies holding every kind of stored thing, and a study's whole stored state without the ids a
 * storage gives (the study's and the trials' own), which a copy must reproduce exactly; and what the built CLI's
 * looking commands print about a study (`npm run build` first).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createStudy, openStorage, RandomSampler, type StudyExport } from "../../src/index.js";
import { floatDistribution } from "../../src/space/distributions.js";

/**
 * Study "rich": user and system attributes, a claim, complete trials with curves of several metrics (NaN among
 * them), a pruned and a failed trial, one left running (number 8, its last heartbeat ten minutes old) and a queued one.
 * Study "pareto": two objectives.
 */
export async function makeStudies(storage: string): Promise<void> {
  const study = await createStudy({ name: "rich", storage, sampler: new RandomSampler({ seed: 7 }) });
  await study.setUserAttr("owner", { name: "ana", tags: ["a", "b"] });
  await study.setSystemAttrs({ "copy-test": [1, 2.5, null] });
  await study.claim("grid:point-3");
  for (let i = 0; i < 8; i++) {
    const trial = await study.ask();
    const x = trial.suggestFloat("x", -5, 5);
    const width = trial.suggestInt("width", 8, 256, { log: true });
    const act = trial.suggestCategorical("act", ["relu", "gelu", null]);
    trial.setUserAttr("note", `trial ${i}`);
    for (let step = 1; step <= 4; step++) {
      const value = step === 2 && i % 2 === 0 ? NaN : x * x + width / step;
      trial.report(value, step, { accuracy: step === 3 ? NaN : 1 / (step + i), "loss/val": value + 1 });
    }
    if (i === 5) await study.tell(trial, "pruned");
    else if (i === 6) await study.tell(trial, "failed", "CUDA out of memory");
    else await study.tell(trial, x * x + (act === null ? 1 : 0));
  }
  const running = await study.ask();
  await study.enqueueTrial({ x: 1, width: 16, act: "relu" }, { userAttrs: { queued: true } });
  await study.close();
  // Its worker wrote its parameter and one step (directly: a trial's own writes wait for its end), then died ten
  // minutes ago: the last heartbeat is that old.
  const raw = openStorage(storage);
  const x = floatDistribution("x", -5, 5);
  await raw.updateTrial(running.id, { params: { x: 0.5 }, distributions: { x }, intermediate: [{ metric: "", step: 1, value: 0.5 }] });
  await raw.heartbeat([running.id], Date.now() - 600_000);
  await raw.close();

  const pareto = await createStudy({ name: "pareto", storage, directions: ["minimize", "maximize"], sampler: new RandomSampler({ seed: 3 }) });
  for (let i = 0; i < 5; i++) {
    const trial = await pareto.ask();
    const a = trial.suggestFloat("a", 0, 1);
    await pareto.tell(trial, [a, 1 - a * a]);
  }
  await pareto.close();
}

/** A study as stored, but for the ids its storage gave. */
export type StoredStudy = Omit<StudyExport, "trials"> & { trials: unknown[] };

export async function storedStudy(url: string, name: string): Promise<StoredStudy> {
  const storage = openStorage(url, { readOnly: true });
  try {
    const record = await storage.findStudy(name);
    if (!record) throw new Error(`no study ${name} in ${url}`);
    const { trials, ...rest } = await storage.exportStudy!(record.id);
    return { ...rest, trials: trials.map(({ id: _id, studyId: _studyId, ...trial }) => trial) };
  } finally {
    await storage.close();
  }
}

const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));

export function cli(args: readonly string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What the looking commands print about a study: its listing, best trial(s), and its line of `studies`. */
export function listings(storage: string, study: string, cwd: string): unknown {
  const run = (args: string[]) => {
    const r = cli([...args, "--storage", storage, "--json"], cwd);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as unknown;
  };
  const summaries = run(["studies"]) as { id: number; name: string }[];
  const { id: _, ...summary } = summaries.find((s) => s.name === study)!;
  return { trials: run(["trials", "--study", study]), best: run(["best", "--study", study]), summary };
}
