/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all by default) and prints markdown tables.
 * Names: ask, throughput, load, samplers, pruners, mup-transfer (the last is not in the default set: it trains ~500 networks).
 */
import { askLatency } from "./ask-latency.js";
import { loadStudyTime } from "./load-study.js";
import { mupTransfer } from "./mup-transfer.js";
import { prunerOverhead } from "./pruner-overhead.js";
import { samplerOverhead } from "./sampler-overhead.js";
import { throughput } from "./throughput.js";

const BENCHES: Record<string, () => Promise<unknown>> = {
  ask: askLatency,
  throughput,
  load: loadStudyTime,
  samplers: samplerOverhead,
  pruners: prunerOverhead,
  "mup-transfer": mupTransfer,
};
/** Run by name only. */
const ON_REQUEST = new Set(["mup-transfer"]);
const names = process.argv.slice(2);
for (const name of names.length ? names : Object.keys(BENCHES).filter((n) => !ON_REQUEST.has(n))) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  await bench();
}
