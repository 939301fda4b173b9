/**
 * @module What a docs command needs that CI has and a machine may lack: Python with Optuna (`--vs-optuna`), the
 * shared benchmark data (`../shared/data`), onnxruntime-node for the YAHPO surrogates.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { SHARED_DIR } from "../../src/quality/problems/data-paths.js";
import { pythonExecutable } from "../../src/quality/optuna/python.js";
import { yahpoUnavailable } from "../../src/quality/problems/yahpo-availability.js";
import { optionValues } from "./budgets.js";

/** Why `scaletune <args>`, run in `dir`, cannot run here; empty when it can. */
export async function missingFor(args: readonly string[], dir: string): Promise<string[]> {
  const missing: string[] = [];
  if (args.includes("--vs-optuna")) {
    const python = pythonExecutable();
    if (spawnSync(python, ["-c", "import optuna"]).status !== 0) missing.push(`Optuna is not importable by ${python}`);
  }
  for (const problem of optionValues(args, "--problem").flatMap((p) => p.split(","))) {
    const [group, ...rest] = problem.split(":");
    const path = rest.join(":");
    if (group!.startsWith("yahpo")) {
      const why = await yahpoUnavailable();
      if (why) missing.push(why);
    } else if (group === "tabular" && path.includes("/")) {
      if (!existsSync(resolve(dir, path))) missing.push(`no tabular benchmark file ${resolve(dir, path)}`);
    } else if (group === "tabular" || group === "published") {
      for (const data of group === "published" ? ["tabular", "published"] : ["tabular"]) {
        if (!existsSync(join(SHARED_DIR, "data", data))) missing.push(`no shared data in ${join(SHARED_DIR, "data", data)}`);
      }
    }
  }
  return [...new Set(missing)];
}
