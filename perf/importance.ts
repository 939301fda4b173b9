/**
 * @module `npm run bench -- importance`: the time of `importance()` over 1,000 trials × 10 parameters (the issue's
 * target: ≤ 2 s), beside Optuna's FanovaImportanceEvaluator and MeanDecreaseImpurityImportanceEvaluator timed on the
 * same trials in the same run, and how the rankings agree (Spearman's ρ over the 10 parameters, shared top 3).
 *
 * Optuna 3.1 (Debian's) has no PED-ANOVA evaluator, so mean decrease impurity stands beside it. Each function's
 * trials are drawn by the random sampler, written to a temporary JSON file, and read back by Python with
 * `optuna.trial.create_trial`, so both sides see the same parameters and values.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { INSTALL_OPTUNA, pythonExecutable } from "../src/quality/index.js";
import { RandomSampler, createStudy, importance, type Distribution, type ImportanceMethod, type ParamValue, type Study, type Trial } from "../src/index.js";
import { spearman } from "../src/math/statistics.js";
import { tempDir } from "../src/testing/temp.js";
import { median, printRows, type BenchRow, type Size } from "./common.js";

const SIZES = { full: { trials: 1_000, repeats: 3 }, quick: { trials: 100, repeats: 1 } } satisfies Record<Size, unknown>;
const TARGET_MS = 2_000;

/** Ten parameters each; the first is the one the target is about. */
const FUNCTIONS: Record<string, (trial: Trial) => number> = {
  // Σ (i+1)·x_i on uniform inputs: importances (i+1)² / 385 in closed form.
  linear: (t) => Array.from({ length: 10 }, (_, i) => (i + 1) * t.suggestFloat(`x${i}`, 0, 1)).reduce((a, b) => a + b),
  // A training run's shape: log-scaled lr and width, a choice, a stepped batch size, an interaction, five idle parameters.
  mixed: (t) => {
    const lr = t.suggestFloat("lr", 1e-5, 1, { log: true });
    const width = t.suggestInt("width", 16, 512, { log: true });
    const optimizer = t.suggestCategorical("optimizer", ["sgd", "adam", "rmsprop"]);
    const dropout = t.suggestFloat("dropout", 0, 0.5);
    const batch = t.suggestInt("batch", 16, 256, { step: 16 });
    for (let i = 0; i < 5; i++) t.suggestFloat(`idle${i}`, 0, 1);
    const shift = { sgd: 1, adam: 0, rmsprop: 0.3 }[optimizer as string]!;
    return (Math.log10(lr) + 3) ** 2 + 0.3 * (Math.log2(width) - 7) ** 2 + shift + 4 * dropout * (Math.log10(lr) + 3) + batch / 256;
  },
  // Non-monotone effects and a product: a sine, a bowl, an interaction, seven idle parameters.
  "sparse-nonlinear": (t) => {
    const x = Array.from({ length: 10 }, (_, i) => t.suggestFloat(`x${i}`, 0, 1));
    return Math.sin(2 * Math.PI * x[0]!) + 4 * (x[1]! - 0.5) ** 2 + 2 * x[2]! * x[3]!;
  },
};

/**
 * Main-effect shares in closed form, where the function has them. sparse-nonlinear: Var sin(2πx) = 1/2,
 * Var 4(x − ½)² = 4/45, and 2·x2·x3 has main effects x2 and x3 (variance 1/12 each).
 */
const SPARSE_MAIN = [1 / 2, 4 / 45, 1 / 12, 1 / 12];
const KNOWN_SHARES: Record<string, Record<string, number>> = {
  linear: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x${i}`, (i + 1) ** 2 / 385])),
  "sparse-nonlinear": Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [`x${i}`, (SPARSE_MAIN[i] ?? 0) / SPARSE_MAIN.reduce((a, b) => a + b)]),
  ),
};

const OPTUNA_SCRIPT = String.raw`
import json, sys, time
import optuna
from optuna.distributions import json_to_distribution
from optuna.importance import FanovaImportanceEvaluator, MeanDecreaseImpurityImportanceEvaluator
optuna.logging.set_verbosity(optuna.logging.ERROR)
out = {"version": optuna.__version__, "functions": {}}
for name, trials in json.load(open(sys.argv[1])).items():
    study = optuna.create_study()
    study.add_trials([optuna.trial.create_trial(params=t["params"], value=t["value"],
        distributions={k: json_to_distribution(json.dumps(d)) for k, d in t["distributions"].items()}) for t in trials])
    result = {}
    for key, evaluator in (("fanova", FanovaImportanceEvaluator(seed=0)), ("mdi", MeanDecreaseImpurityImportanceEvaluator(seed=0))):
        t0 = time.perf_counter()
        importances = optuna.importance.get_param_importances(study, evaluator=evaluator)
        result[key] = {"ms": 1e3 * (time.perf_counter() - t0), "importances": importances}
    out["functions"][name] = result
print(json.dumps(out))
`;

interface OptunaResult {
  readonly version: string;
  readonly functions: Record<string, Record<"fanova" | "mdi", { ms: number; importances: Record<string, number> }>>;
}

/** A distribution as Optuna's `json_to_distribution` reads it. */
function optunaDistribution(d: Distribution) {
  if (d.type === "categorical") return { name: "CategoricalDistribution", attributes: { choices: d.choices } };
  const name = d.type === "float" ? "FloatDistribution" : "IntDistribution";
  return { name, attributes: { low: d.low, high: d.high, log: d.log, step: d.step } };
}

/** The suffix of a function's trials given to Optuna with log ranges as their logarithms. */
const LOG_AXES = ", log axes";

function logAxes(params: Readonly<Record<string, ParamValue>>, distributions: Readonly<Record<string, Distribution>>, value: number | null) {
  const logged = (k: string) => {
    const d = distributions[k]!;
    return d.type !== "categorical" && d.log ? d : null;
  };
  return {
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, logged(k) ? Math.log(v as number) : v])),
    value,
    distributions: Object.fromEntries(
      Object.entries(distributions).map(([k, d]) => {
        const log = logged(k);
        return [k, log ? optunaDistribution({ type: "float", low: Math.log(log.low), high: Math.log(log.high), log: false, step: null }) : optunaDistribution(d)];
      }),
    ),
  };
}

function runOptuna(file: string): OptunaResult | { skipped: string } {
  const python = pythonExecutable();
  const run = spawnSync(python, ["-c", OPTUNA_SCRIPT, file], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (run.error) return { skipped: `${python} could not be started (${run.error.message}); ${INSTALL_OPTUNA}` };
  if (run.status !== 0) return { skipped: `Optuna failed: ${run.stderr.trim().split("\n").pop() ?? ""} (its fANOVA needs python3-sklearn)` };
  return JSON.parse(run.stdout) as OptunaResult;
}

/** Our importances and the time of the first call (cold) and the median of `repeats` more. */
function timed(study: Study, method: ImportanceMethod, repeats: number) {
  let t0 = performance.now();
  const report = importance(study, { method, seed: 0 });
  const coldMs = performance.now() - t0;
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    t0 = performance.now();
    importance(study, { method, seed: 0 });
    times.push(performance.now() - t0);
  }
  return { importances: Object.fromEntries(report.params.map((p) => [p.name, p.importance])), coldMs, medianMs: median(times) };
}

/** Spearman's ρ over the parameters, how many of the top 3 the two share, and the largest difference in a share. */
function agreement(a: Record<string, number>, b: Record<string, number>): string {
  const names = Object.keys(a).sort();
  const top = (x: Record<string, number>) => new Set(names.slice().sort((p, q) => x[q]! - x[p]!).slice(0, 3));
  const shared = [...top(a)].filter((n) => top(b).has(n)).length;
  const largest = Math.max(...names.map((n) => Math.abs(a[n]! - b[n]!)));
  return `ρ ${spearman(names.map((n) => a[n]!), names.map((n) => b[n]!)).toFixed(2)}, top 3 ${shared}/3, max Δ ${largest.toFixed(2)}`;
}

export async function importanceBench(size: Size): Promise<BenchRow[]> {
  const { trials, repeats } = SIZES[size];
  const dir = tempDir("scaletune-importance-");
  try {
    const studies: Record<string, Study> = {};
    const exported: Record<string, unknown[]> = {};
    for (const [name, objective] of Object.entries(FUNCTIONS)) {
      const study = await createStudy({ sampler: new RandomSampler({ seed: 0 }) });
      await study.optimize(objective, { nTrials: trials });
      studies[name] = study;
      exported[name] = study.trials().map((t) => ({
        params: t.params,
        value: t.value,
        distributions: Object.fromEntries(Object.entries(t.distributions).map(([k, d]) => [k, optunaDistribution(d)])),
      }));
      // Optuna 3.1's fANOVA reads log ranges on a linear axis; given the logarithms as plain numbers it reads them as we do.
      if (study.trials().some((t) => Object.values(t.distributions).some((d) => d.type !== "categorical" && d.log))) {
        exported[`${name}${LOG_AXES}`] = study.trials().map((t) => logAxes(t.params, t.distributions, t.value));
      }
    }
    writeFileSync(dir.file("trials.json"), JSON.stringify(exported));
    const optuna = runOptuna(dir.file("trials.json"));
    if ("skipped" in optuna) console.log(`\nOptuna not run: ${optuna.skipped}`);
    const timeRows: BenchRow[] = [];
    const agreementRows: BenchRow[] = [];
    for (const [name, study] of Object.entries(studies)) {
      const fanova = timed(study, "fanova", repeats);
      const ped = timed(study, "ped-anova", repeats);
      const theirs = "skipped" in optuna ? null : optuna.functions[name]!;
      const ms = (x: number | undefined) => (x === undefined ? "-" : x.toFixed(0));
      timeRows.push({
        function: name,
        trials,
        "fANOVA ms (cold / median)": `${ms(fanova.coldMs)} / ${ms(fanova.medianMs)}`,
        "PED-ANOVA ms (cold / median)": `${ms(ped.coldMs)} / ${ms(ped.medianMs)}`,
        "Optuna fANOVA ms": ms(theirs?.fanova.ms),
        "Optuna MDI ms": ms(theirs?.mdi.ms),
        "target ms": TARGET_MS,
      });
      const rows = theirs ? [{ label: name, theirs }] : [];
      const onLogAxes = "skipped" in optuna ? undefined : optuna.functions[`${name}${LOG_AXES}`];
      if (onLogAxes) rows.push({ label: `${name}, Optuna given the log ranges as their logarithms`, theirs: onLogAxes });
      for (const row of rows) {
        const known = KNOWN_SHARES[name];
        agreementRows.push({
          function: row.label,
          "our fANOVA vs closed form": known ? agreement(fanova.importances, known) : "-",
          "Optuna fANOVA vs closed form": known ? agreement(row.theirs.fanova.importances, known) : "-",
          "our fANOVA vs Optuna fANOVA": agreement(fanova.importances, row.theirs.fanova.importances),
          "our PED-ANOVA vs Optuna fANOVA": agreement(ped.importances, row.theirs.fanova.importances),
          "Optuna MDI vs Optuna fANOVA": agreement(row.theirs.mdi.importances, row.theirs.fanova.importances),
          "our fANOVA top 3": topThree(fanova.importances),
          "Optuna fANOVA top 3": topThree(row.theirs.fanova.importances),
        });
      }
    }
    const version = "skipped" in optuna ? "" : `, Optuna ${optuna.version}`;
    printRows(`importance() over ${trials} random trials × 10 parameters${version}`, timeRows);
    if (agreementRows.length > 0) printRows("Agreement on the same trials (Spearman's ρ over the 10 parameters; top-3 overlap; largest difference in a share)", agreementRows);
    return [...timeRows, ...agreementRows];
  } finally {
    dir.remove();
  }
}

function topThree(importances: Record<string, number>): string {
  return Object.entries(importances)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([n, v]) => `${n} ${v.toFixed(2)}`)
    .join(", ");
}
