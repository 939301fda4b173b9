/**
 * @module Time to copy a 50,000-trial study from SQLite to PostgreSQL and back with `scaletune copy` (the built CLI,
 * `npm run build` first; a fresh process each way, start-up included), and a check that the study came back
 * exactly as it was. PostgreSQL: the server SCALETUNE_BENCH_POSTGRES or SCALETUNE_TEST_POSTGRES names, in a schema
 * made for the run and dropped after it. Without one, SQLite to SQLite is measured alone.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openStorage, type ExportedIntermediateValue, type ExportedTrial, type StudyExport } from "../src/index.js";
import { floatDistribution, intDistribution, categoricalDistribution } from "../src/space/distributions.js";
import { tempDir } from "../src/testing/temp.js";
import { printRows, type BenchRow, type Size } from "./common.js";
import { onPostgres, POSTGRES, schemaUrl } from "./postgres.js";

const SIZES = { full: { trials: 50_000 }, quick: { trials: 500 } } satisfies Record<Size, unknown>;
/** Curve points per trial, as load-study's objective reports. */
const STEPS = 5;

const BIN = fileURLToPath(new URL("../bin/scaletune.js", import.meta.url));

/** A study as workers leave it: three parameters, a user attribute, the worker stamp, five curve points per trial. */
function syntheticStudy(trials: number): StudyExport {
  const distributions = {
    lr: floatDistribution("lr", 1e-5, 1, { log: true }),
    layers: intDistribution("layers", 1, 8),
    optimizer: categoricalDistribution("optimizer", ["sgd", "adam", "adamw"]),
  };
  const start = Date.UTC(2026, 0, 1);
  const rows: ExportedTrial[] = [];
  const intermediate: ExportedIntermediateValue[] = [];
  for (let number = 0; number < trials; number++) {
    const lr = 10 ** (-5 + 5 * ((number * 0.618034) % 1));
    const layers = 1 + (number % 8);
    const state = number % 10 === 9 ? "pruned" : number % 50 === 7 ? "failed" : "complete";
    for (let step = 0; step < STEPS; step++) {
      intermediate.push({ trialNumber: number, metric: "", step, value: lr * layers + step, seq: 2 * number + 2 });
    }
    rows.push({
      id: number + 1,
      studyId: 1,
      number,
      state,
      values: state === "complete" ? [lr * layers] : null,
      params: { lr, layers, optimizer: number % 3 },
      distributions,
      userAttrs: { optimizer_family: ["sgd", "adam", "adamw"][number % 3]! },
      systemAttrs: { worker: { host: "gpu-1", pid: 4000 + (number % 4) } },
      startedAt: start + number * 1000,
      completedAt: start + number * 1000 + 900,
      heartbeatAt: start + number * 1000 + 500,
      failReason: state === "failed" ? "CUDA out of memory" : null,
      seq: 2 * number + 2,
    });
  }
  return { name: "big", directions: ["minimize"], createdAt: start, nextNumber: trials, seq: 2 * trials, trials: rows, intermediate, attrs: [], claims: [] };
}

/** `scaletune copy`, timed from outside: the seconds of the whole process. */
function copy(from: string, to: string, cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, "copy", "--from", from, "--to", to, "--json"], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scaletune copy --from ${from} --to ${to} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

async function stored(url: string): Promise<unknown> {
  const storage = openStorage(url, { readOnly: true });
  const record = (await storage.findStudy("big"))!;
  const { trials, ...rest } = await storage.exportStudy!(record.id);
  await storage.close();
  return { ...rest, trials: trials.map(({ id: _id, studyId: _studyId, ...trial }) => trial) };
}

export async function copyBenchmark(size: Size): Promise<BenchRow[]> {
  const { trials } = SIZES[size];
  const dir = tempDir("scaletune-bench-copy-");
  const schema = `scaletune_bench_copy_${process.pid}`;
  try {
    const source = `sqlite:${dir.file("a.db")}`;
    const study = syntheticStudy(trials);
    const storage = openStorage(source);
    await storage.importStudy!(study);
    await storage.close();
    const rows: BenchRow[] = [];
    const row = (from: string, to: string, seconds: number): BenchRow => ({
      copy: `${from} → ${to}`,
      trials,
      "intermediate values": study.intermediate.length,
      "wall s": seconds.toFixed(2),
      "trials/s": Math.round(trials / seconds),
    });
    let middle = `sqlite:${dir.file("b.db")}`;
    if (POSTGRES !== "") {
      await onPostgres(`CREATE SCHEMA ${schema}`);
      middle = schemaUrl(schema);
    }
    const kind = POSTGRES === "" ? "SQLite" : "PostgreSQL";
    rows.push(row("SQLite", kind, copy(source, middle, dir.path)));
    rows.push(row(kind, "SQLite", copy(middle, `sqlite:${dir.file("c.db")}`, dir.path)));
    assert.deepEqual(await stored(`sqlite:${dir.file("c.db")}`), await stored(source), "the study came back as it was");
    printRows(`scaletune copy, one ${trials}-trial study (${STEPS} curve points per trial), a fresh process each way; back exactly as it was`, rows);
    return rows;
  } finally {
    if (POSTGRES !== "") await onPostgres(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    dir.remove();
  }
}
