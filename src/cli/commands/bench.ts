/**
 * @module `scaletune bench`: runs samplers on benchmark problems (synthetic, tabular, YAHPO surrogates), optionally
 * side by side with Optuna, and reports regret at several budgets and the samplers' overhead.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { InvalidArgumentError, Option, type Command } from "commander";
import { SAMPLER_NAMES } from "../../samplers/registry.js";
import { DEFAULT_OPTUNA_SAMPLERS, OPTUNA_SAMPLERS } from "../../bench/optuna-bridge.js";
import { runBench } from "../../bench/harness.js";
import { formatReport } from "../../bench/report.js";
import { positiveInt } from "../options.js";

interface BenchCliOptions {
  problem: string[];
  samplers: string[];
  trials: number;
  seeds: number;
  budgets?: number[];
  json?: boolean;
  out?: string;
  parallel: number;
  vsOptuna?: boolean;
  optunaSamplers: string[];
}

function list(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function budgetList(value: string): number[] {
  const budgets = list(value).map(Number);
  if (budgets.length === 0 || !budgets.every((b) => Number.isInteger(b) && b >= 1)) {
    throw new InvalidArgumentError("expected positive whole numbers of trials, comma-separated (e.g. 50,100,200).");
  }
  return budgets;
}

/** Progress on stderr at most every 5 s, so long runs show life and short ones stay quiet. */
function progressPrinter(): (done: number, total: number) => void {
  const start = Date.now();
  let last = start;
  return (done, total) => {
    const now = Date.now();
    if (now - last < 5000 && done < total) return;
    if (done === total && now - start < 5000) return;
    last = now;
    process.stderr.write(`[${((now - start) / 1000).toFixed(0)} s] ${done}/${total} runs done\n`);
  };
}

async function bench(options: BenchCliOptions): Promise<void> {
  const report = await runBench({
    problems: options.problem,
    samplers: options.samplers,
    trials: options.trials,
    seeds: options.seeds,
    ...(options.budgets && { budgets: options.budgets }),
    parallel: options.parallel,
    optunaSamplers: options.vsOptuna ? options.optunaSamplers : null,
    onProgress: progressPrinter(),
  });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, json);
  process.stdout.write(options.json ? json : formatReport(report));
}

export function registerBench(program: Command): void {
  const ours = SAMPLER_NAMES.filter((n) => n !== "grid");
  program
    .command("bench")
    .description("benchmark samplers on synthetic, tabular and YAHPO problems, optionally side by side with Optuna")
    .requiredOption(
      "--problem <name>",
      "problem, group or comma-separated list (repeatable): synthetic | tabular | yahpo | published, a synthetic name " +
        "(branin, nn_mixed, …), tabular:<file>, yahpo:<scenario>:<instance>, published:naval",
      collect,
    )
    .option("--samplers <names>", `scaletune samplers, comma-separated (registered: ${ours.join(", ")})`, list, ours)
    .option("--trials <n>", "trials per run", positiveInt, 200)
    .option("--seeds <k>", "runs per problem and sampler, with seeds 0 … k−1", positiveInt, 10)
    .option("--budgets <list>", "trial counts to summarise at (default: a quarter, half and all of --trials)", budgetList)
    .option("--json", "print the full results as JSON (curves per run, statistics per sampler)")
    .option("--out <file>", "also write the JSON results to this file")
    .addOption(new Option("--parallel <p>", "worker processes").argParser(positiveInt).default(availableParallelism(), "the number of cores"))
    .option("--vs-optuna", "also run Optuna's samplers on the same problems (Python: /usr/bin/python3 or $SCALETUNE_PYTHON)")
    .option("--optuna-samplers <names>", `Optuna samplers with --vs-optuna (${OPTUNA_SAMPLERS.join(", ")})`, list, [...DEFAULT_OPTUNA_SAMPLERS])
    .action(bench);
}
