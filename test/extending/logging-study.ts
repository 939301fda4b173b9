import { createStudy, MemoryStorage, RandomSampler } from "scaletune";
import { loggingStorage } from "./logging-storage.js";

export const calls: Record<string, number> = {};
const storage = loggingStorage(new MemoryStorage(), (method) => {
  calls[method] = (calls[method] ?? 0) + 1;
});
const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 1 }) });
await study.optimize((trial) => (trial.suggestFloat("x", -5, 5) - 2) ** 2, { nTrials: 20 });
console.log(calls); // what 20 trials asked of the storage, by method
