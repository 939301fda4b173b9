import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import type { JsonValue } from "../core/types.js";
import { currentWorker, encodeWorker, isWorkerGone, parseWorker, workerLabel } from "./worker.js";

describe("worker identity", () => {
  it("describes this process, and survives a round trip through a trial's attributes", () => {
    const me = currentWorker();
    assert.equal(me.pid, process.pid);
    assert.deepEqual(parseWorker(JSON.parse(JSON.stringify(encodeWorker(me)))), me);
    assert.deepEqual(parseWorker(encodeWorker({ host: "a/b", pid: 7, started: 9 })), { host: "a/b", pid: 7, started: 9 });
    assert.ok(encodeWorker(me).length < 64, encodeWorker(me));
    assert.equal(workerLabel(me), `${me.host}:${process.pid}`);
    const bad: JsonValue[] = [null, 3, "w", [], { host: "h" }, "h/1/2/b", "/1/2//", "h/x/2//"];
    for (const value of bad) assert.equal(parseWorker(value), null, JSON.stringify(value));
  });

  it("is gone only when certainly on this machine and no process has its PID", () => {
    const me = currentWorker();
    assert.equal(isWorkerGone(me), false, "this process");
    // A process that has exited: its PID exists no more.
    const ended = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const dead = { ...me, pid: Number(ended.stdout) };
    assert.equal(isWorkerGone(dead), true);
    assert.equal(isWorkerGone({ ...dead, host: `${me.host}-elsewhere` }), false, "another machine: only its heartbeat can tell");
    assert.equal(isWorkerGone({ ...dead, pidns: "1" }), false, "another PID namespace (a container)");
    assert.equal(isWorkerGone({ ...dead, boot: "an earlier boot" }), false);
    assert.equal(isWorkerGone({ ...me, started: me.started - 3600 }), true, "this PID, but an earlier process's");
    assert.equal(isWorkerGone({ ...me, pid: 1 }), false, "a live process");
  });
});
