import { describeSamplerConformance } from "scaletune/testing";
import { JointLocalSearchSampler } from "./joint-local-search-sampler.js";
import { LatinHypercubeSampler } from "./lhs-sampler.js";
import { LocalSearchSampler } from "./local-search-sampler.js";

describeSamplerConformance("local search", (seed) => new LocalSearchSampler({ seed }));
describeSamplerConformance("joint local search", (seed) => new JointLocalSearchSampler({ seed }));
// The suite runs up to 120 trials in one study: the design must have a slot for each.
describeSamplerConformance("Latin hypercube", (seed) => new LatinHypercubeSampler({ seed, size: 120 }));
