/**
 * @module Optuna's ask() time on this machine, measured the way `../shared/anchors/optuna/bench_overhead.py` did
 * (n uniform random Rosenbrock-10 trials added, then ask() plus ten suggest_float per timed call).
 *
 * The overhead targets are times on the anchor's machine. Run on another machine, our times mean little alone;
 * Optuna measured in the same run tells how much slower or faster this machine is than the anchor's.
 */
import { spawnSync } from "node:child_process";
import { INSTALL_OPTUNA, pythonExecutable } from "../src/quality/index.js";

export interface OptunaCase {
  /** "tpe" or "tpe_mv", as in the anchor's sampler factory. */
  readonly sampler: "tpe" | "tpe_mv";
  readonly history: number;
  readonly asks: number;
}

const SCRIPT = String.raw`
import json, statistics, sys, time
import numpy as np
import optuna
from optuna.distributions import FloatDistribution
optuna.logging.set_verbosity(optuna.logging.ERROR)
names = [f"x{i}" for i in range(10)]
dists = {n: FloatDistribution(-5.0, 10.0) for n in names}
def rosenbrock(x):
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))
out = []
for case in json.loads(sys.argv[1]):
    sampler = optuna.samplers.TPESampler(seed=0, multivariate=case["sampler"] == "tpe_mv")
    study = optuna.create_study(sampler=sampler)
    points = np.random.RandomState(0).uniform(-5.0, 10.0, size=(case["history"], 10))
    study.add_trials([optuna.trial.create_trial(params=dict(zip(names, map(float, x))), distributions=dists,
                                                value=rosenbrock(x)) for x in points])
    times = []
    for _ in range(case["asks"]):
        t0 = time.perf_counter()
        trial = study.ask()
        x = np.array([trial.suggest_float(n, -5.0, 10.0) for n in names])
        times.append(time.perf_counter() - t0)
        study.tell(trial, rosenbrock(x))
    out.append(1e3 * statistics.median(times))
print(json.dumps({"version": optuna.__version__, "medianMs": out}))
`;

/** Median ms per case, or the reason Optuna could not be run (not installed, or it failed). */
export function optunaAskTimes(cases: readonly OptunaCase[]): { version: string; medianMs: number[] } | { skipped: string } {
  const python = pythonExecutable();
  const run = spawnSync(python, ["-c", SCRIPT, JSON.stringify(cases)], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (run.error) return { skipped: `${python} could not be started (${run.error.message}); ${INSTALL_OPTUNA}` };
  if (run.status !== 0) {
    const last = run.stderr.trim().split("\n").pop() ?? "";
    return { skipped: last.includes("No module named 'optuna'") ? `Optuna is not installed; ${INSTALL_OPTUNA}` : `Optuna failed: ${last}` };
  }
  return JSON.parse(run.stdout) as { version: string; medianMs: number[] };
}
