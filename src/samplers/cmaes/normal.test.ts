import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalCdf, normalQuantile } from "./normal.js";

function relativelyClose(actual: number, expected: number, tolerance: number): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${actual} vs ${expected}`);
}

describe("standard normal distribution", () => {
  it("matches tabulated values of Φ, including far tails", () => {
    relativelyClose(normalCdf(0), 0.5, 0);
    relativelyClose(normalCdf(1), 0.8413447460685429, 1e-15);
    relativelyClose(normalCdf(1.96), 0.9750021048517795, 1e-15);
    relativelyClose(normalCdf(-2.5), 0.006209665325776132, 1e-13);
    relativelyClose(normalCdf(-3), 0.0013498980316300946, 1e-14);
    relativelyClose(normalCdf(-5), 2.866515718791939e-7, 1e-14);
    relativelyClose(normalCdf(-10), 7.61985302416047e-24, 1e-13);
    assert.equal(normalCdf(40), 1);
    assert.equal(normalCdf(-Infinity), 0);
  });

  it("is continuous where the series hands over to the continued fraction", () => {
    const below = normalCdf(-3 + 1e-12);
    const above = normalCdf(-3 - 1e-12);
    assert.ok(Math.abs(below - above) < 1e-14);
  });

  it("inverts Φ to full precision", () => {
    relativelyClose(normalQuantile(0.975), 1.959963984540054, 1e-14);
    relativelyClose(normalQuantile(0.99), 2.3263478740408408, 1e-14);
    relativelyClose(normalQuantile(0.001), -3.090232306167813, 1e-14);
    assert.equal(normalQuantile(0.5), 0);
    for (const p of [1e-300, 1e-10, 0.02, 0.3, 0.7, 0.98, 1 - 1e-12]) relativelyClose(normalCdf(normalQuantile(p)), p, 1e-12);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.throws(() => normalQuantile(1.5), /probability in \[0, 1\]/);
  });
});
