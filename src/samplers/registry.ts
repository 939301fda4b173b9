/**
 * @module Samplers by name, for the CLI and configuration files.
 */
import { ConfigError } from "../errors.js";
import { AutoSampler } from "./auto.js";
import { BohbSampler } from "./bohb.js";
import { CmaEsSampler } from "./cmaes/sampler.js";
import { CrossEntropySampler } from "./cross-entropy.js";
import { GPSampler } from "./gp/sampler.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";
import { SobolSampler } from "./sobol.js";
import { TPESampler } from "./tpe/tpe.js";

/** Options carrying the seed only when one was given (an explicit undefined would not mean "random"). */
const seeded = (seed: number | undefined): { seed?: number } => (seed === undefined ? {} : { seed });

/** Samplers that need nothing but a seed. (The grid sampler needs its grid; the CLI builds it separately.) */
const FACTORIES: Record<string, (seed: number | undefined) => Sampler> = {
  auto: (seed) => new AutoSampler(seeded(seed)),
  tpe: (seed) => new TPESampler(seeded(seed)),
  "tpe-multivariate": (seed) => new TPESampler({ ...seeded(seed), multivariate: true, group: true }),
  random: (seed) => new RandomSampler(seeded(seed)),
  sobol: (seed) => new SobolSampler(seeded(seed)),
  gp: (seed) => new GPSampler(seeded(seed)),
  cmaes: (seed) => new CmaEsSampler(seeded(seed)),
  "cross-entropy": (seed) => new CrossEntropySampler(seeded(seed)),
  // With the pruner hyperband:sampleWithinBracket=false, so that it sees every bracket (see docs/pruners.md).
  bohb: (seed) => new BohbSampler(seeded(seed)),
};

export const SAMPLER_NAMES: readonly string[] = [...Object.keys(FACTORIES), "grid"];

export function samplerByName(name: string, seed?: number): Sampler {
  const factory = FACTORIES[name.toLowerCase()];
  if (!factory) throw new ConfigError(`unknown sampler "${name}"; choose one of: ${SAMPLER_NAMES.join(", ")}`);
  return factory(seed);
}
