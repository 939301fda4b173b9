/**
 * @module Helpers shared by the benchmarks: the trivial objective, statistics, result printing.
 */
import type { Trial } from "../src/index.js";

// The project's one median and quantile (linear interpolation, numpy's default).
export { median, quantile } from "../src/math/statistics.js";

/**
 * How big a benchmark runs: `full` measures; `quick` (`npm run bench -- --quick …`) runs the same code on a small
 * history in seconds, to check that a benchmark works, not to measure it.
 */
export type Size = "full" | "quick";

/** Two floats and a sum: the cheapest objective, so that what is measured is scaletune itself. */
export function trivialObjective(trial: Trial): number {
  return trial.suggestFloat("x", -5, 5) ** 2 + trial.suggestFloat("y", -5, 5) ** 2;
}

export interface BenchRow {
  readonly [column: string]: string | number;
}

export function printRows(title: string, rows: readonly BenchRow[]): void {
  console.log(`\n## ${title}\n`);
  const header = Object.keys(rows[0] ?? {});
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${header.map((h) => String(row[h])).join(" | ")} |`);
}
