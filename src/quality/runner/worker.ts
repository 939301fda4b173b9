/**
 * @module Entry point of a benchmark worker process (forked by `pool.ts`): runs the tasks it is sent, one at a
 * time, and sends back each result or error.
 */
import { ScaletuneError } from "../../errors.js";
import type { WorkerReply, WorkerRequest } from "./pool.js";
import { executeTask, releaseTaskResources } from "./task.js";

function reply(message: WorkerReply): void {
  process.send!(message);
}

process.on("message", (request: WorkerRequest) => {
  if (request.type === "stop") {
    void releaseTaskResources().finally(() => process.disconnect());
    return;
  }
  const { id, task } = request;
  executeTask(task).then(
    (result) => reply({ type: "result", id, result }),
    (error: unknown) =>
      reply({
        type: "error",
        id,
        userError: error instanceof ScaletuneError,
        message: error instanceof Error ? (error instanceof ScaletuneError ? error.message : (error.stack ?? error.message)) : String(error),
      }),
  );
});
