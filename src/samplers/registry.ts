/**
 * @module Samplers by name, for the CLI and configuration files.
 */
import { ConfigError } from "../errors.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";
import { SobolSampler } from "./sobol.js";

/** Samplers that need nothing but a seed. (The grid sampler needs its grid; the CLI builds it separately.) */
const FACTORIES: Record<string, (seed: number | undefined) => Sampler> = {
  random: (seed) => new RandomSampler(seed === undefined ? {} : { seed }),
  sobol: (seed) => new SobolSampler(seed === undefined ? {} : { seed }),
};

export const SAMPLER_NAMES: readonly string[] = [...Object.keys(FACTORIES), "grid"];

export function samplerByName(name: string, seed?: number): Sampler {
  const factory = FACTORIES[name.toLowerCase()];
  if (!factory) throw new ConfigError(`unknown sampler "${name}"; choose one of: ${SAMPLER_NAMES.join(", ")}`);
  return factory(seed);
}
