/**
 * @module Helpers shared by the benchmarks: the trivial objective, statistics, result printing.
 */
import type { Trial } from "../src/index.js";

/**
 * How big a benchmark runs: `full` measures; `quick` (`npm run bench -- --quick …`) runs the same code on a small
 * history in seconds, to check that a benchmark works, not to measure it.
 */
export type Size = "full" | "quick";

/** Two floats and a sum: the cheapest objective, so that what is measured is scaletune itself. */
export function trivialObjective(trial: Trial): number {
  return trial.suggestFloat("x", -5, 5) ** 2 + trial.suggestFloat("y", -5, 5) ** 2;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
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
