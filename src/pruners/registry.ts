/**
 * @module Pruners by name, for the CLI and the benchmark: `name` or `name:option=value,option=value`.
 *
 * Option names are the constructor's (camelCase); values are numbers unless the option takes a string.
 *
 * @example
 * prunerFromSpec("median:nWarmupSteps=5");
 */
import { ConfigError } from "../errors.js";
import { HyperbandPruner, type HyperbandOptions } from "./hyperband.js";
import { LearningCurvePruner, type LearningCurveOptions } from "./learning-curve.js";
import { PatientPruner, type PatientPrunerOptions } from "./patient.js";
import { MedianPruner, PercentilePruner, type MedianPrunerOptions } from "./percentile.js";
import { NopPruner, type Pruner } from "./pruner.js";
import { SuccessiveHalvingPruner, type SuccessiveHalvingOptions } from "./successive-halving.js";
import { ThresholdPruner, type ThresholdPrunerOptions } from "./threshold.js";

type OptionValue = number | string | boolean;

interface PrunerEntry {
  /** Options the spec may set, each with its kind ("resource": a number of steps or "auto"; "boolean": true or false). */
  readonly options: Readonly<Record<string, "number" | "string" | "resource" | "boolean">>;
  create(options: Readonly<Record<string, OptionValue>>): Pruner;
}

/** Every pruner the CLI can name. A new pruner adds its line here. */
const ENTRIES: Readonly<Record<string, PrunerEntry>> = {
  none: { options: {}, create: () => new NopPruner() },
  median: {
    options: { nStartupTrials: "number", nWarmupSteps: "number", intervalSteps: "number", nMinTrials: "number" },
    create: (o) => new MedianPruner(o as MedianPrunerOptions),
  },
  percentile: {
    options: { percentile: "number", nStartupTrials: "number", nWarmupSteps: "number", intervalSteps: "number", nMinTrials: "number" },
    // A missing required option reaches the constructor as undefined, and its error names the option.
    create: (o) => new PercentilePruner({ ...(o as MedianPrunerOptions), percentile: o.percentile as number }),
  },
  patient: {
    options: { patience: "number", minDelta: "number", wrapped: "string" },
    create: (o) =>
      new PatientPruner(o.wrapped === undefined ? null : wrappedPruner(String(o.wrapped)), {
        ...(o as Omit<PatientPrunerOptions, "patience">),
        patience: o.patience as number,
      }),
  },
  threshold: {
    options: { lower: "number", upper: "number", nWarmupSteps: "number", intervalSteps: "number" },
    create: (o) => new ThresholdPruner(o as ThresholdPrunerOptions),
  },
  sha: {
    options: { minResource: "resource", reductionFactor: "number", minEarlyStoppingRate: "number" },
    create: (o) => new SuccessiveHalvingPruner(o as SuccessiveHalvingOptions),
  },
  "learning-curve": {
    options: { maxStep: "resource", nStartupTrials: "number", nWarmupSteps: "number", confidence: "number" },
    create: (o) => new LearningCurvePruner(o as LearningCurveOptions),
  },
  hyperband: {
    options: { minResource: "number", maxResource: "resource", reductionFactor: "number", sampleWithinBracket: "boolean" },
    create: (o) => new HyperbandPruner(o as HyperbandOptions),
  },
};

export function prunerNames(): readonly string[] {
  return Object.keys(ENTRIES);
}

export function prunerFromSpec(spec: string): Pruner {
  const [rawName = "", rawOptions] = splitOnce(spec.trim(), ":");
  const name = rawName.toLowerCase();
  const entry = ENTRIES[name];
  if (!entry) throw new ConfigError(`unknown pruner "${rawName}"; choose one of: ${prunerNames().join(", ")}`);
  const options: Record<string, OptionValue> = {};
  for (const pair of rawOptions ? rawOptions.split(",") : []) {
    const [key = "", text] = splitOnce(pair.trim(), "=");
    const kind = entry.options[key];
    if (!kind) {
      const known = Object.keys(entry.options);
      throw new ConfigError(
        `pruner "${name}" has no option "${key}"; ${known.length ? `its options are ${known.join(", ")}` : "it takes no options"}`,
      );
    }
    if (text === undefined || text === "") throw new ConfigError(`pruner option "${key}" needs a value: ${key}=…`);
    if (kind === "boolean") {
      if (text !== "true" && text !== "false") throw new ConfigError(`pruner option "${key}" must be true or false, got "${text}"`);
      options[key] = text === "true";
      continue;
    }
    const value = kind === "string" || (kind === "resource" && text === "auto") ? text : Number(text);
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new ConfigError(`pruner option "${key}" must be a number, got "${text}"`);
    }
    options[key] = value;
  }
  return entry.create(options);
}

/** The pruner a patient pruner wraps: a bare name, since its options would clash with the spec's own commas. */
function wrappedPruner(name: string): Pruner {
  if (name.includes(":")) {
    throw new ConfigError(`patient's wrapped pruner takes a bare name (wrapped=median), not options: got "${name}"`);
  }
  return prunerFromSpec(name);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
