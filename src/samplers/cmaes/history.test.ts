import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FrozenTrial, TrialState } from "../../core/types.js";
import { SlotIndex, completeGeneration, readSlot, slotAttrs, type Slot } from "./history.js";

function trial(number: number, state: TrialState, slot: Slot | null): FrozenTrial {
  return {
    id: 100 + number,
    number,
    state,
    values: state === "complete" ? [number] : null,
    value: state === "complete" ? number : null,
    params: {},
    internalParams: {},
    distributions: {},
    intermediateValues: new Map(),
    intermediateMetrics: new Map(),
    userAttrs: {},
    systemAttrs: slot === null ? {} : slotAttrs(slot),
    startedAt: null,
    completedAt: null,
    durationMs: null,
    failReason: null,
  };
}

const slot = (restart: number, generation: number, index: number, space = "s1"): Slot => ({ restart, generation, index, space });

describe("CMA-ES trial history", () => {
  it("round-trips slot tags and ignores untagged trials", () => {
    assert.deepEqual(readSlot(slotAttrs(slot(2, 3, 4))), slot(2, 3, 4));
    assert.equal(readSlot({ "cmaes:restart": 1 }), null);
  });

  it("takes a generation's first popsize usable slots in slot order, skipping failed ones", () => {
    const generation = [trial(1, "complete", null), trial(2, "failed", null), trial(3, "pruned", null), trial(4, "complete", null), trial(5, "complete", null)];
    assert.deepEqual(completeGeneration(generation, 3)?.map((t) => t.number), [1, 3, 4]);
    // A running slot before the popsize-th usable one holds the generation back, whatever finished after it.
    const waiting = [trial(1, "complete", null), trial(2, "running", null), trial(3, "complete", null), trial(4, "complete", null)];
    assert.equal(completeGeneration(waiting, 3), null);
    assert.deepEqual(completeGeneration(waiting, 1)?.map((t) => t.number), [1]);
  });

  it("indexes trials by run and generation in slot order, whatever order they arrive in", () => {
    const index = new SlotIndex();
    for (const t of [trial(7, "running", slot(0, 1, 2)), trial(5, "complete", slot(0, 1, 0)), trial(0, "complete", null), trial(6, "complete", slot(0, 1, 1))]) {
      index.record(t);
    }
    const run = { restart: 0, space: "s1" };
    assert.deepEqual(index.generation(run, 1).map((t) => t.number), [5, 6, 7]);
    assert.equal(index.nextIndex(run, 1), 3);
    assert.equal(index.nextIndex(run, 2), 0);
    // A newer version of a trial replaces the old one.
    index.record(trial(7, "complete", slot(0, 1, 2)));
    assert.equal(index.generation(run, 1)[2]!.state, "complete");
    assert.equal(index.latest(0)?.number, 0);
  });

  it("resolves a restart opened with two spaces at once in favour of the earlier trial", () => {
    const index = new SlotIndex();
    index.record(trial(9, "complete", slot(1, 0, 0, "late")));
    index.record(trial(8, "complete", slot(1, 0, 0, "early")));
    index.record(trial(3, "complete", slot(0, 0, 0, "late")));
    assert.deepEqual(index.runRecords(), [
      { restart: 0, space: "late" },
      { restart: 1, space: "early" },
    ]);
  });
});
