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
const storage = openStorage(url);
let table = running;

parentPort!.on("message", (grown: BigInt64Array) => {
  table = grown;
});

setInterval(() => {
  const ids = runningIds(table);
  if (ids.length === 0) return;
  storage.heartbeat(ids, Date.now()).catch((error: unknown) => parentPort!.postMessage(describeError(error).split("\n")[0]));
}, intervalMs);
