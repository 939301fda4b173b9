/**
 * @module The dashboard's HTTP API: read-only JSON over a storage, and a study's changes as server-sent events.
 * Every response is JSON (or an event stream of JSON): user strings — study names, attributes, fail reasons — are
 * data, never markup, and `nosniff` stops a browser from guessing otherwise.
 */
import { Hono } from "hono";
import { StudyReader, type Storage } from "../index.js";
import { OpenStreams, studyEvents } from "./events.js";
import { HttpError, publicError } from "./http-error.js";
import { listStudies } from "./studies.js";
import { StudyCursors } from "./study-cursors.js";
import { studyImportance } from "./study-importance.js";
import { trialJson } from "./trial-json.js";
import { parseTrialsQuery } from "./trials-query.js";

async function withReader<T>(storage: Storage, name: string, body: (reader: StudyReader) => Promise<T>): Promise<T> {
  const reader = await StudyReader.open({ name, storage });
  try {
    return await body(reader);
  } finally {
    await reader.close();
  }
}

function trialNumber(text: string): number {
  if (!/^\d+$/.test(text)) throw new HttpError(400, `a trial number is a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** The API's routes over `storage`, and its open event streams (to stop them when the server stops). */
export function dashboardApp(storage: Storage): { app: Hono; streams: OpenStreams } {
  const streams = new OpenStreams();
  const cursors = new StudyCursors(storage);
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
  });

  app.get("/api/studies", async (c) => c.json({ studies: await listStudies(storage, cursors) }));

  app.get("/api/studies/:name/trials", async (c) => {
    const { listing, fields } = parseTrialsQuery(c.req.query());
    const trials = await withReader(storage, c.req.param("name"), (reader) => reader.trials(listing));
    return c.json({ offset: listing.offset, limit: listing.limit, trials: trials.map((t) => trialJson(t, fields)) });
  });

  app.get("/api/studies/:name/trials/:number", async (c) => {
    const number = trialNumber(c.req.param("number"));
    const name = c.req.param("name");
    const [trial] = await withReader(storage, name, (reader) => reader.trials({ numbers: [number] }));
    if (!trial) throw new HttpError(404, `study ${JSON.stringify(name)} has no trial ${number}: GET …/trials lists its trials`);
    return c.json(trialJson(trial));
  });

  app.get("/api/studies/:name/importance", async (c) => c.json(await studyImportance(storage, c.req.param("name"), c.req.query())));

  app.get("/api/studies/:name/events", (c) => studyEvents(c, storage, cursors, c.req.param("name"), streams));

  app.notFound((c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path} (see docs/dashboard.md)` }, 404));
  app.onError((error, c) => {
    const { status, message } = publicError(error);
    return c.json({ error: message }, status);
  });
  return { app, streams };
}
