import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { erfc, logH, logHDerivative, normalCdf, normalPdf } from "./normal.js";

function assertRelative(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

describe("standard normal", () => {
  it("computes erfc to double precision across both tails (reference values from mpmath)", () => {
    const reference: [number, number][] = [
      [0.01, 0.9887165844441503],
      [0.5, 0.479500122186953462],
      [1, 0.157299207050285131],
      [1.5, 0.033894853524689274],
      [1.99, 0.004888586800383003],
      [2, 0.004677734981047266],
      [3, 2.209049699858544137e-5],
      [5, 1.5374597944280348502e-12],
      [10, 2.088487583762544757e-45],
      [-1, 1.842700792949714869],
      [-1.9, 1.9927904292352574],
      [-3, 1.99997790950300141],
    ];
    for (const [x, value] of reference) assertRelative(erfc(x), value, 1e-13, `erfc(${x})`);
    assert.equal(erfc(0), 1);
    assert.equal(erfc(40), 0);
    assert.equal(erfc(-40), 2);
  });

  it("gives Φ and φ with the textbook values", () => {
    assertRelative(normalCdf(1.959963984540054), 0.975, 1e-14, "Φ(1.96)");
    assertRelative(normalCdf(-1), 0.15865525393145705, 1e-14, "Φ(-1)");
    assertRelative(normalCdf(-10), 7.619853024160527e-24, 1e-13, "Φ(-10)");
    assertRelative(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-15, "φ(0)");
  });
});

describe("log expected improvement of a standard normal, log h(z)", () => {
  // log(z·Φ(z) + φ(z)) and Φ(z)/h(z), from mpmath at 40 digits.
  const reference: [z: number, logH: number, derivative: number][] = [
    [3, 1.0987396653277077727, 0.33284096845179523558],
    [1, 0.080026218849306940029, 0.77663872520173925975],
    [0, -0.91893853320467274178, 1.2533141373155002512],
    [-1, -2.4851210257126413368, 1.9042712333296918229],
    [-4.99, -16.690729996795876685, 5.3524172382768836176],
    [-5, -16.744301162660990143, 5.3618162412880885298],
    [-5.01, -16.797966327739523427, 5.3712170796668083204],
    [-6, -22.578879392169797367, 6.309840773209831577],
    [-10, -55.553122036122355927, 10.194383033412553306],
    [-38, -730.19618340211373916, 38.052522760041328294],
    [-100, -5010.1295788002497923, 100.01999400419586505],
    [-1e4, -50000019.339619307157, 10000.000199999994],
  ];

  it("matches high-precision values, including far below where h(z) underflows", () => {
    for (const [z, value, derivative] of reference) {
      assertRelative(logH(z), value, 1e-13, `logH(${z})`);
      assertRelative(logHDerivative(z), derivative, 1e-12, `logH'(${z})`);
    }
    assert.equal(-100 * normalCdf(-100) + normalPdf(-100), 0, "the naive formula underflows here");
  });

  it("agrees with log of the direct formula where that is accurate, and is continuous at the switch", () => {
    for (let z = -4; z <= 4; z += 0.25) {
      assertRelative(logH(z), Math.log(z * normalCdf(z) + normalPdf(z)), 1e-12, `logH(${z})`);
    }
    assertRelative(logH(-5 - 1e-12), logH(-5 + 1e-12), 1e-12, "logH across z = -5");
    assertRelative(logHDerivative(-5 - 1e-12), logHDerivative(-5 + 1e-12), 1e-10, "logH' across z = -5");
  });

  it("has a derivative that matches finite differences", () => {
    for (const z of [-30, -7, -5.5, -2, 0.5, 2]) {
      const numeric = (logH(z + 1e-6) - logH(z - 1e-6)) / 2e-6;
      assertRelative(logHDerivative(z), numeric, 1e-6, `logH'(${z})`);
    }
  });
});
