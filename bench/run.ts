/**
 * `npm run bench [-- name…]`: runs the named benchmarks (all by default) and prints markdown tables.
 * Names: ask, throughput, load, samplers.
 */
import { askLatency } from "./ask-latency.js";
import { loadStudyTime } from "./load-study.js";
import { samplerOverhead } from "./sampler-overhead.js";
import { throughput } from "./throughput.js";

const BENCHES: Record<string, () => Promise<unknown>> = {
  ask: askLatency,
  throughput,
  load: loadStudyTime,
  samplers: samplerOverhead,
};
const names = process.argv.slice(2);
for (const name of names.length ? names : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  await bench();
}
