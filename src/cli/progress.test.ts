import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { createStudy } from "../study/api.js";
import { Progress } from "./progress.js";

function sink(isTTY: boolean): Writable & { text: string; isTTY: boolean; columns: number } {
  const out = new Writable({
    write(chunk, _enc, done) {
      out.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY: boolean; columns: number };
  out.text = "";
  out.isTTY = isTTY;
  out.columns = 200;
  return out;
}

describe("progress", () => {
  it("prints one plain line per trial when not on a terminal", async () => {
    const out = sink(false);
    const study = await createStudy();
    const progress = new Progress(study, { alreadyDone: 0, target: 3, out });
    await study.optimize((t) => t.suggestInt("n", 1, 1), { nTrials: 3, callbacks: [(_s, t) => progress.onTrial(t)] });
    progress.stop();
    assert.deepEqual(out.text.trim().split("\n"), [
      "trial 0 complete: 1 | n=1 | best 1 (#0)",
      "trial 1 complete: 1 | n=1 | best 1 (#0)",
      "trial 2 complete: 1 | n=1 | best 1 (#0)",
    ]);
  });

  it("redraws one status line on a terminal: done/target, running, best, rate", async () => {
    const out = sink(true);
    const study = await createStudy();
    const progress = new Progress(study, { alreadyDone: 5, target: 10, out });
    progress.start();
    await study.optimize((t) => t.suggestFloat("x", 2, 2), { nTrials: 2, callbacks: [(_s, t) => progress.onTrial(t)] });
    progress.stop();
    assert.ok(out.text.includes("\r\x1b[2K"), "the line is redrawn in place");
    assert.match(progress.statusLine(), /^trials 7\/10 done · 0 running · best 2 \(#0\) · [\d.]+\/(s|min) · ETA [\dms.]+ · \d+ms$/);
    assert.ok(out.text.endsWith("\n"));
  });
});
