/**
 * @module `scaletune run <objective>`: runs a study from an objective file, resumable with the same command.
 *
 * `--trials N` is the study's target: re-running the command after an interruption runs only what is missing,
 * starting with the trials that were interrupted. What runs the study lives in `run-study.ts`, loaded when the
 * command runs, so that other commands do not pay for it.
 */
import type { Command } from "commander";
import { SAMPLER_NAMES, prunerNames } from "../../index.js";
import { DEFAULT_STORAGE, direction, integer, positiveInt, positiveNumber } from "../options.js";
import type { RunOptions } from "../run-study.js";

/** `--pruner`'s help, shared by run and demo. */
export const PRUNER_HELP =
  `pruner for trials that report steps: ${prunerNames().join(" | ")}, options after a colon ` +
  `(e.g. median:nWarmupSteps=5; default learning-curve; see docs/pruners.md)`;

async function run(file: string, options: RunOptions): Promise<void> {
  const [{ loadObjectiveModule }, { runStudyWith }] = await Promise.all([import("../objective-module.js"), import("../run-study.js")]);
  const { study } = await runStudyWith(await loadObjectiveModule(file), options, file);
  await study.close();
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run a study on the objective exported by a .ts/.js/.mjs file (its default export)")
    .argument("<objective>", "file whose default export is (trial) => number | Promise<number>")
    .requiredOption("--study <name>", "study name (created if missing, resumed if present)")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option(
      "--trials <n>",
      "the study's target: trials it should hold, counting earlier runs and other workers (default 100 unless --timeout is given)",
      positiveInt,
    )
    .option("--timeout <seconds>", "start no new trial after this many seconds", positiveNumber)
    .option("--concurrency <k>", "trials evaluated at once in this process (at most the trials left)", positiveInt, 1)
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
    .option("--json", "print one JSON document when done (counts, best trial) instead of progress lines")
    .action(run);
}
