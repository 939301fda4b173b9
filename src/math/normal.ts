/**
 * @module The standard normal distribution to full double precision, and the logarithm of expected improvement.
 *
 * Expected improvement of a Gaussian prediction is σ·h(z) with h(z) = z·Φ(z) + φ(z). Far from the incumbent z is
 * very negative, h underflows and its direct formula cancels catastrophically, which leaves an acquisition
 * optimiser with a flat zero landscape. `logH` computes log h(z) accurately for every z (no underflow, no
 * cancellation), so log EI keeps a useful value and gradient everywhere (as in Ament et al., "Unexpected
 * Improvements to Expected Improvement for Bayesian Optimization", NeurIPS 2023).
 */

const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;

/** Below this |x| erf's everywhere-positive series is used; above it erfc's continued fraction. */
const ERF_SERIES_LIMIT = 2;
/** Below this z, log h(z) comes from the continued fraction of the Mills ratio instead of z·Φ(z) + φ(z). */
const LOG_H_TAIL_START = -5;
/** Terms of the Mills-ratio continued fraction: at |z| ≥ 5 it has converged to double precision well before. */
const MILLS_TERMS = 80;

/** erf(x) for |x| < 2: erf(x) = (2/√π) e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), a series of positive terms. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return 2 * INV_SQRT_PI * Math.exp(-x2) * sum;
}

/**
 * e^{x²}·erfc(x) for x ≥ 2 by the continued fraction erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
 * evaluated with the modified Lentz method.
 */
function erfcxContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return INV_SQRT_PI / f;
}

/** The complementary error function, with full relative precision in the far right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < ERF_SERIES_LIMIT) return 1 - erfSeries(x);
  if (x > 0) return x > 27.3 ? 0 : Math.exp(-x * x) * erfcxContinuedFraction(x);
  return x < -6 ? 2 : 2 - Math.exp(-x * x) * erfcxContinuedFraction(-x);
}

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Standard normal distribution function Φ(z) = erfc(-z/√2)/2, accurate in both tails. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/**
 * T(x) = 1/(x + 2/(x + 3/(x + …))) for x ≥ 5, from the Mills-ratio continued fraction
 * (1 - Φ(x))/φ(x) = 1/(x + T(x)), evaluated backwards from a fixed depth.
 */
function millsTail(x: number): number {
  let t = 0;
  for (let k = MILLS_TERMS; k >= 2; k--) t = k / (x + t);
  return 1 / (x + t);
}

/**
 * log h(z) with h(z) = z·Φ(z) + φ(z), the expected improvement of a standard normal over a threshold z.
 *
 * For z < -5 write x = -z: Φ(z) = φ(z)/(x + T) with T = `millsTail(x)`, so h(z) = φ(z)·T/(x + T) exactly, a
 * product of positive terms whose logarithm neither underflows nor cancels.
 */
export function logH(z: number): number {
  if (z >= LOG_H_TAIL_START) return Math.log(z * normalCdf(z) + normalPdf(z));
  const x = -z;
  const t = millsTail(x);
  return -0.5 * z * z - HALF_LOG_2PI + Math.log(t / (x + t));
}

/** d/dz log h(z) = Φ(z)/h(z) (since h'(z) = Φ(z)); equals 1/T(-z) in the far tail, computed without underflow. */
export function logHDerivative(z: number): number {
  if (z >= LOG_H_TAIL_START) return normalCdf(z) / (z * normalCdf(z) + normalPdf(z));
  return 1 / millsTail(-z);
}
