import { describeStorageConformance } from "../testing/storage-conformance.js";
import { MemoryStorage } from "./memory.js";

describeStorageConformance("memory", async () => ({ storage: new MemoryStorage(), cleanup: async () => {} }));
