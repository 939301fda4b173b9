/**
 * @module `scaletune run <objective>`: runs a study from an objective file, resumable with the same command.
 *
 * `--trials N` is the study's target: re-running the command after an interruption runs only what is missing,
 * starting with the trials that were interrupted.
 */
import type { Command } from "commander";
import { ConfigError, SearchSpaceError } from "../../errors.js";
import { HyperbandPruner } from "../../pruners/hyperband.js";
import { prunerFromSpec, prunerNames } from "../../pruners/registry.js";
import { GridSampler } from "../../samplers/grid.js";
import { autoSamplerHistory } from "../../samplers/auto.js";
import { SAMPLER_NAMES, samplerByName } from "../../samplers/registry.js";
import { createStudy } from "../../study/api.js";
import type { Study } from "../../study/study.js";
import type { Direction, FrozenTrial } from "../../study/types.js";
import { formatNumber, formatValue } from "../format.js";
import { loadObjectiveModule, type ObjectiveModule } from "../objective-module.js";
import { DEFAULT_STORAGE, direction, integer, positiveInt, positiveNumber } from "../options.js";
import { Progress } from "../progress.js";

/** After this many failures in a row from the start of a run, the objective is presumed broken. */
const BROKEN_AFTER = 5;

/** Trials that count toward the target: finished ones, less failures whose configuration was queued again. */
export function doneTrials(study: Study): number {
  const trials = study.trials();
  const retried = new Set<number>();
  for (const t of trials) {
    const retryOf = t.systemAttrs.retry_of as { number?: number } | undefined;
    if (typeof retryOf?.number === "number") retried.add(retryOf.number);
  }
  return trials.filter((t) => t.state !== "running" && t.state !== "waiting" && !retried.has(t.number)).length;
}

export interface RunOptions {
  study: string;
  storage: string;
  trials?: number;
  timeout?: number;
  concurrency: number;
  sampler: string;
  /** A `prunerFromSpec` spec; default: the library's default pruner. */
  pruner?: string;
  /** With a Hyperband pruner whose maxResource was raised: queue the best trials that finished below it to continue. */
  continueBestTrials?: boolean;
  seed?: number;
  direction?: Direction;
  failFast?: boolean;
}

/** Ctrl-C / SIGTERM: mark running trials, queue them again, say how to resume, exit. */
function onInterrupt(study: Study, command: string): void {
  let interrupting = false;
  const handler = (signal: NodeJS.Signals) => {
    if (interrupting) process.exit(130);
    interrupting = true;
    void study
      .interrupt(`interrupted (${signal})`)
      .then(async (n) => {
        process.stderr.write(`\ninterrupted: ${n} running trial(s) marked failed and queued again; resume with: ${command}\n`);
        await study.close();
        process.exit(130);
      })
      .catch((error: unknown) => {
        process.stderr.write(`\ninterrupted, but marking running trials failed: ${(error as Error).message}\n`);
        process.exit(130);
      });
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
}

export async function runStudy(file: string, options: RunOptions): Promise<void> {
  const study = await runStudyWith(await loadObjectiveModule(file), options, file);
  await study.close();
}

/** Runs the study to its target and prints the best trial; returns the (still open) study. */
export async function runStudyWith(module: ObjectiveModule, options: RunOptions, file = "the objective file"): Promise<Study> {
  let sampler;
  if (options.sampler.toLowerCase() === "grid") {
    if (!module.grid) throw new ConfigError(`--sampler grid needs the grid: add  export const grid = { name: [values…] }  to ${file}`);
    sampler = new GridSampler(module.grid, options.seed === undefined ? {} : { seed: options.seed });
  } else {
    sampler = samplerByName(options.sampler, options.seed);
  }
  const directions = options.direction ? [options.direction] : module.directions;
  const study = await createStudy({
    name: options.study,
    storage: options.storage,
    sampler,
    ...(options.pruner !== undefined && { pruner: prunerFromSpec(options.pruner) }),
    loadIfExists: true,
    ...(directions && (directions.length === 1 ? { direction: directions[0]! } : { directions })),
  });
  const already = doneTrials(study);
  const target = options.trials;
  const out = process.stdout;
  out.write(`study "${study.name}" in ${options.storage} · sampler ${sampler.name} · pruner ${study.pruner.name} · ${study.directions.join(", ")}\n`);
  if (options.continueBestTrials) {
    if (!(study.pruner instanceof HyperbandPruner)) {
      throw new ConfigError(
        "--continue-best-trials continues a Hyperband study under a larger maximum: give --pruner hyperband:maxResource=<new maximum>,…",
      );
    }
    const continued = await study.pruner.continueBestTrials(study);
    out.write(
      `hyperband: ${continued.length} trial(s) that finished below the new maximum queued to continue ` +
        `(${continued.map((t) => `#${t.number}`).join(", ") || "none"}); trial.continues tells the objective where to resume\n`,
    );
  }
  if (already > 0) out.write(`resuming: ${already} trial(s) already done${target !== undefined ? ` of ${target}` : ""}\n`);
  if (target !== undefined && already >= target) {
    out.write(`nothing to do: the study already has ${already} trial(s); raise --trials to run more\n`);
    printBest(study);
    return study;
  }

  onInterrupt(study, `scaletune ${process.argv.slice(2).join(" ")}`);
  const progress = new Progress(study, { alreadyDone: already, ...(target !== undefined && { target }), out });
  let failuresInARow = 0;
  let anyComplete = false;
  let autoSwitchesShown = autoSamplerHistory(study.systemAttrs).length;
  const stopWhenDone = (s: Study, trial: FrozenTrial) => {
    progress.onTrial(trial);
    const switches = autoSamplerHistory(s.systemAttrs);
    for (const change of switches.slice(autoSwitchesShown)) {
      progress.note(`auto sampler: ${change.sampler} after ${change.afterFinishedTrials} finished trials (${change.reason})`);
    }
    autoSwitchesShown = switches.length;
    anyComplete ||= trial.state === "complete";
    failuresInARow = trial.state === "failed" ? failuresInARow + 1 : 0;
    if (!anyComplete && failuresInARow >= BROKEN_AFTER) {
      s.stop();
      throw new ConfigError(
        `the first ${BROKEN_AFTER} trials all failed; the objective looks broken. Last error: ${trial.failReason?.split("\n")[0] ?? "?"}`,
      );
    }
    // Several workers may share the study: stop when it, not this process, reaches the target.
    if (target !== undefined && doneTrials(s) >= target) s.stop();
  };
  progress.start();
  try {
    await study.optimize(module.objective, {
      ...(target !== undefined && { nTrials: target - already }),
      ...(options.timeout !== undefined && { timeoutMs: options.timeout * 1000 }),
      concurrency: options.concurrency,
      // A search-space error repeats on every trial: stop at once instead of recording it again and again.
      catch: (error) => !options.failFast && !(error instanceof SearchSpaceError),
      callbacks: [stopWhenDone],
    });
  } finally {
    progress.stop();
  }
  printBest(study);
  out.write(`stored in ${options.storage} (study "${study.name}")\n`);
  return study;
}

function printBest(study: Study): void {
  const complete = study.trials({ states: ["complete"] });
  if (complete.length === 0) return void process.stdout.write("no complete trial yet\n");
  for (const best of study.directions.length === 1 ? [study.bestTrial] : study.bestTrials) {
    const params = Object.entries(best.params).map(([k, v]) => `${k}=${formatValue(v)}`).join(" ");
    process.stdout.write(`best trial #${best.number}: ${best.values!.map(formatNumber).join(", ")} | ${params}\n`);
  }
}

/** `--pruner`'s help, shared by run and demo. */
export const PRUNER_HELP =
  `pruner for trials that report steps: ${prunerNames().join(" | ")}, options after a colon ` +
  `(e.g. median:nWarmupSteps=5; default learning-curve; see docs/pruners.md)`;

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a study on the objective exported by a .ts/.js/.mjs file (its default export)")
    .argument("<objective>", "file whose default export is (trial) => number | Promise<number>")
    .requiredOption("--study <name>", "study name (created if missing, resumed if present)")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option("--trials <n>", "target number of finished trials in the study (resuming counts earlier ones)", positiveInt)
    .option("--timeout <seconds>", "start no new trial after this many seconds", positiveNumber)
    .option("--concurrency <k>", "trials evaluated at once in this process", positiveInt, 1)
    .option(
      "--sampler <name>",
      `${SAMPLER_NAMES.join(" | ")} (auto picks per study; grid: export const grid = {...} from the file)`,
      "auto",
    )
    .option("--seed <s>", "sampler seed (same seed, same sequence)", integer)
    .option("--pruner <spec>", PRUNER_HELP)
    .option(
      "--continue-best-trials",
      "after raising a Hyperband pruner's maxResource: queue the best trials that finished below it to continue (see docs/pruners.md)",
    )
    .option("--direction <d>", "minimize | maximize (default: the file's `direction` export, else minimize)", direction)
    .option("--fail-fast", "stop at the first trial whose objective throws (default: record it and go on)")
    .action((file: string, options: RunOptions) => runStudy(file, options));
}
