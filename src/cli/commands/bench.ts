/**
 * @module `scaletune bench`: runs samplers on benchmark problems (synthetic, tabular, YAHPO surrogates), optionally
 * side by side with Optuna, and reports regret at several budgets and the samplers' overhead; on the learning-curve
 * problems (`curves:…`) it runs samplers × pruners against an epoch budget, next to Optuna's anchored runs; on the
 * multi-fidelity YAHPO problems (`yahpo-mf…`) it runs samplers × pruners under the YAHPO Gym paper's protocol and
 * ranks them among the paper's published optimizers.
 */
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { InvalidArgumentError, Option, type Command } from "commander";
import { ConfigError } from "../../errors.js";
import { SAMPLER_NAMES, prunerNames } from "../../index.js";
import {
  ANCHOR_PRUNER_SPECS,
  CURVE_PROBLEMS,
  DEFAULT_EPOCH_BUDGET,
  DEFAULT_OPTUNA_SAMPLERS,
  OPTUNA_SAMPLERS,
  YAHPO_MF_GROUP,
  benchCurves,
  benchTrials,
  benchYahpoMf,
  isCurveProblem,
  isYahpoMfProblem,
  type Benchmarked,
} from "../../quality/index.js";
import { positiveInt } from "../options.js";

interface BenchCliOptions {
  problem: string[];
  samplers: string[];
  trials: number;
  seeds: number;
  budgets?: number[];
  pruners?: string[];
  epochBudget: number;
  budgetFraction: number;
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

/**
 * `--pruners`: specs separated by ";" (a spec's options are separated by commas), repeatable. A comma inside a name
 * means the list was written with commas.
 */
function prunerList(value: string, previous: string[] = []): string[] {
  const specs = value.split(";").map((s) => s.trim()).filter((s) => s !== "");
  if (specs.some((spec) => spec.split(":")[0]!.includes(","))) {
    const example = value.includes(":") ? "none;median:nWarmupSteps=5" : value.replaceAll(",", ";");
    throw new InvalidArgumentError(`pruner specs are separated by ";" (commas separate one pruner's options): write e.g. --pruners "${example}".`);
  }
  return [...previous, ...specs];
}

function fraction(value: string): number {
  const f = Number(value);
  if (!(f > 0 && f <= 1)) throw new InvalidArgumentError("expected a fraction in (0, 1], e.g. 0.05.");
  return f;
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

type Given = (option: keyof BenchCliOptions) => boolean;

const OPTUNA_ANCHOR = "Optuna's rows for curve problems are its measured anchor runs, shown whenever ../shared/anchors/optuna is there";

/** Options that mean nothing for one kind of problem: [option, flag, why and what to do instead]. */
const TRIAL_ONLY: readonly [keyof BenchCliOptions, string, string][] = [
  ["trials", "--trials", "they spend an epoch budget, not a number of trials; use --epoch-budget <epochs>"],
  ["budgets", "--budgets", "they are summarised at 10, 25, 50 and 100 % of --epoch-budget"],
  ["vsOptuna", "--vs-optuna", OPTUNA_ANCHOR],
  ["optunaSamplers", "--optuna-samplers", OPTUNA_ANCHOR],
  ["budgetFraction", "--budget-fraction", "use --epoch-budget <epochs>"],
];
const CURVE_ONLY: readonly [keyof BenchCliOptions, string, string][] = [
  [
    "pruners",
    "--pruners",
    `only the curve problems (${CURVE_PROBLEMS.join(", ")}) report intermediate values to prune on, and the multi-fidelity ` +
      `YAHPO problems (${YAHPO_MF_GROUP}, ${YAHPO_MF_GROUP}:<scenario>:<instance>)`,
  ],
  ["epochBudget", "--epoch-budget", "they run a number of trials; use --trials"],
  ["budgetFraction", "--budget-fraction", "they run a number of trials; use --trials"],
];
const PROTOCOL_BUDGET = "the YAHPO Gym paper's protocol sets each problem's budget, ceil(20·F + √d·F·40) fidelity units";
/** Options that mean nothing for the multi-fidelity YAHPO problems. */
const NOT_YAHPO_MF: readonly [keyof BenchCliOptions, string, string][] = [
  ["trials", "--trials", PROTOCOL_BUDGET],
  ["epochBudget", "--epoch-budget", PROTOCOL_BUDGET],
  ["budgets", "--budgets", "they are compared at 25, 50, 75 and 100 % of the budget, where the paper's values were read"],
  ["vsOptuna", "--vs-optuna", "the paper's Optuna (TPE + median pruning) is one of its published optimizers, ranked against ours"],
  ["optunaSamplers", "--optuna-samplers", "the paper's Optuna (TPE + median pruning) is one of its published optimizers, ranked against ours"],
];

function rejectGiven(given: Given, options: readonly [keyof BenchCliOptions, string, string][], problems: string): void {
  for (const [option, flag, why] of options) {
    if (given(option)) throw new ConfigError(`${flag} does not apply to ${problems}: ${why}`);
  }
}

/** Without --pruners: the anchor's five pruners, those this build registers (the others are named on stderr). */
function defaultPruners(): string[] {
  const registered = (spec: string) => prunerNames().includes(spec.split(":")[0]!);
  const skipped = ANCHOR_PRUNER_SPECS.filter((spec) => !registered(spec));
  if (skipped.length > 0) process.stderr.write(`scaletune: note: the anchor's pruners ${skipped.join("; ")} are not registered, so not run\n`);
  return ANCHOR_PRUNER_SPECS.filter(registered);
}

async function curveBench(options: BenchCliOptions, given: Given): Promise<Benchmarked<unknown>> {
  rejectGiven(given, TRIAL_ONLY, "curve problems");
  return benchCurves({
    problems: options.problem.flatMap(list),
    // The anchor's samplers: the model-based others would make a thousand-trial pruned run slow.
    samplers: given("samplers") ? options.samplers : ["tpe", "random"],
    pruners: options.pruners ?? defaultPruners(),
    seeds: options.seeds,
    epochBudget: options.epochBudget,
    parallel: options.parallel,
    onProgress: progressPrinter(),
  });
}

async function yahpoMfBench(options: BenchCliOptions, given: Given): Promise<Benchmarked<unknown>> {
  rejectGiven(given, NOT_YAHPO_MF, "the multi-fidelity YAHPO problems");
  return benchYahpoMf({
    problems: options.problem.flatMap(list),
    samplers: given("samplers") ? options.samplers : null,
    pruners: options.pruners ?? null,
    seeds: options.seeds,
    budgetFraction: options.budgetFraction,
    parallel: options.parallel,
    onProgress: progressPrinter(),
  });
}

async function trialBench(options: BenchCliOptions, given: Given): Promise<Benchmarked<unknown>> {
  rejectGiven(given, CURVE_ONLY, "these problems");
  return benchTrials({
    problems: options.problem,
    samplers: options.samplers,
    trials: options.trials,
    seeds: options.seeds,
    ...(options.budgets && { budgets: options.budgets }),
    parallel: options.parallel,
    optunaSamplers: options.vsOptuna ? options.optunaSamplers : null,
    onProgress: progressPrinter(),
  });
}

async function bench(options: BenchCliOptions, command: Command): Promise<void> {
  const given: Given = (option) => command.getOptionValueSource(option) === "cli";
  const names = options.problem.flatMap(list);
  const curves = names.filter(isCurveProblem);
  const yahpoMf = names.filter(isYahpoMfProblem);
  if (yahpoMf.length > 0 && yahpoMf.length < names.length) {
    throw new ConfigError(
      `multi-fidelity YAHPO problems (${yahpoMf.join(", ")}) spend the YAHPO protocol's fidelity budget, unlike the others; run them in separate invocations`,
    );
  }
  if (curves.length > 0 && curves.length < names.length) {
    throw new ConfigError(
      `curve problems (${curves.join(", ")}) spend an epoch budget and the others a number of trials; run them in separate invocations`,
    );
  }
  const { report, text } =
    yahpoMf.length > 0 ? await yahpoMfBench(options, given) : curves.length > 0 ? await curveBench(options, given) : await trialBench(options, given);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, json);
  process.stdout.write(options.json ? json : text);
}

export function registerBench(program: Command): void {
  // BOHB is a multi-fidelity method: it is benchmarked with a Hyperband pruner, on curve and yahpo-mf problems only.
  const ours = SAMPLER_NAMES.filter((n) => n !== "grid" && n !== "bohb");
  program
    .command("bench")
    .description(
      "benchmark samplers on synthetic, tabular and YAHPO problems, optionally side by side with Optuna, and pruners on learning curves " +
        "and on multi-fidelity YAHPO surrogates",
    )
    .requiredOption(
      "--problem <name>",
      "problem, group or comma-separated list (repeatable): synthetic | tabular | yahpo | published | curves | yahpo-mf, a synthetic " +
        "name (branin, nn_mixed, …), tabular:<file>, yahpo:<scenario>:<instance>, published:naval, curves:crossing, curves:benign, " +
        "yahpo-mf:<scenario>:<instance>",
      collect,
    )
    .option(
      "--samplers <names>",
      `scaletune samplers, comma-separated (registered: ${ours.join(", ")}; default: all; curves: tpe,random; ` +
        "yahpo-mf: given --samplers and/or --pruners, samplers × pruners replace the six default methods, with tpe if no sampler " +
        "and none if no pruner is given)",
      list,
      ours,
    )
    .option("--trials <n>", "trials per run", positiveInt, 200)
    .option("--seeds <k>", "runs per problem and sampler, with seeds 0 … k−1", positiveInt, 10)
    .option("--budgets <list>", "trial counts to summarise at (default: a quarter, half and all of --trials)", budgetList)
    .option(
      "--pruners <specs>",
      'curves, yahpo-mf: pruner specs separated by ";" — commas separate one pruner\'s options — repeatable, e.g. ' +
        '"none;median:nWarmupSteps=5;hyperband:minResource=1,maxResource=27,reductionFactor=3" ' +
        `(registered: ${prunerNames().join(", ")}; curves' default: the Optuna anchor's five, those registered; yahpo-mf: see --samplers)`,
      prunerList,
    )
    .option("--epoch-budget <epochs>", "curves: epochs per run, pruned trials' included", positiveInt, DEFAULT_EPOCH_BUDGET)
    .option("--budget-fraction <f>", "yahpo-mf: spend this fraction of the protocol's budget per run, e.g. 0.05 for a quick check", fraction, 1)
    .option("--json", "print the full results as JSON (curves per run, statistics per sampler)")
    .option("--out <file>", "also write the JSON results to this file")
    .addOption(new Option("--parallel <p>", "worker processes").argParser(positiveInt).default(availableParallelism(), "the number of cores"))
    .option("--vs-optuna", "also run Optuna's samplers on the same problems (Python: /usr/bin/python3 or $SCALETUNE_PYTHON)")
    .option("--optuna-samplers <names>", `Optuna samplers with --vs-optuna (${OPTUNA_SAMPLERS.join(", ")})`, list, [...DEFAULT_OPTUNA_SAMPLERS])
    .action(bench);
}
