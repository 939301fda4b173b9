import { MemoryStorage } from "scaletune";
import { describeStorageConformance } from "scaletune/testing";
import { loggingStorage } from "./logging-storage.js";

// A fresh, empty storage for every case; `cleanup` runs once the suite has closed it (a real backend drops its
// test database there).
describeStorageConformance("logging storage", async () => ({
  storage: loggingStorage(new MemoryStorage(), () => {}),
  cleanup: async () => {},
}));
