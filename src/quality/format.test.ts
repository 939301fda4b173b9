import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatFixed, formatRatio, formatSignificant, markdownTable } from "./format.js";

describe("benchmark number formatting", () => {
  it("formats three significant digits like Python's {:.3g}", () => {
    const python: [number, string][] = [
      [0.884, "0.884"], [1.44e5, "1.44e+05"], [792.4, "792"], [8.7e-6, "8.7e-06"], [0.00594, "0.00594"],
      [19.94, "19.9"], [0, "0"], [-3.32237, "-3.32"], [1e-4, "0.0001"], [0.000123456, "0.000123"],
      [999.5, "1e+03"], [100, "100"], [0.1, "0.1"], [1234567, "1.23e+06"], [-0.5, "-0.5"], [2, "2"],
    ];
    for (const [value, text] of python) assert.equal(formatSignificant(value), text, String(value));
  });

  it("formats fixed-point like Python's {:.Nf}, exact ties to the even digit", () => {
    const python: [number, number, string][] = [
      [330.5, 0, "330"], [331.5, 0, "332"], [2.5, 0, "2"], [-2.5, 0, "-2"], [79, 0, "79"], [0.25, 1, "0.2"], [0.35, 1, "0.3"],
      [-0.25, 1, "-0.2"], [0.125, 2, "0.12"], [1, 1, "1.0"], [0.6553075300000728, 1, "0.7"], [0.0906, 4, "0.0906"],
      [0.05012264148658445, 4, "0.0501"], [1e-7, 4, "0.0000"],
    ];
    for (const [value, digits, text] of python) assert.equal(formatFixed(value, digits), text, `${value} to ${digits}`);
  });

  it("writes ratios, and markdown tables", () => {
    assert.equal(formatRatio(1, 4), "0.25");
    assert.equal(formatRatio(0, 0), "1");
    assert.equal(formatRatio(2, 0), "∞");
    assert.equal(formatRatio(null, 1), "-");
    assert.equal(markdownTable(["a", "b"], [["1", "2"], ["3", "4"]]), "| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |");
  });
});
