/**
 * @module The problems `scaletune bench --problem` knows, by name and by group, and how each is loaded.
 *
 * Names: the synthetic problems (`branin`, …); `tabular:<file>` (a path, or a file of shared/data/tabular with or
 * without `.json.gz`); `yahpo:<scenario>:<instance>` (a scenario folder path, or a scenario of shared/data/yahpo);
 * `published:naval`. Groups: `synthetic`, `tabular` (every file of shared/data/tabular), `yahpo` (the YAHPO-SO
 * instances whose surrogates ship in shared/data), `published`.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { ConfigError } from "../../errors.js";
import { CURVE_GROUP, CURVE_PROBLEMS } from "./curves.js";
import { sharedDataPath } from "./data-paths.js";
import type { Problem } from "./problem.js";
import { NAVAL_FILE, PUBLISHED_NAVAL, PUBLISHED_VALUES_FILE, publishedNavalProblem } from "./published.js";
import { SYNTHETIC_PROBLEMS, syntheticProblem } from "./synthetic.js";
import { loadTabular, tabularProblem, type TabularBenchmark } from "./tabular.js";
import { YAHPO_MF_GROUP } from "./yahpo-mf.js";
import { YAHPO_SO_INSTANCES, yahpoProblem } from "./yahpo.js";

const TABULAR_SUFFIX = ".json.gz";

function tabularNames(): string[] {
  const dir = sharedDataPath('problem group "tabular"', "tabular");
  return readdirSync(dir)
    .filter((f) => f.endsWith(TABULAR_SUFFIX))
    .sort()
    .map((f) => `tabular:${f.slice(0, -TABULAR_SUFFIX.length)}`);
}

const GROUPS: Readonly<Record<string, () => readonly string[]>> = {
  synthetic: () => SYNTHETIC_PROBLEMS,
  tabular: tabularNames,
  yahpo: () => YAHPO_SO_INSTANCES.map((i) => `yahpo:${i}`),
  published: () => [PUBLISHED_NAVAL],
};

// The curve and multi-fidelity YAHPO problems run in harnesses of their own, but a mistyped name should learn of them too.
const KNOWN =
  `${SYNTHETIC_PROBLEMS.join(", ")}; groups ${Object.keys(GROUPS).join(", ")}; tabular:<file>, yahpo:<scenario>:<instance>, ${PUBLISHED_NAVAL}; ` +
  `learning curves for pruners: ${CURVE_PROBLEMS.join(", ")} (group ${CURVE_GROUP}); ` +
  `multi-fidelity YAHPO: ${YAHPO_MF_GROUP}:<scenario>:<instance> (group ${YAHPO_MF_GROUP})`;

function unknown(name: string): never {
  throw new ConfigError(`unknown problem "${name}"; choose from: ${KNOWN}`);
}

/** Expands `--problem` values (each may be comma-separated, a name or a group) into distinct names, in order. */
export function expandProblems(specs: readonly string[]): string[] {
  const names: string[] = [];
  for (const spec of specs.flatMap((s) => s.split(","))) {
    const trimmed = spec.trim();
    if (trimmed === "") continue;
    const group = Object.hasOwn(GROUPS, trimmed) ? GROUPS[trimmed]!() : [trimmed];
    for (const name of group) if (!names.includes(name)) names.push(name);
  }
  if (names.length === 0) throw new ConfigError(`--problem is empty; choose from: ${KNOWN}`);
  return names;
}

/** Tables are large and shared by several problems (tabular:hpolib_naval… and published:naval): read each once. */
const tables = new Map<string, TabularBenchmark>();

function table(path: string): TabularBenchmark {
  let bench = tables.get(path);
  if (!bench) tables.set(path, (bench = loadTabular(path)));
  return bench;
}

function tabularPath(file: string): string {
  if (file === "") unknown("tabular:");
  if (existsSync(file) && statSync(file).isFile()) return file;
  return sharedDataPath(`problem "tabular:${file}"`, "tabular", file.endsWith(TABULAR_SUFFIX) ? file : `${file}${TABULAR_SUFFIX}`);
}

/** Loads a problem by name (reading its data files); a ConfigError for unknown names and missing or bad files. */
export async function loadProblem(name: string): Promise<Problem> {
  const synthetic = syntheticProblem(name);
  if (synthetic) return synthetic;
  if (name.startsWith("tabular:")) {
    const file = name.slice("tabular:".length);
    return tabularProblem(table(tabularPath(file)), name);
  }
  if (name.startsWith("yahpo:")) {
    const rest = name.slice("yahpo:".length);
    const split = rest.lastIndexOf(":");
    if (split <= 0 || split === rest.length - 1) throw new ConfigError(`problem "${name}": write yahpo:<scenario>:<instance>, e.g. yahpo:lcbench:167168`);
    return yahpoProblem(rest.slice(0, split), rest.slice(split + 1));
  }
  if (name === PUBLISHED_NAVAL) {
    const what = `problem "${PUBLISHED_NAVAL}"`;
    return publishedNavalProblem(table(sharedDataPath(what, "tabular", NAVAL_FILE)), sharedDataPath(what, "published", PUBLISHED_VALUES_FILE));
  }
  return unknown(name);
}
