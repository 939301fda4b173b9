/**
 * @module How the benchmark reports write numbers and tables: numbers print like Python's `{:.3g}` and `{:.4f}`, so
 * tables line up with the Optuna anchors' `summarize.py`; ratios; markdown tables.
 */

/** Three significant digits, fixed or exponential as Python's `{:.3g}` chooses (`0.00594`, `792`, `1.44e+05`). */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const [mantissa, exponentText] = value.toExponential(digits - 1).split("e") as [string, string];
  const exponent = Number(exponentText);
  const trim = (text: string) => (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);
  if (exponent < -4 || exponent >= digits) {
    return `${trim(mantissa)}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return trim(value.toFixed(Math.max(0, digits - 1 - exponent)));
}

/** Fixed-point like Python's `{:.Nf}`: exact ties go to the even digit, where `toFixed` rounds them up (330.5 → "330"). */
export function formatFixed(value: number, digits: number): string {
  const rounded = value.toFixed(digits);
  // A tie's exact expansion is a 5 right after the kept digits, then zeros; 20 more digits show any remainder.
  const exact = value.toFixed(digits + 20);
  const firstDropped = exact.length - 20;
  if (exact[firstDropped] !== "5" || !/^0*$/.test(exact.slice(firstDropped + 1))) return rounded;
  const truncated = exact.slice(0, digits === 0 ? firstDropped - 1 : firstDropped);
  return Number(truncated.at(-1)) % 2 === 0 ? truncated : rounded;
}

/** a ÷ b for the ratio tables: "-" when either is missing, "∞" when only b is 0. */
export function formatRatio(a: number | null, b: number | null): string {
  if (a === null || b === null) return "-";
  if (b === 0) return a === 0 ? "1" : "∞";
  return formatSignificant(a / b);
}

/** A markdown table: a header row, its rule, one row per entry. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}
