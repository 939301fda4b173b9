import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { erfc, logH, logHDerivative, logNormalMass, normalCdf, normalPdf, normalQuantile, normalUpperTail } from "./normal.js";

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
    assert.equal(erfc(Infinity), 0);
    assert.ok(Number.isNaN(erfc(NaN)));
  });

  it("gives Φ and φ with the textbook values, including far tails", () => {
    assert.equal(normalCdf(0), 0.5);
    assertRelative(normalCdf(1), 0.8413447460685429, 1e-15, "Φ(1)");
    assertRelative(normalCdf(1.96), 0.9750021048517795, 1e-15, "Φ(1.96)");
    assertRelative(normalCdf(1.959963984540054), 0.975, 1e-14, "Φ(1.959963984540054)");
    assertRelative(normalCdf(-1), 0.15865525393145705, 1e-14, "Φ(-1)");
    assertRelative(normalCdf(-2.5), 0.006209665325776132, 1e-13, "Φ(-2.5)");
    assertRelative(normalCdf(-3), 0.0013498980316300946, 1e-14, "Φ(-3)");
    assertRelative(normalCdf(-5), 2.866515718791939e-7, 1e-14, "Φ(-5)");
    assertRelative(normalCdf(-10), 7.619853024160527e-24, 1e-13, "Φ(-10)");
    assert.equal(normalCdf(40), 1);
    assert.equal(normalCdf(-Infinity), 0);
    assert.equal(normalCdf(Infinity), 1);
    assertRelative(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-15, "φ(0)");
  });

  it("is continuous at z = 0, where Φ switches from the lower tail to 1 − the upper tail", () => {
    assert.ok(Math.abs(normalCdf(1e-12) - normalCdf(-1e-12) - 2e-12 * normalPdf(0)) < 1e-15);
  });

  it("gives upper tails with their relative precision deep into the tail", () => {
    const table: [number, number][] = [
      [0, 0.5],
      [1, 0.15865525393145707],
      [2.5, 0.006209665325776132],
      [5, 2.866515718791939e-7],
      [10, 7.619853024160527e-24],
      [30, 4.906713927148187e-198],
    ];
    for (const [z, expected] of table) assertRelative(normalUpperTail(z), expected, 1e-12, `Q(${z})`);
    assert.equal(normalUpperTail(Infinity), 0);
  });

  it("gives the log-probability of an interval, even where both ends lie far in one tail", () => {
    assert.ok(Math.abs(logNormalMass(-1, 2) - Math.log(0.8185946141203637)) < 1e-13);
    // The probabilities of the ends underflow here (40-digit reference value).
    assert.ok(Math.abs(logNormalMass(40, 41) - -804.60844201375378817) < 1e-9);
    assert.ok(Math.abs(logNormalMass(-41, -40) - -804.60844201375378817) < 1e-9);
  });

  it("inverts Φ to full precision", () => {
    assertRelative(normalQuantile(0.975), 1.959963984540054, 1e-14, "Φ⁻¹(0.975)");
    assertRelative(normalQuantile(0.99), 2.3263478740408408, 1e-14, "Φ⁻¹(0.99)");
    assertRelative(normalQuantile(0.001), -3.090232306167813, 1e-14, "Φ⁻¹(0.001)");
    assert.equal(normalQuantile(0.5), 0);
    for (const p of [1e-300, 1e-10, 0.02, 0.3, 0.7, 0.98, 1 - 1e-12]) assertRelative(normalCdf(normalQuantile(p)), p, 1e-12, `Φ(Φ⁻¹(${p}))`);
    assert.equal(normalQuantile(0), -Infinity);
    assert.equal(normalQuantile(1), Infinity);
    assert.throws(() => normalQuantile(1.5), /probability in \[0, 1\]/);
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
