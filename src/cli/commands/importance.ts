/**
 * @module `scaletune importance --study NAME`: how much each parameter matters to a stored study's target, as a
 * table with bars or (`--json`) the report `importance()` returns. The storage is opened read-only.
 */
import { InvalidArgumentError, type Command } from "commander";
import { IMPORTANCE_METHODS, StudyReader, importance, type FrozenTrial, type ImportanceMethod, type ImportanceReport } from "../../index.js";
import { formatNumber, print, table } from "../format.js";
import { DEFAULT_STORAGE, existingStorage, integer, nonNegativeInt, positiveInt, shownStorage } from "../options.js";

interface ImportanceCommandOptions {
  study: string;
  storage: string;
  method: ImportanceMethod;
  target?: number;
  seed: number;
  trees: number;
  json?: boolean;
}

/** Characters of the longest bar (importance 1). */
const BAR_WIDTH = 30;

const RAW_HEADER: Record<ImportanceMethod, string> = { fanova: "variance fraction", "ped-anova": "divergence" };

async function run(options: ImportanceCommandOptions): Promise<void> {
  const reader = await StudyReader.open({ name: options.study, storage: existingStorage(options.storage) });
  const complete: FrozenTrial[] = [];
  try {
    for await (const page of reader.pages({ states: ["complete"], curves: false })) complete.push(...page);
  } finally {
    await reader.close();
  }
  const report = importance(
    { directions: reader.directions, trials: () => complete },
    { method: options.method, seed: options.seed, trees: options.trees, ...(options.target !== undefined && { target: options.target }) },
  );
  if (options.json) return print(JSON.stringify({ study: options.study, ...report }, null, 2));
  print(describe(report, options.study, options.storage));
  print(
    table(
      ["parameter", "importance", "", RAW_HEADER[report.method]],
      report.params.map((p) => [p.name, p.importance.toFixed(3), "█".repeat(Math.round(p.importance * BAR_WIDTH)), formatNumber(p.raw)]),
    ),
  );
}

function describe(report: ImportanceReport, study: string, storage: string): string {
  const what =
    report.method === "fanova"
      ? "fANOVA: each parameter's share of the variance its main effect explains"
      : "PED-ANOVA: each parameter's share of how differently the best 10% of trials set it";
  return `${what} (study "${study}" in ${shownStorage(storage)}, ${report.trials} complete trials)`;
}

function method(value: string): ImportanceMethod {
  if (!(IMPORTANCE_METHODS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${IMPORTANCE_METHODS.join(" or ")}.`);
  return value as ImportanceMethod;
}

export function registerImportance(program: Command): void {
  program
    .command("importance")
    .description("how much each parameter matters to a study's objective (fANOVA by default, or PED-ANOVA), from its complete trials")
    .requiredOption("--study <name>", "study name")
    .option("--storage <url>", "storage URL", DEFAULT_STORAGE)
    .option("--method <method>", `${IMPORTANCE_METHODS.join(" | ")}`, method, "fanova")
    .option("--target <index>", "which objective, for a study with several (0 is the first)", nonNegativeInt)
    .option("--seed <n>", "fANOVA's forest seed: the same trials and seed give the same importances", integer, 0)
    .option("--trees <n>", "fANOVA's number of trees", positiveInt, 64)
    .option("--json", "print the report as JSON")
    .action(run);
}
