/**
 * @module scaletune/testing: the conformance suites that storages, samplers and pruners must pass, for third-party backends.
 */
export { describeStorageConformance, type StorageFixture } from "./storage-conformance.js";
export { describeSamplerConformance } from "./sampler-conformance.js";
export {
  describePrunerConformance,
  pruneDecision,
  type Curve,
  type PrunerConformanceOptions,
  type PrunerHistory,
} from "./pruner-conformance.js";
