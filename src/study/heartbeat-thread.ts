/**
 * @module The heartbeat thread: marks the trials its process runs as alive, on its own connection, while the main
 * thread may be busy in a synchronous objective for minutes. Started by `heartbeat.ts`, which shares with it the
 * table of running trials.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "../errors.js";
import { isPostgresUrl, openStorage } from "../storage/open.js";
import { PostgresStorage } from "../storage/postgres.js";
import { DEFAULT_RETRY } from "../storage/postgres-retry.js";
import { runningIds, type HeartbeatThreadData } from "./heartbeat.js";

const { url, intervalMs, running } = workerData as HeartbeatThreadData;
// PostgreSQL: the main thread has reached the server, so even this first connection waits out its absence; a lost
// server is retried at least once a beat, so beats resume as soon as it is back; quietly, as the main thread says
// it was lost and is back, and only giving up is reported.
const storage = isPostgresUrl(url)
  ? new PostgresStorage(url, { warn: () => {}, waitForServer: true, retry: { ...DEFAULT_RETRY, maxDelayMs: Math.min(DEFAULT_RETRY.maxDelayMs, intervalMs) } })
  : openStorage(url);
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
