/**
 * How a study uses its storage's change feed (`Storage.watch`), on a memory storage with a feed the test controls:
 * it reads when the feed knows nothing or knows of a change past its cursor, skips the read otherwise, and reads
 * anyway once it has gone a second on the feed alone.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { MemoryStorage } from "../storage/memory.js";
import type { StudyChanges, StudyWatch } from "../storage/storage.js";
import { createStudy } from "./api.js";

/** A memory storage whose feed says what the test sets, and which counts its reads. */
class FedStorage extends MemoryStorage {
  known: number | null = null;
  reads = 0;

  watch(): StudyWatch {
    return { knownSeq: () => this.known, nextChange: () => new Promise<void>(() => {}), close: () => {} };
  }

  override async readChanges(studyId: number, cursor: number): Promise<StudyChanges> {
    this.reads++;
    return super.readChanges(studyId, cursor);
  }
}

describe("a study with a change feed", () => {
  it("reads while the feed knows nothing or knows of more, skips while it knows of nothing new, and reads after a second regardless", async () => {
    const storage = new FedStorage();
    const study = await createStudy({ name: "fed", storage });
    const other = await createStudy({ name: "fed", storage, loadIfExists: true });
    await study.refresh();
    const { cursor } = await storage.readChanges(study.id, 0);

    let reads = storage.reads;
    await study.refresh();
    assert.equal(storage.reads, reads + 1, "nothing known: read");

    storage.known = cursor;
    reads = storage.reads;
    await study.refresh();
    assert.equal(storage.reads, reads, "nothing new: no read");

    await other.enqueueTrial({ x: 1 });
    await study.refresh();
    assert.equal(study.trials().length, 0, "the feed has not announced it yet");
    storage.known = cursor + 1;
    await study.refresh();
    assert.equal(study.trials().length, 1, "announced: read");

    await other.enqueueTrial({ x: 2 });
    await study.refresh();
    assert.equal(study.trials().length, 1);
    await sleep(1_100);
    await study.refresh();
    assert.equal(study.trials().length, 2, "a second on the feed alone: read anyway");
  });
});
