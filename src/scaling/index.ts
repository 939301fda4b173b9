/**
 * @module `scaletune/scaling`: fit scaling laws to runs, say how sure the fit is, and turn it into decisions —
 * compute-optimal model and data sizes, and predictions at a target scale.
 */
export { LOSS_LAWS, chinchillaLaw, kaplanLaw, powerLaw, predictLoss, type LawName, type LossLaw } from "./laws.js";
export { fitLossLaw, gridStarts, type ExcludedRun, type LossFitOptions, type LossLawFit, type LossPoint } from "./fit.js";
export { bootstrapLossLaw, type BootstrapOptions, type BootstrapResult, type Derived, type Interval } from "./bootstrap.js";
export {
  SIX_ND,
  allocationExponents,
  computeOptimal,
  parseFlopRule,
  proportionalFlops,
  type Allocation,
  type FlopRule,
} from "./allocation.js";
export { checkExtrapolation, heldOutRuns, type ExtrapolationCheck, type HeldOutRun, type Holdout } from "./validation.js";
export {
  PUBLISHED_HYPERPARAMETER_LAWS,
  PUBLISHED_LOSS_LAWS,
  type PublishedHyperparameterLaw,
  type PublishedLossLaw,
} from "./presets.js";
export { QUANTITIES, type Quantity } from "./column-names.js";
export {
  csvSource,
  parseColumnSpec,
  readHyperparameterRuns,
  readRuns,
  studySource,
  type ColumnMap,
  type ColumnsRead,
  type ParsedRuns,
  type RunsSource,
} from "./runs.js";
export {
  evaluatePowerLaw,
  fitHyperparameterLaws,
  scaleGroups,
  type HyperparameterLawOptions,
  type HyperparameterLawsResult,
  type HyperparameterPrediction,
  type HyperparameterRun,
  type PowerLaw,
  type ScaleGroup,
} from "./hyperparameters.js";
export {
  SOURCES as PARAMETERIZATION_SOURCES,
  mlpShape,
  parameterizationTable,
  type LayerRole,
  type LayerRule,
  type LayerShape,
  type ModelShape,
  type Optimizer,
  type Parameterization,
  type ParameterizationOptions,
  type ParameterizationTable,
} from "./parameterization.js";
export { fitChecklist, type ChecklistInput, type ChecklistItem } from "./checklist.js";
export { fitReportHtml, type FitReportInput } from "./report-html.js";
