/**
 * @module `scaletune python-helper --path`: where the Python helper of the command-trial protocol
 * (`python/scaletune_trial.py`, shipped in the package) lives, for `PYTHONPATH="$(npx scaletune python-helper --path)"`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { ConfigError } from "../../errors.js";
import { print } from "../format.js";

export const PYTHON_HELPER = "scaletune_trial.py";

/** The package's python/ folder: three levels up from src/cli/commands/ (tsx) and from dist/cli/commands/ alike. */
export function pythonHelperFolder(): string {
  return fileURLToPath(new URL("../../../python", import.meta.url));
}

function pythonHelper(options: { path?: boolean }): void {
  const folder = pythonHelperFolder();
  if (!existsSync(join(folder, PYTHON_HELPER))) {
    throw new ConfigError(`the Python helper ${join(folder, PYTHON_HELPER)} is missing: reinstall scaletune`);
  }
  if (options.path) return print(folder);
  print(
    [
      `The Python helper for command trials is ${join(folder, PYTHON_HELPER)} (standard library only, Python ≥ 3.8).`,
      `Use it with PYTHONPATH="$(npx scaletune python-helper --path)", then: import scaletune_trial as st`,
      "Its docstring lists its functions: python3 -m pydoc scaletune_trial",
    ].join("\n"),
  );
}

export function registerPythonHelper(program: Command): void {
  program
    .command("python-helper")
    .description("locate the Python helper (scaletune_trial.py) that command trials import")
    .option("--path", "print only the folder that holds scaletune_trial.py")
    .action(pythonHelper);
}
