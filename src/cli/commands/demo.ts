/**
 * @module `scaletune demo`: tunes a real neural network (an MLP on the 8×8 digits) and reports its test accuracy.
 */
import type { Command } from "commander";
import { loadDigitsDemo } from "../../demo/index.js";
import { FixedTrial, SAMPLER_NAMES } from "../../index.js";
import { formatValue, trialJson } from "../format.js";
import { shellCommand } from "../interruption.js";
import { DEFAULT_STORAGE, integer, positiveInt, shownStorage } from "../options.js";
import { PRUNER_HELP } from "./run.js";

interface DemoOptions {
  trials: number;
  storage: string;
  study: string;
  sampler: string;
  pruner?: string;
  seed?: number;
  concurrency: number;
  json?: boolean;
}

async function demo(options: DemoOptions): Promise<void> {
  // TensorFlow.js is loaded by the demo alone: other commands start without it, and need not have it installed.
  const [{ digitsObjective, demoSplit, suggestMlpConfig, initBackend, trainMlp }, { runStudyWith }] = await Promise.all([
    loadDigitsDemo(),
    import("../run-study.js"),
  ]);
  const backend = await initBackend();
  const split = demoSplit();
  const say = (text: string) => void (options.json || process.stdout.write(text));
  say(
    `scaletune demo: tuning an MLP on the 8×8 handwritten digits (${split.train.n} train / ${split.validation.n} validation / ` +
      `${split.test.n} test images; backend ${backend})\n`,
  );
  const { study } = await runStudyWith(
    { objective: digitsObjective, directions: ["maximize"] },
    {
      study: options.study,
      storage: options.storage,
      trials: options.trials,
      concurrency: options.concurrency,
      sampler: options.sampler,
      ...(options.pruner !== undefined && { pruner: options.pruner }),
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(options.json && { silent: true }),
    },
  );
  const [best] = study.bestTrials;
  if (!best) return study.close();
  // The held-out test set was never used for tuning: this is the number to believe.
  const result = await trainMlp(suggestMlpConfig(new FixedTrial(best.params)), split);
  const testAccuracy = result.model.accuracy(split.test);
  result.model.dispose();
  await study.close();
  if (options.json) {
    const document = { study: options.study, storage: shownStorage(options.storage), backend, best: trialJson(best), testAccuracy };
    return void process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }
  const where = ["--study", options.study, "--storage", shownStorage(options.storage)];
  say(
    [
      "",
      `best configuration (trial #${best.number}, validation accuracy ${(100 * best.value!).toFixed(2)} %):`,
      ...Object.entries(best.params).map(([k, v]) => `  ${k.padEnd(14)} ${formatValue(v)}`),
      `held-out test accuracy of the best configuration, retrained: ${(100 * testAccuracy).toFixed(2)} %`,
      "",
      `study "${options.study}" is stored in ${shownStorage(options.storage)}. Look at it with:`,
      `  ${shellCommand("npx", ["scaletune", "trials", ...where])}`,
      `  ${shellCommand("npx", ["scaletune", "best", ...where])}`,
      "",
    ].join("\n"),
  );
}

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("tune a real neural network (an MLP on the 8×8 digits) and print its held-out test accuracy")
    .option("--trials <n>", "number of trials", positiveInt, 40)
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option("--study <name>", "study name", "digits-mlp")
    .option("--sampler <name>", `${SAMPLER_NAMES.join(" | ")} (grid needs a grid: use run)`, "auto")
    .option("--seed <s>", "sampler seed", integer, 0)
    .option("--pruner <spec>", PRUNER_HELP)
    .option("--concurrency <k>", "trials trained at once", positiveInt, 1)
    .option("--json", "print one JSON document when done (best trial, test accuracy) instead of progress lines")
    .action(demo);
}
