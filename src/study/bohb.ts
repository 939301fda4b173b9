/**
 * @module `bohb()`: BOHB as a study composes it, a BohbSampler paired with the Hyperband pruner that lets it see
 * every bracket. It lives with the study because it joins two families that never import each other.
 */
import { HyperbandPruner, type HyperbandOptions } from "../pruners/hyperband.js";
import { BohbSampler, type BohbSamplerOptions } from "../samplers/bohb.js";

export interface BohbOptions extends Omit<HyperbandOptions, "sampleWithinBracket">, BohbSamplerOptions {}

/** A BOHB pair: the sampler and a Hyperband pruner that lets it see every bracket. */
export function bohb(options: BohbOptions = {}): { sampler: BohbSampler; pruner: HyperbandPruner } {
  const { minResource, maxResource, reductionFactor, ...samplerOptions } = options;
  return {
    sampler: new BohbSampler(samplerOptions),
    pruner: new HyperbandPruner({ minResource, maxResource, reductionFactor, sampleWithinBracket: false }),
  };
}
