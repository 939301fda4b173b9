/**
 * @module Making objective values look Gaussian before the GP sees them: standardise, Yeo–Johnson, standardise.
 *
 * A GP assumes Gaussian-looking outputs. Real objectives are skewed: a long upper tail (losses that blow up,
 * Rosenbrock-like valleys) squeezes the interesting low region into a sliver of the standardised range, and a
 * long lower tail (a few very good trials) puts the incumbent many standard deviations below the rest, where
 * expected improvement stops exploring. The Yeo–Johnson power transform of the standardised values, with its
 * exponent fitted by maximum likelihood, removes most of the skew while keeping the order of the values, as HEBO
 * does (Cowen-Rivers et al., "HEBO: Pushing The Limits of Sample-Efficient Hyperparameter Optimisation", JAIR
 * 2022). Box–Cox (a logarithm, nearly) is left out on purpose: on a loss whose minimum is near 0 it turns the
 * smooth bowl around the optimum into a spike that a stationary GP cannot model.
 */

const LAMBDA_RANGE: readonly [number, number] = [-3, 5];
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Yeo–Johnson ψ(λ, v): a monotone power transform defined on the whole real line. */
export function yeoJohnson(v: number, lambda: number): number {
  if (v >= 0) return Math.abs(lambda) < 1e-12 ? Math.log1p(v) : ((v + 1) ** lambda - 1) / lambda;
  const mirrored = 2 - lambda;
  return Math.abs(mirrored) < 1e-12 ? -Math.log1p(-v) : -((1 - v) ** mirrored - 1) / mirrored;
}

/** Mean and standard deviation (1 when the values are constant, so that standardised values are 0). */
function moments(values: ArrayLike<number>): { mean: number; sd: number } {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i]! - mean) ** 2;
  const sd = Math.sqrt(variance / values.length);
  return { mean, sd: sd > 0 ? sd : 1 };
}

function standardised(values: ArrayLike<number>): Float64Array {
  const { mean, sd } = moments(values);
  return Float64Array.from(values as ArrayLike<number>, (v) => (v - mean) / sd);
}

/** Profile log-likelihood of λ: the transformed values are Gaussian, plus the log-Jacobian of the transform. */
function logLikelihood(values: Float64Array, lambda: number): number {
  const transformed = values.map((v) => yeoJohnson(v, lambda));
  const { mean } = moments(transformed);
  let variance = 0;
  let jacobian = 0;
  for (let i = 0; i < values.length; i++) {
    variance += (transformed[i]! - mean) ** 2;
    jacobian += Math.sign(values[i]!) * Math.log1p(Math.abs(values[i]!));
  }
  variance /= values.length;
  if (!(variance > 0)) return -Infinity;
  return -0.5 * values.length * Math.log(variance) + (lambda - 1) * jacobian;
}

/** The exponent maximising the likelihood, by golden-section search over [-3, 5]. */
export function fitYeoJohnson(values: Float64Array): number {
  let [a, b] = LAMBDA_RANGE;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = logLikelihood(values, c);
  let fd = logLikelihood(values, d);
  while (b - a > 1e-6) {
    if (fc >= fd) {
      [b, d, fd] = [d, c, fc];
      c = b - GOLDEN * (b - a);
      fc = logLikelihood(values, c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + GOLDEN * (b - a);
      fd = logLikelihood(values, d);
    }
  }
  return (a + b) / 2;
}

/** Values made close to N(0, 1) in the same order: standardised, Yeo–Johnson-transformed, standardised again. */
export function gaussianizeOutputs(values: ArrayLike<number>): Float64Array {
  const z = standardised(values);
  const lambda = fitYeoJohnson(z);
  const transformed = z.map((v) => yeoJohnson(v, lambda));
  // An extreme exponent can overflow on extreme values: then plain standardisation is the safe choice.
  return transformed.every(Number.isFinite) ? standardised(transformed) : z;
}
