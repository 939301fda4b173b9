/**
 * One worker process of the concurrency test: joins study `name` at `url` and runs trials until the study holds
 * `target` of them, with a random sampler or a grid of `target` points.
 * Usage: node --import tsx worker.ts <url> <name> <random|grid> <target> <seed>
 */
import { createStudy, GridSampler, RandomSampler } from "../../src/index.js";

const [url, name, kind, target, seed] = process.argv.slice(2) as [string, string, string, string, string];
const n = Number(target);
const sampler = kind === "grid" ? new GridSampler({ x: Array.from({ length: n }, (_, i) => i) }, { seed: Number(seed) }) : new RandomSampler({ seed: Number(seed) });
const study = await createStudy({ name, storage: url, loadIfExists: true, sampler, warn: () => {} });
await study.optimize((trial) => trial.suggestFloat("x", 0, n), { targetTrials: n, concurrency: 2 });
await study.close();
