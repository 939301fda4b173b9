/**
 * @module Trials per second on a trivial objective: memory and SQLite, one and four processes, with a check that no
 * trial was lost or duplicated.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createStudy, loadStudy } from "../src/index.js";
import { tempDir } from "../src/testing/temp.js";
import { printRows, type BenchRow } from "./common.js";

const WORKER = fileURLToPath(new URL("./throughput-worker.ts", import.meta.url));

function runWorker(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.on("close", (code) => (code === 0 ? resolve((JSON.parse(out) as { ms: number }).ms) : reject(new Error(`worker exited ${code}`))));
  });
}

async function measure(kind: "memory" | "sqlite", processes: number, trialsPerProcess: number, file: string): Promise<BenchRow> {
  const storage = kind === "memory" ? "memory:" : `sqlite:${file}`;
  if (kind === "sqlite") await (await createStudy({ name: "bench", storage })).close();
  // Every process starts at the same moment, after its start-up (module loading) is done.
  const startAt = Date.now() + 1500;
  const times = await Promise.all(
    Array.from({ length: processes }, (_, i) => runWorker([storage, "bench", String(trialsPerProcess), String(startAt), String(i)])),
  );
  const wallMs = Math.max(...times);
  const total = processes * trialsPerProcess;
  let lost: number | string = "-";
  let duplicated: number | string = "-";
  if (kind === "sqlite") {
    const study = await loadStudy({ name: "bench", storage });
    const trials = study.trials();
    const numbers = new Set(trials.map((t) => t.number));
    lost = total - trials.filter((t) => t.state === "complete").length;
    duplicated = trials.length - numbers.size + (Math.max(...numbers) + 1 - numbers.size);
    await study.close();
  }
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

export async function throughput(): Promise<BenchRow[]> {
  const dir = tempDir("scaletune-bench-");
  const rows = [
    await measure("memory", 1, 50_000, ""),
    await measure("memory", 4, 20_000, ""),
    await measure("sqlite", 1, 10_000, dir.file("t1.db")),
    await measure("sqlite", 4, 5_000, dir.file("t4.db")),
  ];
  dir.remove();
  printRows("Throughput, trivial 2-parameter objective, RandomSampler", rows);
  return rows;
}
