/**
 * @module `GET /api/studies/:name/events`: a study's changes as server-sent events. `hello` first, with the cursor
 * the stream starts from; then a `trials` event whenever trials were created or changed, carrying only those trials
 * (whole, with their curves), its `id` the cursor after them, so that a reconnecting EventSource resumes from it
 * (Last-Event-ID) without missing or repeating a change.
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { StudyReader, type Storage } from "../index.js";
import { HttpError, publicError, studyNotFound } from "./http-error.js";
import type { StudyCursors } from "./study-cursors.js";
import { trialJson } from "./trial-json.js";

/**
 * The longest one wait for a change lasts: where the storage has a change feed (PostgreSQL) a change ends it at
 * once; where it has none (SQLite, memory) it is the polling interval. Also how late a closed stream is noticed.
 */
const WAIT_MS = 300;
/** A comment line after this long without an event, so that proxies do not close an idle stream. */
const HEARTBEAT_MS = 15_000;

/** The open event streams: stopping the server ends them, and waits for them to let go of the storage. */
export class OpenStreams {
  private readonly stopping = new AbortController();
  private readonly running = new Set<Promise<void>>();

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** How many streams are open: each holds a StudyReader (on PostgreSQL, a share of the change feed). */
  get open(): number {
    return this.running.size;
  }

  track(loop: Promise<void>): void {
    this.running.add(loop);
    void loop.finally(() => this.running.delete(loop));
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.running);
  }
}

function resumeCursor(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (!/^\d+$/.test(header)) throw new HttpError(400, `Last-Event-ID must be a cursor from an earlier event (an integer), got ${JSON.stringify(header)}`);
  return Number(header);
}

export async function studyEvents(c: Context, storage: Storage, cursors: StudyCursors, name: string, streams: OpenStreams): Promise<Response> {
  const record = await storage.findStudy(name);
  if (!record) throw studyNotFound(name);
  const resumed = resumeCursor(c.req.header("Last-Event-ID"));
  let cursor = resumed ?? (await cursors.latest(record.id)).cursor;
  const reader = await StudyReader.open({ name, storage });
  return streamSSE(c, async (stream) => {
    let done!: () => void;
    streams.track(new Promise<void>((resolve) => (done = resolve)));
    try {
      await stream.writeSSE({ event: "hello", id: String(cursor), data: JSON.stringify({ study: name, cursor }) });
      let quietSince = Date.now();
      while (!stream.aborted && !streams.stopped) {
        if (await reader.waitForChange(WAIT_MS)) {
          const changes = await storage.readChanges(record.id, cursor);
          cursor = changes.cursor;
          // A trial's new curve points restamp the trial itself, so its number is among the changed trials.
          if (changes.trials.length > 0) {
            const trials = await reader.trials({ numbers: changes.trials.map((t) => t.number) });
            await stream.writeSSE({ event: "trials", id: String(cursor), data: JSON.stringify({ cursor, trials: trials.map((t) => trialJson(t)) }) });
            quietSince = Date.now();
            continue;
          }
        }
        if (Date.now() - quietSince >= HEARTBEAT_MS) {
          await stream.write(": keep-alive\n\n");
          quietSince = Date.now();
        }
      }
    } catch (error) {
      // The headers are sent: the stream's last event says what went wrong (the study deleted, the storage gone).
      if (!stream.aborted) await stream.writeSSE({ event: "error", data: JSON.stringify({ error: publicError(error).message }) });
    } finally {
      await reader.close();
      done();
    }
  });
}
