/**
 * A benchmark worker process: loads the study, waits for the common start time, runs its trials, prints its timing.
 */
import { trivialObjective } from "./common.js";

// The built package, as users run it: run from source, its heartbeat thread would load through tsx first.
const { createStudy, loadStudy, RandomSampler } = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("../src/index.js");

const [storage, name, trials, startAt, seed] = process.argv.slice(2);
const study =
  storage === "memory:"
    ? await createStudy({ sampler: new RandomSampler({ seed: Number(seed) }) })
    : await loadStudy({ name: name!, storage: storage!, sampler: new RandomSampler({ seed: Number(seed) }) });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const t0 = performance.now();
await study.optimize(trivialObjective, { nTrials: Number(trials) });
process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
await study.close();
