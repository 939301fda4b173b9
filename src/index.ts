/**
 * @module scaletune: hyperparameter tuning for neural-network training.
 *
 * @example
 * import { createStudy } from "scaletune";
 * const study = await createStudy({ storage: "sqlite:./scaletune.db", name: "mlp" });
 * await study.optimize((trial) => {
 *   const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
 *   return (Math.log10(lr) + 3) ** 2;
 * }, { nTrials: 50 });
 * console.log(study.bestParams);
 */
export { createStudy, loadStudy, deleteStudy, listStudies } from "./study/api.js";
export type { CreateStudyOptions, LoadStudyOptions, StudyRuntimeOptions } from "./study/api.js";
export { copyStudies } from "./study/copy.js";
export type { CopiedStudy, CopyStudiesOptions } from "./study/copy.js";
export { Study } from "./study/study.js";
export type { OptimizeOptions, TrialCallback } from "./study/study.js";
export { DEFAULT_HEARTBEAT } from "./study/recovery.js";
export { isStale } from "./study/worker.js";
export type { HeartbeatOptions } from "./study/recovery.js";
export { StudyReader } from "./study/reader.js";
export type { TrialListing } from "./study/reader.js";
export { Trial, FixedTrial, BaseTrial } from "./study/trial.js";
export { FINISHED_STATES, TRIAL_STATES } from "./core/types.js";
export type { Direction, FrozenTrial, JsonValue, NoTrial, ParamValue, TrialOutcome, TrialState } from "./core/types.js";
export type { Objective, OptimizeResult, StopReason } from "./study/optimize.js";

export type { ContinuableStudy, SamplingTrial, StudyView } from "./core/study-view.js";
export type { Sampler, TrialReservation } from "./samplers/sampler.js";
export { RandomSampler } from "./samplers/random.js";
export { GridSampler } from "./samplers/grid.js";
export { SobolSampler } from "./samplers/sobol.js";
export { TPESampler } from "./samplers/tpe/tpe.js";
export type { TPESamplerOptions } from "./samplers/tpe/tpe.js";
export { GPSampler } from "./samplers/gp/sampler.js";
export type { GPSamplerOptions } from "./samplers/gp/sampler.js";
export { CmaEsSampler } from "./samplers/cmaes/sampler.js";
export type { CmaEsSamplerOptions, CmaEsState } from "./samplers/cmaes/sampler.js";
export { CrossEntropySampler } from "./samplers/cross-entropy.js";
export type { CrossEntropySamplerOptions } from "./samplers/cross-entropy.js";
export { AutoSampler, autoSamplerHistory } from "./samplers/auto.js";
export { AUTO_HISTORY_ATTR } from "./core/attributes.js";
export type { AutoSamplerOptions, AutoDelegates, AutoChoice } from "./samplers/auto.js";
export { samplerByName, SAMPLER_NAMES } from "./samplers/registry.js";
export type { Pruner } from "./pruners/pruner.js";
export { NopPruner } from "./pruners/pruner.js";
export { PercentilePruner, MedianPruner } from "./pruners/percentile.js";
export type { PercentilePrunerOptions, MedianPrunerOptions } from "./pruners/percentile.js";
export { PatientPruner } from "./pruners/patient.js";
export type { PatientPrunerOptions } from "./pruners/patient.js";
export { ThresholdPruner } from "./pruners/threshold.js";
export type { ThresholdPrunerOptions } from "./pruners/threshold.js";
export { SuccessiveHalvingPruner } from "./pruners/successive-halving.js";
export type { SuccessiveHalvingOptions } from "./pruners/successive-halving.js";
export { HyperbandPruner } from "./pruners/hyperband.js";
export type { HyperbandOptions } from "./pruners/hyperband.js";
export { LearningCurvePruner } from "./pruners/learning-curve.js";
export type { LearningCurveOptions } from "./pruners/learning-curve.js";
export { prunerFromSpec, prunerNames } from "./pruners/registry.js";
export { BohbSampler } from "./samplers/bohb.js";
export type { BohbSamplerOptions } from "./samplers/bohb.js";
export { bohb } from "./study/bohb.js";
export type { BohbOptions } from "./study/bohb.js";
export { importance, IMPORTANCE_METHODS } from "./importance/index.js";
export type { ImportanceMethod, ImportanceOptions, ImportanceReport, ImportanceTarget, ParamImportance, TrialSource } from "./importance/index.js";

export type {
  CategoricalChoice,
  CategoricalDistribution,
  Distribution,
  FloatDistribution,
  IntDistribution,
  SearchSpace,
} from "./space/distributions.js";
export { SpaceTransform } from "./space/transform.js";
export { sameDistribution } from "./space/distributions.js";
export {
  bestOf,
  bestSoFar,
  decisionStep,
  directionSigns,
  firstStepAtOrPast,
  isWorse,
  lastStep,
  objectiveCurves,
  singleDirection,
} from "./core/curve.js";

export type {
  AttrKind,
  CreateConditions,
  CreateRefusal,
  ExportedIntermediateValue,
  ExportedStudyAttr,
  ExportedTrial,
  FinalState,
  IntermediateValue,
  NewTrial,
  RunningTrialInfo,
  Storage,
  StudyAttr,
  StudyChanges,
  StudyExport,
  StudyRecord,
  StudySummary,
  TrialKeys,
  TrialPage,
  TrialPatch,
  TrialQuery,
  TrialRecord,
} from "./storage/storage.js";
export { MemoryStorage } from "./storage/memory.js";
export { SqliteStorage, SQLITE_SCHEMA_VERSION } from "./storage/sqlite.js";
export { PostgresStorage, POSTGRES_SCHEMA_VERSION, redactUrl } from "./storage/postgres.js";
export type { PostgresOptions } from "./storage/postgres.js";
export { openStorage, sqlitePath } from "./storage/open.js";
export type { StorageInput } from "./storage/open.js";
export { CommandRunner, CommandTrialError, COMMAND_PROTOCOL_VERSION, PROTOCOL_PREFIX, envName } from "./execution/command.js";
export type { CommandRunnerOptions } from "./execution/command.js";
export { parseSearchSpace } from "./execution/space.js";
export type { ObjectiveTrial } from "./core/objective-trial.js";
export { COMMAND_EXIT_CODE_ATTR, COMMAND_SIGNAL_ATTR, COMMAND_STDERR_TAIL_ATTR } from "./core/attributes.js";

export {
  ScaletuneError,
  SearchSpaceError,
  StorageError,
  StudyNotFoundError,
  DuplicateStudyError,
  TrialStateError,
  TrialNotRunningError,
  ConfigError,
  TrialPruned,
} from "./errors.js";
