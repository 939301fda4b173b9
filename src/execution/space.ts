/**
 * @module A search space declared as data (`--space space.json`, the `distribution` of a `suggest` message):
 * `{ "lr": {"type":"float","low":1e-5,"high":1,"log":true}, "layers": {"type":"int","low":1,"high":4},
 * "opt": {"type":"categorical","choices":["adam","sgd"]} }`, checked with one line per problem, and suggested
 * through the trial's own methods so that samplers and pruners see an ordinary trial.
 */
import { SearchSpaceError } from "../errors.js";
import type { ObjectiveTrial } from "../core/objective-trial.js";
import type { ParamValue } from "../core/types.js";
import {
  categoricalDistribution,
  floatDistribution,
  intDistribution,
  type CategoricalChoice,
  type Distribution,
  type RangeOptions,
  type SearchSpace,
} from "../space/distributions.js";

const KEYS: Record<string, readonly string[]> = {
  float: ["type", "low", "high", "log", "step"],
  int: ["type", "low", "high", "log", "step"],
  categorical: ["type", "choices"],
};

/** The problems of one parameter's declaration (empty when it is valid), and its distribution when valid. */
function declaration(name: string, raw: unknown): { distribution?: Distribution; problems: string[] } {
  const where = `parameter "${name}"`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { problems: [`${where}: expected an object such as {"type":"float","low":0,"high":1}, got ${JSON.stringify(raw) ?? String(raw)}`] };
  }
  const r = raw as Record<string, unknown>;
  const keys = KEYS[String(r.type)];
  if (!keys) return { problems: [`${where}: "type" must be "float", "int" or "categorical", got ${JSON.stringify(r.type) ?? "nothing"}`] };
  const problems: string[] = [];
  for (const key of Object.keys(r)) if (!keys.includes(key)) problems.push(`${where}: unknown field "${key}" for type ${String(r.type)} (fields: ${keys.join(", ")})`);
  if (r.type === "categorical") {
    if (!Array.isArray(r.choices)) problems.push(`${where}: "choices" must be an array of strings, numbers, booleans or null`);
  } else {
    for (const key of ["low", "high"]) if (typeof r[key] !== "number") problems.push(`${where}: "${key}" must be a number, got ${JSON.stringify(r[key]) ?? "nothing"}`);
    if (r.log !== undefined && typeof r.log !== "boolean") problems.push(`${where}: "log" must be true or false`);
    if (r.step !== undefined && r.step !== null && typeof r.step !== "number") problems.push(`${where}: "step" must be a number`);
  }
  if (problems.length > 0) return { problems };
  try {
    const options: RangeOptions = { log: r.log === true, ...(typeof r.step === "number" && { step: r.step }) };
    const distribution =
      r.type === "float"
        ? floatDistribution(name, r.low as number, r.high as number, options)
        : r.type === "int"
          ? intDistribution(name, r.low as number, r.high as number, options)
          : categoricalDistribution(name, r.choices as CategoricalChoice[]);
    return { distribution, problems: [] };
  } catch (error) {
    if (error instanceof SearchSpaceError) return { problems: [error.message] };
    throw error;
  }
}

/** One parameter's distribution from its declaration; throws a SearchSpaceError naming every problem. */
export function parseDistributionSpec(name: string, raw: unknown): Distribution {
  const { distribution, problems } = declaration(name, raw);
  if (!distribution) throw new SearchSpaceError(problems.join("\n"));
  return distribution;
}

/**
 * A declared search space: name → declaration. Every problem is reported, one line each, prefixed with `source`
 * (the file's name), in one SearchSpaceError.
 */
export function parseSearchSpace(raw: unknown, source: string): SearchSpace {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new SearchSpaceError(`${source}: expected an object, parameter name → {"type": "float" | "int" | "categorical", …}`);
  }
  const space: SearchSpace = {};
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(raw)) {
    if (name === "") {
      problems.push(`${source}: a parameter has an empty name`);
      continue;
    }
    const { distribution, problems: own } = declaration(name, entry);
    if (distribution) space[name] = distribution;
    problems.push(...own.map((line) => `${source}: ${line}`));
  }
  if (problems.length > 0) throw new SearchSpaceError(problems.join("\n"));
  return space;
}

/** Suggests `name` from `distribution` through the trial's own methods (fixed values and samplers as usual). */
export function suggestFrom(trial: ObjectiveTrial, name: string, distribution: Distribution): ParamValue {
  switch (distribution.type) {
    case "float":
      return trial.suggestFloat(name, distribution.low, distribution.high, {
        log: distribution.log,
        ...(distribution.step !== null && { step: distribution.step }),
      });
    case "int":
      return trial.suggestInt(name, distribution.low, distribution.high, {
        log: distribution.log,
        ...(distribution.step !== 1 && { step: distribution.step }),
      });
    case "categorical":
      return trial.suggestCategorical(name, distribution.choices);
  }
}
