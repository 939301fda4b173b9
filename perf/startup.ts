/**
 * @module How long the quick CLI commands take to start, against Node's own start-up (`node -e 0`). Every run is a
 * fresh process, as a user runs it; the commands take turns (each round starts one further along), so that all see
 * the same moments of a noisy machine. Reports the median wall time, its interquartile range, and the median's
 * overhead over `node -e 0`. The target (issue 14): within 250 ms of `node -e 0`. Needs `npm run build`.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { tempDir } from "../src/testing/temp.js";
import { median, printRows, quantile, type BenchRow, type Size } from "./common.js";

const BIN = fileURLToPath(new URL("../bin/scaletune.js", import.meta.url));
const ROUNDS = { full: 15, quick: 3 } satisfies Record<Size, number>;
const TARGET_MS = 250;

/** Wall time of one process, in milliseconds; a command that fails is an error, not a time. */
function timeRun(args: readonly string[]): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8" });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed:\n${r.stderr}`);
  return ms;
}

export async function startup(size: Size): Promise<BenchRow[]> {
  const dir = tempDir("scaletune-startup-");
  // An empty file: `studies` opens it read-only and finds no studies, the least work a command that opens a store does.
  writeFileSync(dir.file("empty.db"), "");
  const commands: [string, string[]][] = [
    ["node -e 0", ["-e", "0"]],
    ["scaletune --help", [BIN, "--help"]],
    ["scaletune studies --storage sqlite:<empty file>", [BIN, "studies", "--storage", `sqlite:${dir.file("empty.db")}`]],
    ["scaletune --version", [BIN, "--version"]],
  ];
  const times = commands.map((): number[] => []);
  for (let round = 0; round < ROUNDS[size]; round++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (round + k) % commands.length;
      times[i]!.push(timeRun(commands[i]![1]));
    }
  }
  dir.remove();
  const node = median(times[0]!);
  const rows = commands.map(([name], i): BenchRow => {
    const overhead = median(times[i]!) - node;
    return {
      command: `\`${name}\``,
      "median ms": median(times[i]!).toFixed(0),
      "q25–q75 ms": `${quantile(times[i]!, 0.25).toFixed(0)}–${quantile(times[i]!, 0.75).toFixed(0)}`,
      "over node -e 0, ms": i === 0 ? "" : overhead.toFixed(0),
      [`within ${TARGET_MS} ms`]: i === 0 ? "" : overhead <= TARGET_MS ? "yes" : "no",
    };
  });
  printRows(`CLI start-up, ${ROUNDS[size]} runs of each, taking turns (needs npm run build)`, rows);
  return rows;
}
