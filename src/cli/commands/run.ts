/**
 * @module `scaletune run <objective>` and `scaletune worker`: run a study from an objective file or a command, resumable
 * with the same command; a worker joins a study that workers on other machines share.
 *
 * `--trials N` is the study's target: re-running the command after an interruption runs only what is missing,
 * starting with the trials that were interrupted. What runs the study lives in `run-study.ts`, loaded when the
 * command runs, so that other commands do not pay for it.
 */
import type { Command } from "commander";
import { ConfigError } from "../../errors.js";
import type { CommandOptions } from "../command-trials.js";
import { SAMPLER_NAMES, prunerNames } from "../../index.js";
import { DEFAULT_STORAGE, direction, integer, positiveInt, positiveNumber } from "../options.js";
import type { RunOptions } from "../run-study.js";

/** `--pruner`'s help, shared by run and demo. */
export const PRUNER_HELP =
  `pruner for trials that report steps: ${prunerNames().join(" | ")}, options after a colon ` +
  `(e.g. median:nWarmupSteps=5; default learning-curve; see docs/pruners.md)`;

/** The action of `run` and `worker`; a worker refuses to start without a target (`requireTarget`). */
async function runOrWork(this: Command, requireTarget: boolean, file: string | undefined, given: RunOptions & CommandOptions): Promise<void> {
  const options = { ...given, requireTarget };
  // Everything after `--` is the trial command: `scaletune run --study s -- python train.py --epochs 3`.
  const raw = (this.parent as { rawArgs?: readonly string[] } | null)?.rawArgs ?? process.argv;
  const dashes = raw.indexOf("--");
  if (dashes >= 0) {
    const command = raw.slice(dashes + 1);
    if (command.length === 0) throw new ConfigError("nothing after --: give the command each trial runs, e.g. -- node trial.mjs");
    const before = this.args.length - command.length;
    if (before > 0) throw new ConfigError(`give either an objective file or a command after --, not both (got ${this.args.slice(0, before).join(" ")})`);
    const { runCommandTrials } = await import("../command-trials.js");
    return runCommandTrials(command, options, this.getOptionValueSource("concurrency") === "cli");
  }
  if (file === undefined) throw new ConfigError("give the objective file, or the command each trial runs after --: scaletune run --study s -- node trial.mjs");
  if (this.args.length > 1) throw new ConfigError(`one objective file, got ${this.args.join(" ")}; a command goes after --`);
  const commandOnly = ["space", "passArgs", "timeoutPerTrial", "killGrace", "devices", "workdir", "artifacts"] as const;
  const misplaced = commandOnly.filter((key) => options[key] !== undefined);
  if (misplaced.length > 0) throw new ConfigError(`${misplaced.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")} apply to command trials (scaletune run … -- <command>)`);
  const [{ loadObjectiveModule }, { runStudyWith }] = await Promise.all([import("../objective-module.js"), import("../run-study.js")]);
  const { study } = await runStudyWith(await loadObjectiveModule(file), options, file);
  await study.close();
}

/** Registers `run` (or `worker`, which differs only in refusing to start without a target) with their shared options. */
function registerRunLike(program: Command, name: "run" | "worker", description: string, defaultTarget: string): void {
  program
    .command(name)
    .description(description)
    .usage("[options] <objective>  |  [options] -- <command> [args…]")
    .argument("[objective]", "file whose default export is (trial) => number | Promise<number>")
    .allowExcessArguments()
    .requiredOption("--study <name>", "study name (created if missing, resumed if present)")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option(
      "--trials <n>",
      `the study's target: trials it should hold, counting earlier runs and other workers; stored with the study for the workers that join later (${defaultTarget})`,
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
    .option(
      "--heartbeat-timeout <seconds>",
      "take another worker's running trial for dead after this long without a heartbeat, fail it and retry it (default 60)",
      positiveNumber,
    )
    .option("--space <file>", "command trials: the declared search space, a .json or .yaml file or a module exporting it (docs/commands.md)")
    .option("--pass-args", "command trials: append --name=value for each declared parameter to the command")
    .option("--timeout-per-trial <seconds>", "command trials: stop and fail a trial's process after this long", positiveNumber)
    .option("--kill-grace <seconds>", "command trials: seconds between SIGTERM and SIGKILL when a process is stopped (default 10)", positiveNumber)
    .option("--devices <list>", "command trials: devices (0,1,…), one per running trial as CUDA_VISIBLE_DEVICES; concurrency defaults to their count")
    .option("--workdir <dir>", "command trials: the working directory of every trial process (default: the current one)")
    .option("--artifacts <dir>", "command trials: each trial's artifact directory is <dir>/<trial number> (default ./scaletune-artifacts/<study>)")
    .action(function (this: Command, file: string | undefined, options: RunOptions & CommandOptions) {
      return runOrWork.call(this, name === "worker", file, options);
    });
}

export function registerRun(program: Command): void {
  registerRunLike(
    program,
    "run",
    "run a study on the objective exported by a .ts/.js/.mjs file (its default export), or run each trial as the command after -- (docs/commands.md)",
    "without it: the stored target, else 100 unless --timeout is given",
  );
}

export function registerWorker(program: Command): void {
  registerRunLike(
    program,
    "worker",
    "join a study shared by workers on many machines (postgres:// storage) and run its trials until its stored target is reached: the same options as run (docs/workers.md)",
    "without it: the stored target; a study without one needs --trials or --timeout",
  );
}
