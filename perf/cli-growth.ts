/**
 * @module Does the CLI slow down as a study grows? Adds 2,000 trials through `scaletune run` to a fresh study and to
 * a 50,000-trial one, and times the read commands (`best`, `studies`, `trials`) on the large one. Each command is a
 * fresh process, as a user runs it; its peak memory is the process's maximum resident set.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createStudy, RandomSampler } from "../src/index.js";
import { tempDir } from "../src/testing/temp.js";
import { printRows, trivialObjective, type BenchRow, type Size } from "./common.js";

const BIN = fileURLToPath(new URL("../bin/scaletune.js", import.meta.url));
const SIZES = {
  full: { large: 50_000, added: 2_000 },
  quick: { large: 1_000, added: 100 },
} satisfies Record<Size, unknown>;

const OBJECTIVE = `export default (t) => t.suggestFloat("x", -5, 5) ** 2 + t.suggestFloat("y", -5, 5) ** 2;\n`;

const REPEATS = 5;

interface Timed {
  seconds: number;
  rssMb: number;
  stdoutBytes: number;
}

function medianRun(runs: readonly Timed[]): Timed {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[runs.length >> 1]!;
}

/** Wall time and peak memory of one CLI command (GNU time's maximum resident set size). */
function timeCommand(args: readonly string[], cwd: string): Timed {
  const started = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, BIN, ...args], { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`scaletune ${args.join(" ")} failed:\n${r.stderr}`);
  const rssKb = Number(r.stderr.trim().split("\n").at(-1));
  return { seconds, rssMb: rssKb / 1024, stdoutBytes: Buffer.byteLength(r.stdout) };
}

export async function cliGrowth(size: Size): Promise<BenchRow[]> {
  const { large: LARGE, added: ADDED } = SIZES[size];
  const dir = tempDir("scaletune-growth-");
  writeFileSync(dir.file("objective.mjs"), OBJECTIVE);
  const storage = `sqlite:${dir.file("growth.db")}`;
  // The large study is built through the library: only the CLI's cost on top of it is measured.
  const large = await createStudy({ name: "large", storage, sampler: new RandomSampler({ seed: 1 }) });
  await large.optimize(trivialObjective, { nTrials: LARGE });
  await large.close();

  // Each run starts from the same state (a new file, or a copy of the large one). Runs alternate between the two
  // cases, so that both see the same machine; the median of REPEATS is reported.
  const run = `sqlite:${dir.file("run.db")}`;
  const once = (study: "fresh" | "large", seed: number) => {
    rmSync(dir.file("run.db"), { force: true });
    if (study === "large") copyFileSync(dir.file("growth.db"), dir.file("run.db"));
    const target = study === "large" ? LARGE + ADDED : ADDED;
    return timeCommand(["run", "objective.mjs", "--study", study, "--storage", run, "--trials", String(target), "--sampler", "random", "--seed", String(seed)], dir.path);
  };
  const freshRuns: Timed[] = [];
  const grownRuns: Timed[] = [];
  for (let i = 0; i < REPEATS; i++) {
    freshRuns.push(once("fresh", i));
    grownRuns.push(once("large", i));
  }
  const fresh = medianRun(freshRuns);
  const grown = medianRun(grownRuns);
  const rows: BenchRow[] = [
    { command: `run: add ${ADDED} trials to a new study (median of ${REPEATS})`, "seconds": fresh.seconds.toFixed(2), "peak RSS MB": fresh.rssMb.toFixed(0), "÷ new study": "1.00" },
    {
      command: `run: add ${ADDED} trials to a ${LARGE}-trial study (median of ${REPEATS})`,
      "seconds": grown.seconds.toFixed(2),
      "peak RSS MB": grown.rssMb.toFixed(0),
      "÷ new study": (grown.seconds / fresh.seconds).toFixed(2),
    },
  ];
  // The last run left the large study grown by ADDED trials in run.db.
  const reads: [string, string[]][] = [
    ["best", ["best", "--study", "large", "--storage", run]],
    ["studies", ["studies", "--storage", run]],
    ["trials --json", ["trials", "--study", "large", "--storage", run, "--json"]],
    ["trials --csv", ["trials", "--study", "large", "--storage", run, "--csv"]],
  ];
  for (const [name, args] of reads) {
    const t = timeCommand(args, dir.path);
    rows.push({ command: `${name} on ${LARGE + ADDED} trials`, "seconds": t.seconds.toFixed(2), "peak RSS MB": t.rssMb.toFixed(0), "÷ new study": "" });
  }
  const idle = timeCommand(["--version"], dir.path);
  rows.push({ command: "--version (process start-up alone)", "seconds": idle.seconds.toFixed(2), "peak RSS MB": idle.rssMb.toFixed(0), "÷ new study": "" });
  dir.remove();
  printRows(`The CLI on a growing study (random sampler, trivial objective; needs npm run build)`, rows);
  return rows;
}
