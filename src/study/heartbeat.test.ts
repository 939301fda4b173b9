import assert from "node:assert/strict";
import { mkdirSync, renameSync } from "node:fs";
import { describe, it } from "node:test";
import { tempDir } from "../testing/temp.js";
import { createStudy } from "./api.js";

describe("heartbeat", () => {
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
