/**
 * @module `scaletune scaling fit`: a loss law fitted to runs, with intervals, a held-out check, JSON and an HTML report.
 */
import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { ConfigError } from "../../../errors.js";
import {
  LOSS_LAWS,
  allocationExponents,
  bootstrapLossLaw,
  checkExtrapolation,
  computeOptimal,
  fitChecklist,
  fitLossLaw,
  fitReportHtml,
  parseColumnSpec,
  parseFlopRule,
  predictLoss,
  readRuns,
  type BootstrapResult,
  type Derived,
  type ExtrapolationCheck,
  type FlopRule,
  type LawName,
  type LossLaw,
} from "../../../scaling/index.js";
import { formatNumber, print, table } from "../../format.js";
import { DEFAULT_STORAGE, integer, nonNegativeInt, positiveInt, positiveNumber } from "../../options.js";
import { checkOutputFile, collect, describePoint, noteGuessedColumns, runsSource, scalePoint, userErrors, type RunsOptions } from "./shared.js";

interface FitCliOptions {
  law: LawName;
  columns?: string;
  flops: string;
  dropHighestLoss: number;
  bestPerScale?: boolean;
  outlierThreshold?: number;
  huberDelta: number;
  reduction: "sum" | "mean";
  bootstrap?: number;
  seed: number;
  holdoutLargest?: number;
  predict: Record<string, number>[];
  compute: number[];
  json?: boolean;
  out?: string;
  report?: string;
}

const EXAMPLE_VALUES: Record<string, string> = { N: "1e9", D: "2e10", x: "1e21" };

/** A --predict point gives exactly the law's variables: an unknown or missing one is a typo, not a point to skip. */
function checkPredictPoint(law: LossLaw, point: Readonly<Record<string, number>>): void {
  const reads = `the ${law.name} law reads ${law.variables.join(" and ")}`;
  const fix = `e.g. --predict ${law.variables.map((v) => `${v}=${EXAMPLE_VALUES[v]}`).join(",")}`;
  const unknown = Object.keys(point).filter((name) => !law.variables.includes(name));
  if (unknown.length > 0) throw new ConfigError(`--predict ${describePoint(point)}: ${reads}, not ${unknown.join(", ")}; ${fix}`);
  const missing = law.variables.filter((v) => point[v] === undefined);
  if (missing.length > 0) throw new ConfigError(`--predict ${describePoint(point)}: ${reads}, and ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing; ${fix}`);
}

/** Derived quantities with intervals: losses at the requested points, allocations at the requested budgets. */
function derivedQuantities(law: LossLaw, options: FitCliOptions, rule: FlopRule): Record<string, Derived> {
  const derived: Record<string, Derived> = {};
  for (const point of options.predict) derived[`loss at ${describePoint(point)}`] = (theta) => predictLoss(law, theta, point);
  for (const C of options.compute) {
    const at = (theta: ArrayLike<number>) => computeOptimal(law, theta, C, rule);
    derived[`N_opt at C=${C.toExponential(3)}`] = (theta) => at(theta).N;
    derived[`D_opt at C=${C.toExponential(3)}`] = (theta) => at(theta).D;
    derived[`loss at C=${C.toExponential(3)}`] = (theta) => at(theta).loss;
  }
  return derived;
}

async function fit(file: string | undefined, options: FitCliOptions & RunsOptions): Promise<void> {
  const law = LOSS_LAWS[options.law];
  const rule = userErrors(() => parseFlopRule(options.flops));
  for (const point of options.predict) checkPredictPoint(law, point);
  if (options.out) checkOutputFile("--out", options.out);
  if (options.report) checkOutputFile("--report", options.report);
  const source = await runsSource(file, options);
  const runs = userErrors(() => readRuns(source, law, options.columns ? parseColumnSpec(options.columns) : {}, rule));
  noteGuessedColumns(runs.columns);
  const fitOptions = {
    dropHighestLoss: options.dropHighestLoss,
    bestPerScale: options.bestPerScale,
    outlierThreshold: options.outlierThreshold,
    huberDelta: options.huberDelta,
    reduction: options.reduction,
  };
  const result = userErrors(() => fitLossLaw(law, runs.points, fitOptions));
  const derived = userErrors(() => derivedQuantities(law, options, rule));
  const bootstrap: BootstrapResult | undefined =
    options.bootstrap === undefined ? undefined : bootstrapLossLaw(law, runs.points, result, { resamples: options.bootstrap, seed: options.seed, derived });
  const validation: ExtrapolationCheck | undefined =
    options.holdoutLargest === undefined ? undefined : userErrors(() => checkExtrapolation(law, runs.points, { largest: options.holdoutLargest! }, fitOptions));
  const checklist = fitChecklist({ law, fit: result, definitions: runs.definitions, describeRun: source.describeRun, bootstrap, validation });
  const exponents = law.name === "chinchilla" ? allocationExponents(result.parameters) : null;
  const report = {
    law: result.law,
    formula: result.formula,
    parameters: result.parameters,
    allocationExponents: exponents,
    objective: result.objective,
    reduction: result.reduction,
    huberDelta: result.huberDelta,
    runs: runs.points.length,
    fitted: result.used.length,
    excluded: result.excluded.map((e) => ({ run: source.describeRun(e.index), reason: e.reason })),
    intervals: bootstrap ? { resamples: bootstrap.resamples, confidence: bootstrap.confidence, parameters: bootstrap.parameters } : null,
    derived: Object.fromEntries(Object.entries(derived).map(([name, f]) => [name, bootstrap?.derived[name] ?? { estimate: f(result.theta) }])),
    heldOut: validation
      ? {
          runs: validation.heldOut.map((r) => ({ run: source.describeRun(r.index), ...r.inputs, loss: r.loss, predicted: r.predicted, relativeError: r.relativeError })),
          meanAbsoluteError: validation.meanAbsoluteError,
          worstAbsoluteError: validation.worstAbsoluteError,
          parameters: validation.fit.parameters,
        }
      : null,
    checklist,
  };
  if (options.out) writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  if (options.report) {
    writeFileSync(
      options.report,
      fitReportHtml({ law, fit: result, points: runs.points, describeRun: source.describeRun, checklist, flops: rule, bootstrap, validation, derived: report.derived }),
    );
  }
  if (options.json) return print(JSON.stringify(report, null, 2));
  print(`${result.formula}   (${result.used.length} runs fitted)`);
  const intervalOf = (name: string) => bootstrap?.parameters[name];
  print(
    table(
      bootstrap ? ["parameter", "estimate", "sd", `${Math.round(bootstrap.confidence * 100)} % interval`] : ["parameter", "estimate"],
      Object.entries(result.parameters).map(([name, value]) => {
        const interval = intervalOf(name);
        return interval ? [name, formatNumber(value), formatNumber(interval.sd), `[${formatNumber(interval.lower)}, ${formatNumber(interval.upper)}]`] : [name, formatNumber(value)];
      }),
    ),
  );
  if (exponents) print(`allocation exponents: N_opt ∝ C^${exponents.a.toFixed(4)}, D_opt ∝ C^${exponents.b.toFixed(4)}`);
  for (const [name, value] of Object.entries(report.derived)) {
    const v = value as { estimate: number; lower?: number; upper?: number };
    print(`${name}: ${formatNumber(v.estimate)}${v.lower === undefined ? "" : ` [${formatNumber(v.lower)}, ${formatNumber(v.upper!)}]`}`);
  }
  if (validation) {
    const runs = validation.heldOut.length === 1 ? "1 run" : `${validation.heldOut.length} runs`;
    const sizes = options.holdoutLargest === 1 ? "the largest size" : `the ${options.holdoutLargest} largest sizes`;
    print(`held out ${runs} at ${sizes}: mean |error| ${(100 * validation.meanAbsoluteError).toFixed(2)} %, worst ${(100 * validation.worstAbsoluteError).toFixed(2)} %`);
  }
  print("\nfit report:");
  for (const { item, answer } of checklist) print(`  ${item}: ${answer}`);
}

export function registerFit(scaling: Command): void {
  scaling
    .command("fit")
    .description("fit a loss law to runs in a CSV file (Huber on log loss, L-BFGS from a grid of starts)")
    .argument("[runs.csv]", "one run per row; columns found by their names or mapped with --columns (or use --study)")
    .option("--study <name>", "fit a stored study's complete trials instead (their sizes from trial.setScale, loss = value)")
    .option("--storage <url>", "storage of --study", DEFAULT_STORAGE)
    .addOption(new Option("--law <law>", "the law's form").choices(Object.keys(LOSS_LAWS)).default("chinchilla"))
    .option("--columns <spec>", 'which CSV column is which: e.g. "N=Model Size,C=Training FLOP,loss=loss" (quantities N, D, C, x, loss)')
    .option("--flops <rule>", "FLOP rule turning compute C into tokens D when no D column is given", "6ND")
    .option("--drop-highest-loss <K>", "exclude the K runs of highest loss", nonNegativeInt, 0)
    .option("--best-per-scale", "fit only the lowest-loss run at each scale (for runs that also tuned hyperparameters)")
    .option("--outlier-threshold <Z>", "exclude runs more than Z robust SDs off the fit, and refit", positiveNumber)
    .option("--huber-delta <delta>", "Huber threshold on log-loss residuals", positiveNumber, 1e-3)
    .addOption(new Option("--reduction <how>", "sum or average the per-run losses (same optimum)").choices(["sum", "mean"]).default("sum"))
    .option("--bootstrap <K>", "K bootstrap resamples over runs for intervals (e.g. 200)", positiveInt)
    .option("--seed <n>", "seed of the bootstrap", integer, 0)
    .option("--holdout-largest <K>", "also fit without the runs at the K largest sizes and report how well it predicts them", positiveInt)
    .option("--predict <point>", "predict the loss at N=…,D=… (or x=…); repeatable", collect(scalePoint), [])
    .option("--compute <C>", "compute-optimal N, D and loss at budget C; repeatable", collect(positiveNumber), [])
    .option("--json", "print the fit as JSON")
    .option("--out <file>", "also write the JSON to a file (input of scaling optimal --fit)")
    .option("--report <file.html>", "write an HTML report: runs, fit and its band past the data, held-out runs, residuals, intervals")
    .action(fit);
}
