import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StorageError } from "../errors.js";
import { isConnectionLoss, ServerLink } from "./postgres-retry.js";

const quick = { firstDelayMs: 1, maxDelayMs: 4, budgetMs: 200 };
const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("isConnectionLoss", () => {
  it("takes lost connections and a server shutting down or starting for losses, and statement errors for not", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "57P01", "57P02", "57P03", "08006", "08003"]) assert.ok(isConnectionLoss({ code, message: "x" }), code);
    assert.ok(isConnectionLoss(new Error("Connection terminated unexpectedly")));
    assert.ok(isConnectionLoss(new StorageError("cannot connect", { cause: refused() })), "a first connection, by its cause");
    for (const code of ["23505", "40001", "42P01", "57014", "28P01", "3D000"]) assert.ok(!isConnectionLoss({ code, message: "x" }), code);
    assert.ok(!isConnectionLoss(new Error("syntax error")));
    assert.ok(!isConnectionLoss(undefined));
  });
});

describe("ServerLink", () => {
  it("retries a lost connection, telling the attempt so, and says once that the server is lost and once that it is back", async () => {
    const lines: string[] = [];
    const link = new ServerLink("postgres://db/tune", (m) => lines.push(m), quick);
    const seen: boolean[] = [];
    const result = await link.run(async (afterLoss) => {
      seen.push(afterLoss);
      if (seen.length < 4) throw refused();
      return "done";
    });
    assert.equal(result, "done");
    assert.deepEqual(seen, [false, true, true, true]);
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[0]!, /^lost the connection to PostgreSQL at postgres:\/\/db\/tune; retrying for up to 0 s$/);
    assert.match(lines[1]!, /^PostgreSQL at postgres:\/\/db\/tune is back after \d+\.\d s; carrying on$/);
    const outage = link.lastOutage!;
    assert.ok(outage.from <= outage.to && outage.to <= Date.now(), "the outage is remembered for judging heartbeats");
  });

  it("passes other errors through at once", async () => {
    const link = new ServerLink("db", () => assert.fail("nothing to report"), quick);
    let attempts = 0;
    await assert.rejects(
      link.run(async () => {
        attempts++;
        throw Object.assign(new Error("duplicate key"), { code: "23505" });
      }),
      /duplicate key/,
    );
    assert.equal(attempts, 1);
  });

  it("gives up after its budget with one line naming the server and what to check", async () => {
    const link = new ServerLink("postgres://db/tune", () => {}, quick);
    await assert.rejects(
      link.run(async () => {
        throw refused();
      }),
      (e: Error) => {
        assert.ok(e instanceof StorageError);
        assert.equal(
          e.message,
          "lost PostgreSQL at postgres://db/tune and could not reconnect within 0 s (connect ECONNREFUSED 127.0.0.1:5432): check that the server is running and reachable (pg_isready)",
        );
        return true;
      },
    );
  });
});
