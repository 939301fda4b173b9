/**
 * `npm run bench [-- [--quick] name…]`: runs the named benchmarks (all by default) and prints markdown tables.
 * Names: ask, throughput, load, copy, cli-growth, startup, dashboard-api, samplers, pruners, command-overhead, pg-refresh (PostgreSQL: skipped
 * unless SCALETUNE_BENCH_POSTGRES names a server), mup-transfer, demo-pruning, install-size, pg-throughput-vs-optuna,
 * importance (the last five are not in the default set: two train hundreds of networks, install-size needs the npm
 * registry and minutes, pg-throughput-vs-optuna Debian's Optuna and minutes, importance runs Optuna's fANOVA for
 * minutes). `--quick` runs each at a small size, in seconds: a check, not a measurement.
 */
import { askLatency } from "./ask-latency.js";
import { cliGrowth } from "./cli-growth.js";
import { commandOverhead } from "./command-overhead.js";
import { copyBenchmark } from "./copy.js";
import { dashboardApi } from "./dashboard-api.js";
import { demoPruning } from "./demo-pruning.js";
import { importanceBench } from "./importance.js";
import { installSize } from "./install-size.js";
import { loadStudyTime } from "./load-study.js";
import { mupTransfer } from "./mup-transfer.js";
import { pgRefresh } from "./pg-refresh.js";
import { pgThroughputVsOptuna } from "./pg-throughput-vs-optuna.js";
import { prunerOverhead } from "./pruner-overhead.js";
import { samplerOverhead } from "./sampler-overhead.js";
import { startup } from "./startup.js";
import { throughput } from "./throughput.js";
import type { Size } from "./common.js";

const BENCHES: Record<string, (size: Size) => Promise<unknown>> = {
  ask: askLatency,
  throughput,
  load: loadStudyTime,
  copy: copyBenchmark,
  "cli-growth": cliGrowth,
  startup,
  samplers: samplerOverhead,
  pruners: prunerOverhead,
  "mup-transfer": mupTransfer,
  "demo-pruning": demoPruning,
  "install-size": installSize,
  "command-overhead": commandOverhead,
  "pg-refresh": pgRefresh,
  "pg-throughput-vs-optuna": pgThroughputVsOptuna,
  importance: importanceBench,
  "dashboard-api": dashboardApi,
};
/** Run by name only. */
const ON_REQUEST = new Set(["mup-transfer", "demo-pruning", "install-size", "pg-throughput-vs-optuna", "importance"]);
const args = process.argv.slice(2);
const size: Size = args.includes("--quick") ? "quick" : "full";
const names = args.filter((a) => a !== "--quick");
for (const name of names.length ? names : Object.keys(BENCHES).filter((n) => !ON_REQUEST.has(n))) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  await bench(size);
}
