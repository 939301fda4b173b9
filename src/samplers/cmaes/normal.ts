/**
 * @module The standard normal distribution function Φ and its inverse, accurate to about 1e-15.
 *
 * CMA-ES with margin sets tail probabilities of its discrete axes through Φ and Φ⁻¹, and the cross-entropy
 * sampler draws truncated normals by inverting Φ. Φ uses its Taylor series near 0 and the Laplace continued
 * fraction for the Mills ratio in the tails (so small tail probabilities keep their relative precision); Φ⁻¹
 * refines Acklam's rational approximation with one Halley step.
 */

const INV_SQRT_2PI = 0.3989422804014327;
/** Beyond |x| = 3 the continued fraction converges quickly and the series starts losing digits. */
const SERIES_LIMIT = 3;

function pdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** P(Z > x) for x ≥ SERIES_LIMIT: φ(x)/(x + 1/(x + 2/(x + 3/(x + …)))), evaluated bottom-up. */
function upperTail(x: number): number {
  let fraction = x;
  for (let k = 60; k >= 1; k--) fraction = x + k / fraction;
  return pdf(x) / fraction;
}

/** Φ(x) = P(Z ≤ x) for a standard normal Z. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= SERIES_LIMIT) return 1 - upperTail(x);
  if (x <= -SERIES_LIMIT) return upperTail(-x);
  // Φ(x) = 1/2 + φ(x) Σ x^(2k+1) / (1·3·5···(2k+1)).
  const square = x * x;
  let term = x;
  let sum = x;
  for (let k = 1; Math.abs(term) > 1e-17 * Math.abs(sum); k++) {
    term *= square / (2 * k + 1);
    sum += term;
  }
  return 0.5 + pdf(x) * sum;
}

// Acklam's rational approximation of Φ⁻¹ (relative error below 1.2e-9), refined below.
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const CENTRAL_LOW = 0.02425;

function polynomial(coefficients: readonly number[], x: number): number {
  let result = 0;
  for (const c of coefficients) result = result * x + c;
  return result;
}

/** Φ⁻¹(p) for p ≤ 1/2, where Φ is computed without cancellation. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < CENTRAL_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = polynomial(C, q) / (polynomial(D, q) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (polynomial(A, r) * q) / (polynomial(B, r) * r + 1);
  }
  // One Halley step on Φ(x) − p = 0 brings the approximation to full precision.
  const error = normalCdf(x) - p;
  const u = error / pdf(x);
  return x - u / (1 + (x * u) / 2);
}

/** Φ⁻¹(p): the x with P(Z ≤ x) = p; ±Infinity at p = 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs a probability in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  return p <= 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p);
}
