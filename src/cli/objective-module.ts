/**
 * @module Loads a user's objective file (.ts, .mts, .js, .mjs …): its default export is the objective.
 *
 * TypeScript runs directly through tsx. Optional named exports: `grid` (values for `--sampler grid`) and
 * `direction` / `directions` (used when the command line gives none).
 */
import { accessSync, constants, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import { ConfigError } from "../errors.js";
import type { Objective } from "../execution/optimize.js";
import type { Direction, ParamValue } from "../study/types.js";
import { describeLoadError } from "./objective-errors.js";

export interface ObjectiveModule {
  readonly objective: Objective;
  readonly grid?: Readonly<Record<string, readonly ParamValue[]>>;
  readonly directions?: readonly Direction[];
}

export async function loadObjectiveModule(file: string): Promise<ObjectiveModule> {
  const path = resolve(file);
  try {
    if (!statSync(path).isFile()) throw new ConfigError(`objective file ${file} is not a file`);
    accessSync(path, constants.R_OK);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === "ENOENT" ? `objective file ${file} does not exist` : `objective file ${file} cannot be read (${code ?? (error as Error).message})`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`cannot load objective file ${file}: ${describeLoadError(error, path)}`);
  }
  // A CommonJS-compiled file puts `export default` under default.default.
  let objective = module.default;
  if (objective && typeof objective === "object" && "default" in objective) objective = (objective as { default: unknown }).default;
  if (typeof objective !== "function") {
    throw new ConfigError(`objective file ${file} has no default export function; add: export default (trial) => { … return value; }`);
  }
  const directions = module.directions ?? (module.direction === undefined ? undefined : [module.direction]);
  return {
    objective: objective as Objective,
    ...(module.grid !== undefined && { grid: module.grid as ObjectiveModule["grid"] }),
    ...(directions !== undefined && { directions: directions as Direction[] }),
  };
}
