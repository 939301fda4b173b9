/**
 * @module Trials per second on a trivial objective: memory, SQLite and (when SCALETUNE_BENCH_POSTGRES or
 * SCALETUNE_TEST_POSTGRES names a server) PostgreSQL, one and four processes, with a check that no trial was lost or
 * duplicated. The worker processes run the built package (`npm run build` first). PostgreSQL runs each measurement
 * in a schema of its own, dropped afterwards.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createStudy, loadStudy } from "../src/index.js";
import { tempDir } from "../src/testing/temp.js";
import { printRows, type BenchRow, type Size } from "./common.js";
import { onPostgres, POSTGRES, schemaUrl } from "./postgres.js";

const WORKER = fileURLToPath(new URL("./throughput-worker.ts", import.meta.url));

function runWorker(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.on("close", (code) => (code === 0 ? resolve((JSON.parse(out) as { ms: number }).ms) : reject(new Error(`worker exited ${code}`))));
  });
}

type Kind = "memory" | "sqlite" | "postgres";

/** The storage URL of a measurement: `where` is a SQLite file or a PostgreSQL schema. */
function storageUrl(kind: Kind, where: string): string {
  if (kind === "memory") return "memory:";
  if (kind === "sqlite") return `sqlite:${where}`;
  return schemaUrl(where);
}

async function measure(kind: Kind, processes: number, trialsPerProcess: number, where: string, startDelayMs: number): Promise<BenchRow> {
  const storage = storageUrl(kind, where);
  if (kind === "postgres") await onPostgres(`CREATE SCHEMA ${where}`);
  if (kind !== "memory") await (await createStudy({ name: "bench", storage })).close();
  // Every process starts at the same moment, after its start-up (module loading) is done.
  const startAt = Date.now() + startDelayMs;
  const times = await Promise.all(
    Array.from({ length: processes }, (_, i) => runWorker([storage, "bench", String(trialsPerProcess), String(startAt), String(i)])),
  );
  const wallMs = Math.max(...times);
  const total = processes * trialsPerProcess;
  let lost: number | string = "-";
  let duplicated: number | string = "-";
  if (kind !== "memory") {
    const study = await loadStudy({ name: "bench", storage });
    const trials = study.trials();
    const numbers = new Set(trials.map((t) => t.number));
    lost = total - trials.filter((t) => t.state === "complete").length;
    duplicated = trials.length - numbers.size + (Math.max(...numbers) + 1 - numbers.size);
    await study.close();
  }
  if (kind === "postgres") await onPostgres(`DROP SCHEMA ${where} CASCADE`);
  return {
    storage: kind === "memory" && processes > 1 ? "memory (one study per process)" : kind,
    processes,
    trials: total,
    "wall s": (wallMs / 1000).toFixed(2),
    "trials/s": Math.round(total / (wallMs / 1000)),
    lost,
    "duplicated or gaps": duplicated,
  };
}

/**
 * Trials per process alone and per process of several (memory, SQLite, PostgreSQL), how many, and how long they get
 * to load.
 */
const SIZES = {
  full: { alone: [50_000, 10_000, 10_000], together: [20_000, 5_000, 5_000], processes: 4, startDelayMs: 1500 },
  // Not a measurement: two processes still share one store, and each starts as soon as it is loaded.
  quick: { alone: [500, 100, 100], together: [200, 50, 50], processes: 2, startDelayMs: 0 },
} satisfies Record<Size, unknown>;

export async function throughput(size: Size): Promise<BenchRow[]> {
  const { alone: [memory1, sqlite1, postgres1], together: [memoryN, sqliteN, postgresN], processes, startDelayMs } = SIZES[size];
  const dir = tempDir("scaletune-bench-");
  const rows = [
    await measure("memory", 1, memory1!, "", startDelayMs),
    await measure("memory", processes, memoryN!, "", startDelayMs),
    await measure("sqlite", 1, sqlite1!, dir.file("t1.db"), startDelayMs),
    await measure("sqlite", processes, sqliteN!, dir.file("t4.db"), startDelayMs),
  ];
  if (POSTGRES !== "") {
    const schema = `scaletune_bench_${randomBytes(4).toString("hex")}`;
    rows.push(await measure("postgres", 1, postgres1!, `${schema}_1`, startDelayMs));
    rows.push(await measure("postgres", processes, postgresN!, `${schema}_n`, startDelayMs));
  }
  dir.remove();
  printRows(`Throughput, trivial 2-parameter objective, RandomSampler${POSTGRES === "" ? " (PostgreSQL: set SCALETUNE_BENCH_POSTGRES to measure it)" : ""}`, rows);
  return rows;
}
