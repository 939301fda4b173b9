/**
 * @module What running a trial as a command costs above the command's own start-up (docs/commands.md). A no-op
 * trial script (Node: it prints its final line and exits) runs as study trials through `study.optimize` with a
 * `CommandRunner` objective (one declared parameter, random sampler: ask, environment, the params file, artifact
 * directory, spawn, protocol parsing, tell). Every trial also runs the same command bare (spawn, wait for it to
 * close) right before or right after it, by turns, so that each pair sees the same moment of the machine. Trial
 * time = time from one finished trial to the next − its bare run; overhead = the median of trial − bare over the
 * pairs. The target (issue 15): under 30 ms.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { CommandRunner, createStudy, MemoryStorage, parseSearchSpace, RandomSampler, SqliteStorage, type Storage } from "../src/index.js";
import { tempDir } from "../src/testing/temp.js";
import { median, printRows, quantile, type BenchRow, type Size } from "./common.js";

const TRIALS = { full: 150, quick: 10 } satisfies Record<Size, number>;
const TARGET_MS = 30;
const NOOP = `process.stdout.write('@scaletune {"final": 0}\\n');\n`;

function bare(command: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ["pipe", "pipe", "pipe"] });
    child.stdout.resume();
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

export async function commandOverhead(size: Size): Promise<BenchRow[]> {
  const dir = tempDir("scaletune-command-overhead-");
  writeFileSync(dir.file("noop.mjs"), NOOP);
  const command = [process.execPath, dir.file("noop.mjs")];
  const space = parseSearchSpace({ x: { type: "float", low: 0, high: 1 } }, "bench");
  const storages: [string, () => Storage][] = [
    ["memory", () => new MemoryStorage()],
    ["sqlite", () => new SqliteStorage(dir.file("bench.db"))],
  ];
  const rows: BenchRow[] = [];
  for (const [name, open] of storages) {
    const study = await createStudy({ name: `overhead-${name}`, storage: open(), sampler: new RandomSampler({ seed: 1 }) });
    const runner = new CommandRunner({ command, study: study.name, space, workdir: dir.path, artifacts: dir.file(`artifacts-${name}`), output: () => {} });
    const bareTimes: number[] = [];
    const objective = async (trial: Parameters<typeof runner.objective>[0]) => {
      const bareFirst = trial.number % 2 === 0;
      const timed = async () => {
        const started = performance.now();
        await bare(command, dir.path);
        bareTimes.push(performance.now() - started);
      };
      if (bareFirst) await timed();
      const outcome = await runner.objective(trial);
      if (!bareFirst) await timed();
      return outcome;
    };
    let last = performance.now();
    const totals: number[] = [];
    await study.optimize(objective, {
      nTrials: TRIALS[size],
      callbacks: [
        () => {
          const now = performance.now();
          totals.push(now - last);
          last = now;
        },
      ],
    });
    // The first pair pays the loop's set-up (refresh, stale-trial recovery): left out.
    const perBare = bareTimes.slice(1);
    const perTrial = totals.slice(1).map((total, i) => total - perBare[i]!);
    const paired = perTrial.map((t, i) => t - perBare[i]!);
    const complete = study.trials().filter((t) => t.state === "complete").length;
    if (complete !== TRIALS[size]) throw new Error(`only ${complete} trials complete`);
    await study.close();
    const overhead = median(paired);
    rows.push({
      storage: name,
      "bare spawn, median ms (q25–q75)": `${median(perBare).toFixed(1)} (${quantile(perBare, 0.25).toFixed(1)}–${quantile(perBare, 0.75).toFixed(1)})`,
      "trial, median ms (q25–q75)": `${median(perTrial).toFixed(1)} (${quantile(perTrial, 0.25).toFixed(1)}–${quantile(perTrial, 0.75).toFixed(1)})`,
      "overhead per trial, median of pairs (q25–q75), ms": `${overhead.toFixed(1)} (${quantile(paired, 0.25).toFixed(1)}–${quantile(paired, 0.75).toFixed(1)})`,
      [`under ${TARGET_MS} ms`]: overhead < TARGET_MS ? "yes" : "no",
    });
  }
  dir.remove();
  printRows(
    `Command trials: per-trial overhead of a no-op Node command above its own start-up, ${TRIALS[size]} trials, each paired with a bare run`,
    rows,
  );
  return rows;
}
