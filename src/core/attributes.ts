/**
 * @module The stored vocabulary: every key scaletune writes into a study's or a trial's attributes, its claims and
 * its metric names, in one place. A stored key is a promise to every existing study file (docs/format.md).
 *
 * One naming style: snake_case; a key owned by one sampler or pruner starts with its name and a colon
 * (`cmaes:restart`), keys the study itself writes have none (`retry_of`). Keys first written under another
 * spelling are read under both (`readAttr`) and written under the new one only.
 */
import type { JsonValue } from "./types.js";

type Attrs = Readonly<Record<string, JsonValue>>;

// ---- study system attributes --------------------------------------------------------------------------------

/** The sampler that proposes the study's trials (its `name`). */
export const SAMPLER_ATTR = "sampler";
/** The pruner that stops the study's trials (its `name`). */
export const PRUNER_ATTR = "pruner";
/** The Auto sampler's choices so far, with their reasons: `[{ sampler, reason, afterFinishedTrials }]`. */
export const AUTO_HISTORY_ATTR = "auto:history";
/** CMA-ES: the search space of one of its runs, by fingerprint (`cmaes:space:<fingerprint>`). */
export function cmaesSpaceAttr(fingerprint: string): string {
  return `cmaes:space:${fingerprint}`;
}
/** The study's target: trials it should hold across every worker, set by the CLI's `--trials` and read by later workers. */
export const TARGET_TRIALS_ATTR = "target_trials";

// ---- trial system attributes --------------------------------------------------------------------------------

/** Who runs the trial: `host/pid/started/boot/pidns` (see study/worker.ts). */
export const WORKER_ATTR = "worker";
/** Values the trial must take (enqueued trials, grid points, retries), as external values. */
export const FIXED_PARAMS_ATTR = "fixed_params";
/** A trial that continues another one's training: `{ trial, lastStep }`. */
export const CONTINUES_ATTR = "continues";
/**
 * PostgreSQL: a random token written by the worker that created or started the trial, by which it recognises its own
 * write when the connection died before the server's reply (docs/postgres.md, "When the server goes away").
 */
export const INSERT_TOKEN_ATTR = "insert_token";
/** A trial that re-runs a failed one: `{ number, depth }` (depth counts retries of one configuration). */
export const RETRY_OF_ATTR = "retry_of";
/** The Auto sampler's delegate that proposed the trial. */
export const AUTO_CHOICE_ATTR = "auto:sampler";
/** GP: the kernel fitted when the trial was proposed, `{ space, structure, theta }`, to warm-start the next fit. */
export const GP_KERNEL_ATTR = "gp:kernel";
/** CMA-ES: the run (space), restart, generation and index of the trial in its generation. */
export const CMAES_RESTART_ATTR = "cmaes:restart";
export const CMAES_GENERATION_ATTR = "cmaes:generation";
export const CMAES_INDEX_ATTR = "cmaes:index";
export const CMAES_SPACE_ATTR = "cmaes:space";
/** Grid: the point the trial evaluates, `{ grid: fingerprint, index }`. */
export const GRID_POINT_ATTR = "grid:point";
/** Hyperband: the bracket count the trial's bracket was drawn with. */
export const HYPERBAND_BRACKETS_ATTR = "hyperband:brackets";
/** Hyperband: the bracket of a continuation (its parent's). */
export const HYPERBAND_BRACKET_ATTR = "hyperband:bracket";
/** Command trials (docs/commands.md): the trial process's exit code, null when a signal ended it. */
export const COMMAND_EXIT_CODE_ATTR = "command:exit_code";
/** Command trials: the signal that ended the trial process (`"SIGKILL"` …), null when it exited. */
export const COMMAND_SIGNAL_ATTR = "command:signal";
/** Command trials that failed: the last lines (at most 20) the trial process wrote to its standard error. */
export const COMMAND_STDERR_TAIL_ATTR = "command:stderr_tail";

// ---- trial user attributes ----------------------------------------------------------------------------------

/** The trial's scale (model size, tokens, …), set with `trial.setScale` and read by the scaling tools. */
export const SCALE_ATTR = "scale";

// ---- claims: keys held once across every worker of a study --------------------------------------------------

/** A grid point, claimed together with the trial that evaluates it. */
export function gridClaim(fingerprint: string, index: number): string {
  return `grid:${fingerprint}:${index}`;
}

/** A CMA-ES slot: one index of one generation of one restart of a run. */
export function cmaesClaim(space: string, restart: number, generation: number, index: number): string {
  return `cmaes:${space}:${restart}:${generation}:${index}`;
}

// ---- metric names -------------------------------------------------------------------------------------------

/** Metric names with this prefix are the objectives of a multi-objective report; users may not report under them. */
export const OBJECTIVE_METRIC_PREFIX = "objective:";

/** The metric under which objective `index` (≥ 1) of a multi-objective report is stored; objective 0 is the curve. */
export function objectiveMetric(index: number): string {
  return `${OBJECTIVE_METRIC_PREFIX}${index}`;
}

// ---- old spellings ------------------------------------------------------------------------------------------

/** Keys written under another spelling by earlier versions, by today's key. */
export const LEGACY_KEYS: Readonly<Record<string, string>> = {
  [AUTO_HISTORY_ATTR]: "auto_sampler",
  [GRID_POINT_ATTR]: "grid",
  [HYPERBAND_BRACKETS_ATTR]: "hyperband_brackets",
  [HYPERBAND_BRACKET_ATTR]: "hyperband_bracket",
};

/** The attribute under today's key, else under its old spelling. */
export function readAttr(attrs: Attrs, key: string): JsonValue | undefined {
  const value = attrs[key];
  if (value !== undefined) return value;
  const legacy = LEGACY_KEYS[key];
  return legacy === undefined ? undefined : attrs[legacy];
}

/** The trial a trial continues and the last step that trial reached, from its system attributes; null if none. */
export function continuationOf(systemAttrs: Attrs): { readonly trial: number; readonly lastStep: number | null } | null {
  const value = systemAttrs[CONTINUES_ATTR];
  if (typeof value !== "object" || value === null || Array.isArray(value) || typeof value.trial !== "number") return null;
  return { trial: value.trial, lastStep: typeof value.lastStep === "number" ? value.lastStep : null };
}

/** The failed trial a trial re-runs, and how many retries of its configuration came before; null if none. */
export function retryOf(systemAttrs: Attrs): { readonly number: number; readonly depth: number } | null {
  const value = systemAttrs[RETRY_OF_ATTR];
  if (typeof value !== "object" || value === null || Array.isArray(value) || typeof value.number !== "number") return null;
  return { number: value.number, depth: typeof value.depth === "number" ? value.depth : 0 };
}
