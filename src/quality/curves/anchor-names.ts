/**
 * @module The names that pair our samplers and pruner specs with those of Optuna's pruning anchor
 * (`shared/anchors/optuna/bench_pruning.py`): the anchor's five pruners, and what it calls our samplers.
 */

/** Our pruner spec for each of the anchor's pruners (`make_pruner` in bench_pruning.py), in the anchor's order. */
const ANCHOR_PRUNERS: Readonly<Record<string, string>> = {
  none: "nop",
  median: "median",
  "median:nWarmupSteps=5": "median_w5",
  "hyperband:minResource=1,maxResource=27,reductionFactor=3": "hyperband",
  "sha:minResource=1,reductionFactor=3": "sha",
};

/** Optuna's name (the anchor's `common.make_sampler`) for each of our samplers that has a counterpart there. */
const ANCHOR_SAMPLERS: Readonly<Record<string, string>> = {
  random: "random",
  tpe: "tpe",
  "tpe-multivariate": "tpe_mv_group",
  cmaes: "cmaes",
  sobol: "qmc",
};

/** The specs of the anchor's five pruners, as `--pruners` takes them. */
export const ANCHOR_PRUNER_SPECS: readonly string[] = Object.keys(ANCHOR_PRUNERS);

/** Name lower-cased, options sorted, numbers written canonically: `Hyperband:reductionFactor=3.0,…` finds hyperband. */
function canonicalSpec(spec: string): string {
  const at = spec.indexOf(":");
  const name = (at < 0 ? spec : spec.slice(0, at)).trim().toLowerCase();
  if (at < 0) return name;
  const options = spec
    .slice(at + 1)
    .split(",")
    .map((pair) => {
      const [key = "", value = ""] = pair.split("=").map((s) => s.trim());
      return `${key}=${value !== "" && Number.isFinite(Number(value)) ? String(Number(value)) : value}`;
    })
    .sort();
  return `${name}:${options.join(",")}`;
}

/** The anchor's name for a pruner spec (`none` → `nop`, …), or null when the anchor did not run it. */
export function anchorPrunerName(spec: string): string | null {
  const canonical = canonicalSpec(spec);
  const match = ANCHOR_PRUNER_SPECS.find((s) => canonicalSpec(s) === canonical);
  return match === undefined ? null : ANCHOR_PRUNERS[match]!;
}

export function anchorSamplerName(sampler: string): string | null {
  return ANCHOR_SAMPLERS[sampler.toLowerCase()] ?? null;
}
