/**
 * @module scaletune/testing: the conformance suites that storages and samplers must pass, for third-party backends.
 */
export { describeStorageConformance, type StorageFixture } from "./storage-conformance.js";
export { describeSamplerConformance } from "./sampler-conformance.js";
