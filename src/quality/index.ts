/**
 * @module What `scaletune bench` needs of the search-quality benchmarks: the names and defaults its options show,
 * light to load (`scaletune --help` loads every command), and for each kind of problem a function that loads its
 * harness only when a run starts, runs it and writes the report.
 */
import type { CurveBenchReport } from "./curves/report.js";
import type { CurveBenchOptions } from "./runner/curve-harness.js";
import type { BenchOptions } from "./runner/trial-harness.js";
import type { YahpoMfBenchOptions } from "./runner/yahpo-mf-harness.js";
import type { BenchReport } from "./trials/report.js";
import type { YahpoMfBenchReport } from "./yahpo-mf/report.js";

export { ANCHOR_PRUNER_SPECS } from "./curves/anchor-names.js";
export { DEFAULT_OPTUNA_SAMPLERS, OPTUNA_SAMPLERS } from "./optuna/bridge-script.js";
export { INSTALL_OPTUNA, pythonExecutable } from "./optuna/python.js";
export { CURVE_PROBLEMS, DEFAULT_EPOCH_BUDGET, isCurveProblem } from "./problems/curves.js";
export { YAHPO_MF_GROUP, isYahpoMfProblem } from "./problems/yahpo-mf.js";

/** A finished benchmark: its results, as `--json` prints them, and its report as markdown text. */
export interface Benchmarked<Report> {
  readonly report: Report;
  readonly text: string;
}

/** Samplers on problems run for a number of trials, optionally side by side with Optuna. */
export async function benchTrials(options: BenchOptions): Promise<Benchmarked<BenchReport>> {
  const [{ runBench }, { formatReport }] = await Promise.all([import("./runner/trial-harness.js"), import("./trials/report.js")]);
  const report = await runBench(options);
  return { report, text: formatReport(report) };
}

/** Samplers × pruners on the learning curves, against an epoch budget, next to Optuna's measured runs. */
export async function benchCurves(options: CurveBenchOptions): Promise<Benchmarked<CurveBenchReport>> {
  const [{ runCurveBench }, { formatCurveReport }] = await Promise.all([import("./runner/curve-harness.js"), import("./curves/report.js")]);
  const report = await runCurveBench(options);
  return { report, text: formatCurveReport(report) };
}

/** Methods on the multi-fidelity YAHPO problems under the YAHPO Gym paper's protocol, ranked among its optimizers. */
export async function benchYahpoMf(options: YahpoMfBenchOptions): Promise<Benchmarked<YahpoMfBenchReport>> {
  const [{ runYahpoMfBench }, { formatYahpoMfReport }] = await Promise.all([
    import("./runner/yahpo-mf-harness.js"),
    import("./yahpo-mf/report.js"),
  ]);
  const report = await runYahpoMfBench(options);
  return { report, text: formatYahpoMfReport(report) };
}
