/** An event stream lets go of its study reader when its client goes away: readers must not pile up on the server. */
import assert from "node:assert/strict";
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { it } from "node:test";
import { MemoryStorage, createStudy } from "../../src/index.js";
import { dashboardApp } from "../../src/server/app.js";
import { openEvents } from "./sse-client.js";

it("ends a study's event stream when its client disconnects", { timeout: 30_000 }, async () => {
  const storage = new MemoryStorage();
  await createStudy({ name: "s", storage });
  const { app, streams } = dashboardApp(storage);
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0, overrideGlobalObjects: false }) as Server;
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const events = await openEvents(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/studies/s/events`);
    assert.equal((await events.next()).event, "hello");
    assert.equal(streams.open, 1);
    events.close();
    while (streams.open > 0) await sleep(20);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
