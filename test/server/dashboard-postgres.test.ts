/** The dashboard server over PostgreSQL: its event stream is driven by the storage's change feed (LISTEN/NOTIFY). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createStudy, type Study } from "../../src/index.js";
import { startDashboardServer, type DashboardServer } from "../../src/server/index.js";
import { freshSchema, skip, type Schema } from "../postgres/fixture.js";
import { openEvents } from "./sse-client.js";

describe("dashboard server (PostgreSQL)", { skip }, () => {
  let schema: Schema;
  let study: Study;
  let server: DashboardServer;

  before(async () => {
    schema = await freshSchema();
    study = await createStudy({ name: "pg", storage: schema.url });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 3 });
    server = await startDashboardServer({ storage: schema.url });
  });

  after(async () => {
    await server?.close();
    await study?.close();
    await schema?.drop();
  });

  it("lists the study and streams a trial told while a client listens", async () => {
    const { studies } = (await (await fetch(`${server.url}/api/studies`)).json()) as { studies: { name: string; counts: { complete: number } }[] };
    assert.deepEqual(studies.map((s) => [s.name, s.counts.complete]), [["pg", 3]]);
    const events = await openEvents(`${server.url}/api/studies/pg/events`);
    try {
      assert.equal((await events.next()).event, "hello");
      await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
      for (;;) {
        const { trials } = JSON.parse((await events.next()).data) as { trials: { number: number; state: string }[] };
        assert.deepEqual(trials.map((t) => t.number), [3]);
        if (trials[0]!.state === "complete") break;
      }
    } finally {
      events.close();
    }
  });
});
