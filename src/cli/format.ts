/**
 * @module Text output for the CLI: aligned tables, CSV, compact numbers and durations.
 */
import type { FrozenTrial } from "../index.js";

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(4) : Number(value.toPrecision(6)).toString();
}

export function formatValue(value: unknown): string {
  return typeof value === "number" ? formatNumber(value) : value === undefined ? "-" : typeof value === "string" ? value : JSON.stringify(value);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** An aligned table; `widths` (at least each column's widest cell) keeps pages of one listing aligned alike. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], widths?: readonly number[]): string {
  widths ??= header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths![i]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : typeof value === "number" ? String(value) : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(",");
}

/** Parameter names over a list of trials, in order of first appearance. */
export function paramNames(trials: readonly FrozenTrial[]): string[] {
  const names = new Set<string>();
  for (const t of trials) for (const name of Object.keys(t.params)) names.add(name);
  return [...names];
}

/** A trial as plain JSON (dates as ISO strings, the curve as [step, value] pairs). */
export function trialJson(t: FrozenTrial): Record<string, unknown> {
  return {
    number: t.number,
    state: t.state,
    values: t.values,
    params: t.params,
    userAttrs: t.userAttrs,
    intermediateValues: [...t.intermediateValues],
    intermediateMetrics: Object.fromEntries([...t.intermediateMetrics].map(([name, curve]) => [name, [...curve]])),
    startedAt: t.startedAt?.toISOString() ?? null,
    completedAt: t.completedAt?.toISOString() ?? null,
    durationMs: t.durationMs,
    failReason: t.failReason,
  };
}

/** Writes one line (or a block of lines) to stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
