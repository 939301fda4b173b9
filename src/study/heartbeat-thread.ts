/**
 * @module The heartbeat thread: marks the trials its process runs as alive, on its own connection, while the main
 * thread may be busy in a synchronous objective for minutes. Started by `heartbeat.ts`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { describeError } from "../errors.js";
import { openStorage } from "../storage/open.js";
import type { HeartbeatMessage } from "./heartbeat.js";

const { url, intervalMs } = workerData as { url: string; intervalMs: number };
const storage = openStorage(url);
const running = new Set<number>();

parentPort!.on("message", (message: HeartbeatMessage) => {
  if (message.type === "add") running.add(message.trialId);
  else running.delete(message.trialId);
});

setInterval(() => {
  if (running.size === 0) return;
  storage.heartbeat([...running], Date.now()).catch((error: unknown) => parentPort!.postMessage(describeError(error).split("\n")[0]));
}, intervalMs);
