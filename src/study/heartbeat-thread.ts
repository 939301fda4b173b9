/**
 * @module The heartbeat thread: marks the trials its process runs as alive, on its own connection, while the main
 * thread may be busy in a synchronous objective for minutes. Started by `heartbeat.ts`, which shares with it the
 * table of running trials.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "../errors.js";
import { openStorage } from "../storage/open.js";
import { runningIds, type HeartbeatThreadData } from "./heartbeat.js";

const { url, intervalMs, running } = workerData as HeartbeatThreadData;
// Quiet about a lost server: the main thread says so; this one retries (postgres-retry.ts) and reports only giving up.
const storage = openStorage(url, { warn: () => {} });
let table = running;
/** A beat still retrying a lost server: the next ones wait for it instead of piling up. */
let beating = false;

parentPort!.on("message", (grown: BigInt64Array) => {
  table = grown;
});

setInterval(() => {
  const ids = runningIds(table);
  if (ids.length === 0 || beating) return;
  beating = true;
  storage
    .heartbeat(ids, Date.now())
    .catch((error: unknown) => parentPort!.postMessage(describeError(error).split("\n")[0]))
    .finally(() => (beating = false));
}, intervalMs);
