/**
 * @module Loads a user's objective file (.ts, .mts, .js, .mjs …): its default export is the objective.
 *
 * TypeScript runs directly through tsx. Optional named exports: `grid` (values for `--sampler grid`) and
 * `direction` / `directions` (used when the command line gives none).
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { require as tsxRequire } from "tsx/cjs/api";
import { tsImport } from "tsx/esm/api";
import { ConfigError } from "../errors.js";
import type { Direction, Objective, ParamValue } from "../index.js";
import { describeLoadError, withUserPaths } from "./objective-errors.js";

export interface ObjectiveModule {
  readonly objective: Objective;
  readonly grid?: Readonly<Record<string, readonly ParamValue[]>>;
  readonly directions?: readonly Direction[];
}

/** Whether Node runs the file as CommonJS: by its extension, else by the nearest package.json's "type". */
function isCommonJs(path: string): boolean {
  if (/\.c[jt]s$/.test(path)) return true;
  if (/\.m[jt]s$/.test(path)) return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, "utf8")) as { type?: unknown }).type !== "module";
      } catch {
        return false; // tsImport goes through Node's resolution, which reports the broken package.json
      }
    }
    if (dirname(dir) === dir) return true;
  }
}

/**
 * The file's exports as an ES module namespace. tsx's `tsImport` runs a CommonJS file from a `data:` URL holding
 * its compiled code, so its stack frames show that URL and lines of the compiled code; tsx's `require` loads it
 * under its own path with a source map, so frames name the user's file and line.
 */
export async function importFile(path: string): Promise<Record<string, unknown>> {
  if (!isCommonJs(path)) return (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>;
  const exports = tsxRequire(path, import.meta.url) as unknown;
  return { ...(exports as object), default: exports };
}

/** The objective, its errors' stacks given back the user's paths (`withUserPaths`) before the study stores them. */
function pointingAtUserFiles(objective: Objective): Objective {
  const clean = (error: unknown): never => {
    if (error instanceof Error && error.stack) error.stack = withUserPaths(error.stack);
    throw error;
  };
  return (trial) => {
    try {
      const outcome = objective(trial);
      return outcome instanceof Promise ? outcome.catch(clean) : outcome;
    } catch (error) {
      return clean(error);
    }
  };
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
    module = await importFile(path);
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
    objective: pointingAtUserFiles(objective as Objective),
    ...(module.grid !== undefined && { grid: module.grid as ObjectiveModule["grid"] }),
    ...(directions !== undefined && { directions: directions as Direction[] }),
  };
}
