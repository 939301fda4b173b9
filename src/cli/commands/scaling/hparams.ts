/**
 * @module `scaletune scaling hparams`: hyperparameter laws from tuning runs, predicted at a target scale.
 */
import { type Command } from "commander";
import { ConfigError } from "../../../errors.js";
import {
  PUBLISHED_HYPERPARAMETER_LAWS,
  fitHyperparameterLaws,
  parseColumnSpec,
  readHyperparameterRuns,
} from "../../../scaling/index.js";
import { formatNumber, print, table } from "../../format.js";
import { DEFAULT_STORAGE, integer, positiveInt, positiveNumber } from "../../options.js";
import { describePoint, noteGuessedColumns, runsSource, scalePoint, userErrors, type RunsOptions } from "./shared.js";

interface HparamsCliOptions {
  target: Record<string, number>;
  columns?: string;
  tolerance: number;
  bootstrap: number;
  seed: number;
  json?: boolean;
}

/** Published laws' values at the target, where the target gives what they read (C taken as 6ND when not given). */
function publishedAtTarget(target: Readonly<Record<string, number>>): Record<string, { value: number; law: string; source: string }> {
  const scale: Record<string, number> = { ...target };
  if (scale.C === undefined && scale.N !== undefined && scale.D !== undefined) scale.C = 6 * scale.N * scale.D;
  const out: Record<string, { value: number; law: string; source: string }> = {};
  for (const [name, law] of Object.entries(PUBLISHED_HYPERPARAMETER_LAWS)) {
    if (law.variables.every((v) => scale[v] !== undefined)) out[name] = { value: law.predict(scale), law: law.formula, source: law.source };
  }
  return out;
}

/** The target names the scale by N, D and/or C; any other name is a typo the laws would silently not read. */
function checkTarget(target: Readonly<Record<string, number>>): void {
  const unknown = Object.keys(target).filter((name) => !["N", "D", "C"].includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(`--target ${describePoint(target)}: unknown quantity ${unknown.join(", ")}; give N, D and/or C, e.g. --target N=1e9,D=2e10`);
  }
}

async function hparams(file: string | undefined, options: HparamsCliOptions & RunsOptions): Promise<void> {
  checkTarget(options.target);
  const source = await runsSource(file, options);
  const { runs, definitions, columns } = userErrors(() => readHyperparameterRuns(source, options.columns ? parseColumnSpec(options.columns) : {}));
  noteGuessedColumns(columns);
  const result = userErrors(() =>
    fitHyperparameterLaws(runs, options.target, { tolerance: options.tolerance, resamples: options.bootstrap, seed: options.seed }),
  );
  const published = publishedAtTarget(options.target);
  if (options.json) return print(JSON.stringify({ definitions, ...result, published }, null, 2));
  const pct = Math.round(result.confidence * 100);
  print(`${runs.length} runs in ${result.groups.length} scale groups; near-optimal: within ${(100 * result.tolerance).toFixed(2)} % of each group's best loss`);
  print(`target ${describePoint(options.target)}\n`);
  print(
    table(
      ["hyperparameter", "law", `optimum at target [${pct} % interval]`],
      Object.entries(result.laws).map(([name, p]) => [
        name,
        p.law.formula.replace(`${name}* = `, "") + (p.law.note ? `  (${p.law.note})` : ""),
        `${formatNumber(p.atTarget.estimate)} [${formatNumber(p.atTarget.lower)}, ${formatNumber(p.atTarget.upper)}]`,
      ]),
    ),
  );
  if (result.weightDecay) {
    const w = result.weightDecay;
    print(`weightDecay at target (λ = B/(η·τ·D)): ${formatNumber(w.estimate)} [${formatNumber(w.lower)}, ${formatNumber(w.upper)}]`);
  }
  for (const [name, value] of Object.entries(result.constant)) print(`${name}: ${formatNumber(value)} in every run (not fitted)`);
  if (Object.keys(published).length > 0) {
    print("\npublished laws at the target (their own definitions of N, D, C and batch units; C = 6ND when not given):");
    for (const [name, p] of Object.entries(published)) print(`  ${name}: ${formatNumber(p.value)}   ${p.law}`);
  }
  print(`\ncolumns: ${definitions.join("; ")}`);
}

export function registerHparams(scaling: Command): void {
  scaling
    .command("hparams")
    .description("fit how the best learning rate, batch size and weight decay move with scale, and predict them at a target")
    .argument("[runs.csv]", "tuning runs at several scales: N, D and/or C, lr, batch, wd, loss (map names with --columns; or use --study)")
    .option("--study <name>", "use a stored study's complete trials (sizes from trial.setScale, parameters, loss = value)")
    .option("--storage <url>", "storage of --study", DEFAULT_STORAGE)
    .requiredOption("--target <point>", "the scale to predict at, e.g. N=1e9,D=2e10", scalePoint)
    .option("--columns <spec>", 'which CSV column is which: e.g. "N=params,D=tokens,lr=learning rate,batch=batch tokens,wd=weight decay,loss=val loss"')
    .option("--tolerance <fraction>", "near-optimal band: runs within this fraction of their group's best loss", positiveNumber, 0.0025)
    .option("--bootstrap <K>", "bootstrap resamples over scale groups", positiveInt, 200)
    .option("--seed <n>", "seed of the bootstrap", integer, 0)
    .option("--json", "print as JSON")
    .action(hparams);
}
