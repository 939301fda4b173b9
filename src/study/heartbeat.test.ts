import assert from "node:assert/strict";
import { mkdirSync, renameSync } from "node:fs";
import { describe, it } from "node:test";
import { tempDir } from "../testing/temp.js";
import { createStudy } from "./api.js";
import { RunningSlots, runningIds } from "./heartbeat.js";

describe("heartbeat", () => {
  it("shares the running trials through slots, reused when freed, in a table that grows and is handed over", () => {
    const handed: BigInt64Array[] = [];
    const slots = new RunningSlots(2, (table) => handed.push(table));
    const reader = () => runningIds(handed.at(-1) ?? slots.shared).sort((a, b) => a - b);
    slots.add(10);
    slots.add(11);
    assert.deepEqual(reader(), [10, 11]);
    slots.remove(10);
    slots.add(12);
    assert.deepEqual(reader(), [11, 12]);
    assert.equal(handed.length, 0, "the freed slot was reused");
    slots.add(13);
    assert.equal(handed.length, 1);
    assert.equal(handed[0]!.length, 4);
    assert.deepEqual(reader(), [11, 12, 13]);
    slots.add(13);
    slots.remove(99);
    assert.deepEqual(slots.ids().sort(), [11, 12, 13]);
  });

  it("beats from the main thread when its thread cannot open the store, and says so", async () => {
    const dir = tempDir();
    mkdirSync(dir.file("a"));
    const warnings: string[] = [];
    const heartbeat = { intervalMs: 20, staleAfterMs: 60_000 };
    const study = await createStudy({ name: "h", storage: `sqlite:${dir.file("a/s.db")}`, heartbeat, warn: (m) => warnings.push(m) });
    // The open connection keeps working after the move; a new one (the thread's) finds no file.
    renameSync(dir.file("a"), dir.file("b"));
    const trial = await study.ask();
    await new Promise((r) => setTimeout(r, 1_000));
    const [record] = (await study.storage.readTrials(study.id, {})).trials;
    assert.ok(record!.heartbeatAt! > record!.startedAt!, "beaten while running");
    assert.match(warnings.join("\n"), /heartbeat thread stopped \(.*\); beating from the main thread instead/);
    await study.tell(trial, 1);
    await study.close();
    dir.remove();
  });
});
