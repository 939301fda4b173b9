/** @module The importance family: how much each parameter matters to a study's target. */
export { importance, IMPORTANCE_METHODS } from "./importance.js";
export type { ImportanceMethod, ImportanceOptions, ImportanceReport, ParamImportance } from "./importance.js";
export type { ImportanceTarget, TrialSource } from "./trial-table.js";
