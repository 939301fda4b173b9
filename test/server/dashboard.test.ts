/**
 * The dashboard server's API against a seeded SQLite study: what it lists, pages and details matches the storage,
 * bad requests are one-line JSON errors, and a trial told while a client listens arrives as an event.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { RandomSampler, createStudy, listStudies, type FrozenTrial, type Study } from "../../src/index.js";
import { startDashboardServer, type DashboardServer } from "../../src/server/index.js";
import { openEvents } from "./sse-client.js";

const HOSTILE_NAMES = ["<script>alert(1)</script>", "a".repeat(10_000), "日本語 ✓ 🚀 / ?#%&"];

/** 30 trials of two parameters, with curves of two metrics; some pruned, some failed. */
async function seed(study: Study): Promise<void> {
  // What optimize() stores first: the study's sampler and pruner.
  await study.recordMethods();
  for (let i = 0; i < 30; i++) {
    const trial = await study.ask();
    const x = trial.suggestFloat("x", -5, 5);
    trial.suggestCategorical("opt", ["adam", "sgd"]);
    trial.setUserAttr("i", i);
    trial.report(x * x + 1, 0, { acc: 0.5 });
    trial.report(x * x, 1, { acc: 0.6 });
    if (i % 7 === 3) await study.tell(trial, "pruned");
    else if (i % 11 === 5) await study.tell(trial, "failed", "boom");
    else await study.tell(trial, x * x);
  }
}

async function getJson(url: string): Promise<{ status: number; body: any; response: Response }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json(), response };
}

describe("dashboard server (SQLite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "scaletune-dashboard-"));
  const storage = `sqlite:${join(dir, "studies.db")}`;
  let study: Study;
  let server: DashboardServer;
  let api: string;

  before(async () => {
    study = await createStudy({ name: "mlp", storage, sampler: new RandomSampler({ seed: 3 }) });
    await seed(study);
    for (const name of HOSTILE_NAMES) await (await createStudy({ name, storage })).close();
    server = await startDashboardServer({ storage });
    api = `${server.url}/api`;
  });

  after(async () => {
    await server.close();
    await study.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1 by default", () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("lists every study as the storage has it, with its sampler and pruner", async () => {
    const { body, response } = await getJson(`${api}/studies`);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    const stored = await listStudies(storage);
    assert.deepEqual(
      body.studies.map((s: any) => [s.name, s.directions, s.counts, s.bestValues]),
      stored.map((s) => [s.name, s.directions, s.counts, s.bestValues]),
    );
    const mlp = body.studies.find((s: any) => s.name === "mlp");
    assert.equal(mlp.sampler, "random");
    assert.equal(mlp.pruner, study.pruner.name);
    assert.equal(mlp.lastActivityAt, new Date(stored.find((s) => s.name === "mlp")!.lastActivityAt!).toISOString());
  });

  it("pages, filters and sorts trials on the server as the study has them", async () => {
    const all = study.trials();
    const numbers = async (query: string) => (await getJson(`${api}/studies/mlp/trials?${query}`)).body.trials.map((t: any) => t.number);
    const byNumberDesc = [...all].reverse().map((t) => t.number);
    assert.deepEqual(await numbers("sort=number&order=desc&offset=5&limit=7"), byNumberDesc.slice(5, 12));
    const complete = all.filter((t) => t.state === "complete");
    const byValue = (desc: boolean) => [...complete].sort((a, b) => (desc ? b.value! - a.value! : a.value! - b.value!)).map((t) => t.number);
    assert.deepEqual(await numbers("state=complete&sort=value"), byValue(false));
    assert.deepEqual(await numbers("state=complete&sort=value&order=desc&limit=4"), byValue(true).slice(0, 4));
    const stopped = (t: FrozenTrial) => t.state === "pruned" || t.state === "failed";
    assert.deepEqual(await numbers("state=pruned,failed"), all.filter(stopped).map((t) => t.number));
    assert.ok(all.some((t) => t.state === "pruned") && all.some((t) => t.state === "failed"));
  });

  it("sends a listing's default fields, or those asked for", async () => {
    const listed = (await getJson(`${api}/studies/mlp/trials?limit=1`)).body.trials[0];
    assert.deepEqual(Object.keys(listed), ["number", "state", "values", "params", "userAttrs", "startedAt", "completedAt", "durationMs"]);
    const picked = (await getJson(`${api}/studies/mlp/trials?limit=1&fields=number,intermediateValues`)).body.trials[0];
    assert.deepEqual(picked, { number: 0, intermediateValues: [...study.trial(0)!.intermediateValues] });
  });

  it("details a trial: params, curves of every metric, attributes, timing, fail reason, worker", async () => {
    const failed = study.trials().find((t) => t.state === "failed")!;
    const { status, body } = await getJson(`${api}/studies/mlp/trials/${failed.number}`);
    assert.equal(status, 200);
    assert.deepEqual(body.params, failed.params);
    assert.deepEqual(body.intermediateValues, [...failed.intermediateValues]);
    assert.deepEqual(body.intermediateMetrics, { acc: [[0, 0.5], [1, 0.6]] });
    assert.deepEqual(body.userAttrs, { i: failed.userAttrs["i"] });
    assert.equal(body.failReason, "boom");
    assert.equal(body.worker, failed.systemAttrs["worker"]);
    assert.equal(body.startedAt, failed.startedAt!.toISOString());
    assert.equal(body.durationMs, failed.durationMs);
  });

  it("computes importance with either method", async () => {
    for (const method of ["fanova", "ped-anova"]) {
      const { status, body } = await getJson(`${api}/studies/mlp/importance?method=${method}`);
      assert.equal(status, 200);
      assert.equal(body.method, method);
      assert.deepEqual(body.params.map((p: any) => p.name).sort(), ["opt", "x"]);
    }
  });

  it("answers a bad request with 400 and a one-line error naming the problem", async () => {
    const cases: [string, RegExp][] = [
      ["trials?limit=5000", /limit must be an integer from 1 to 1000/],
      ["trials?offset=-1", /offset must be an integer/],
      ["trials?sort=size", /sort must be one of number, value/],
      ["trials?order=up", /order must be one of asc, desc/],
      ["trials?state=done", /state must be one of waiting, running, complete, pruned, failed/],
      ["trials?fields=number,secret", /fields must be one of/],
      ["trials?limt=5", /unknown query parameter "limt": use offset, limit/],
      ["trials/abc", /a trial number is a non-negative integer/],
      ["importance?method=shap", /method must be one of fanova, ped-anova/],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await getJson(`${api}/studies/mlp/${path}`);
      assert.equal(status, 400, path);
      assert.match(body.error, message);
      assert.doesNotMatch(body.error, /\n/);
    }
  });

  it("answers an unknown study, trial or endpoint with 404", async () => {
    for (const path of ["studies/nope/trials", "studies/nope/trials/0", "studies/nope/importance", "studies/nope/events", "studies/mlp/trials/999", "nothing"]) {
      const { status, body } = await getJson(`${api}/${path}`);
      assert.equal(status, 404, path);
      assert.equal(typeof body.error, "string");
      assert.doesNotMatch(body.error, /\n|    at /);
    }
  });

  it("round-trips hostile study names as JSON text", async () => {
    const { body } = await getJson(`${api}/studies`);
    for (const name of HOSTILE_NAMES) {
      assert.ok(body.studies.some((s: any) => s.name === name), name.slice(0, 20));
      const trials = await getJson(`${api}/studies/${encodeURIComponent(name)}/trials`);
      assert.equal(trials.status, 200, name.slice(0, 20));
      assert.deepEqual(trials.body.trials, []);
    }
    const missing = await getJson(`${api}/studies/${encodeURIComponent("<b>x</b>")}/trials`);
    assert.equal(missing.response.headers.get("content-type"), "application/json");
    assert.match(missing.body.error, /"<b>x<\/b>"/);
  });

  it("streams a trial told while a client listens, and only the trials that changed", async () => {
    const events = await openEvents(`${api}/studies/mlp/events`);
    try {
      const hello = await events.next();
      assert.equal(hello.event, "hello");
      const { cursor } = JSON.parse(hello.data);
      assert.equal(hello.id, String(cursor));
      const trial = await study.ask();
      trial.report(2, 0, { acc: 0.9 });
      await study.tell(trial, 1.5);
      for (;;) {
        const event = await events.next();
        assert.equal(event.event, "trials");
        const { trials } = JSON.parse(event.data);
        assert.deepEqual(trials.map((t: any) => t.number), [trial.number]);
        if (trials[0].state === "complete") {
          assert.deepEqual(trials[0].values, [1.5]);
          assert.deepEqual(trials[0].intermediateMetrics, { acc: [[0, 0.9]] });
          break;
        }
      }
      // A client that reconnects from the hello's cursor (Last-Event-ID) is sent only what changed since.
      const resumed = await openEvents(`${api}/studies/mlp/events`, { "Last-Event-ID": String(cursor) });
      try {
        assert.equal((await resumed.next()).event, "hello");
        const { trials } = JSON.parse((await resumed.next()).data);
        assert.deepEqual(trials.map((t: any) => t.number), [trial.number]);
      } finally {
        resumed.close();
      }
    } finally {
      events.close();
    }
  });
});
