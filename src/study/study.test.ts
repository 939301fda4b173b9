import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { expectTypeOf } from "expect-type";
import { ConfigError, SearchSpaceError, StudyNotFoundError, TrialPruned } from "../errors.js";
import { GridSampler } from "../samplers/grid.js";
import type { Sampler } from "../samplers/sampler.js";
import { floatDistribution } from "../space/distributions.js";
import { RandomSampler } from "../samplers/random.js";
import { MemoryStorage } from "../storage/memory.js";
import { tempDir } from "../testing/temp.js";
import { createStudy, deleteStudy, listStudies, loadStudy } from "./api.js";
import { FixedTrial, type Trial } from "./trial.js";

const quiet = { warn: () => {} };

describe("study: optimize, best values, trial records", () => {
  it("finds the minimum of a 1-d quadratic and records every trial", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 1 }), ...quiet });
    await study.optimize((t) => (t.suggestFloat("x", -5, 5) - 2) ** 2, { nTrials: 200 });
    const trials = study.trials();
    assert.equal(trials.length, 200);
    assert.deepEqual(trials.map((t) => t.number), [...Array(200).keys()]);
    assert.ok(trials.every((t) => t.state === "complete" && t.durationMs !== null && t.startedAt !== null));
    assert.ok(Math.abs((study.bestParams.x as number) - 2) < 0.1);
    assert.equal(study.bestValue, Math.min(...trials.map((t) => t.value!)));
  });

  it("maximizes when asked", async () => {
    const study = await createStudy({ direction: "maximize", sampler: new RandomSampler({ seed: 2 }) });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 50 });
    assert.equal(study.bestValue, Math.max(...study.trials().map((t) => t.value!)));
  });

  it("supports conditional and nested parameters (define-by-run)", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(
      (t) => {
        const optimizer = t.suggestCategorical("optimizer", ["sgd", "adam"]);
        if (optimizer === "sgd") return t.suggestFloat("momentum", 0, 0.99);
        const layers = t.suggestInt("layers", 1, 3);
        let total = t.suggestFloat("beta1", 0.5, 0.999);
        for (let i = 0; i < layers; i++) total += t.suggestInt(`width_${i}`, 8, 64, { log: true }) / 64;
        return total;
      },
      { nTrials: 60 },
    );
    for (const trial of study.trials()) {
      const names = Object.keys(trial.params).sort();
      if (trial.params.optimizer === "sgd") assert.deepEqual(names, ["momentum", "optimizer"]);
      else assert.equal(names.filter((n) => n.startsWith("width_")).length, trial.params.layers);
    }
    const kinds = new Set(study.trials().map((t) => t.params.optimizer));
    assert.deepEqual([...kinds].sort(), ["adam", "sgd"]);
  });

  it("returns the same value when a parameter is suggested twice alike, and refuses a different range", async () => {
    const study = await createStudy();
    const trial = await study.ask();
    const a = trial.suggestFloat("lr", 1e-4, 1, { log: true });
    assert.equal(trial.suggestFloat("lr", 1e-4, 1, { log: true }), a);
    assert.throws(() => trial.suggestFloat("lr", 1e-3, 1, { log: true }), (e: Error) => e instanceof SearchSpaceError && /suggested twice/.test(e.message));
    await study.tell(trial, 1);
  });

  it("types categorical suggestions as the union of the choices", () => {
    const trial = new FixedTrial({ opt: "adam", bs: 64 });
    const opt = trial.suggestCategorical("opt", ["adam", "sgd"]);
    const bs = trial.suggestCategorical("bs", [32, 64, 128]);
    expectTypeOf(opt).toEqualTypeOf<"adam" | "sgd">();
    expectTypeOf(bs).toEqualTypeOf<32 | 64 | 128>();
    assert.equal(opt, "adam");
    assert.equal(bs, 64);
  });

  it("runs tell after ask with values, states and invalid values", async () => {
    const study = await createStudy({ ...quiet });
    const ok = await study.ask();
    ok.suggestInt("n", 1, 10);
    assert.equal((await study.tell(ok, 3)).state, "complete");
    for (const bad of [NaN, Infinity, -Infinity]) {
      const t = await study.ask();
      const frozen = await study.tell(t, bad);
      assert.equal(frozen.state, "failed");
      assert.match(frozen.failReason!, new RegExp(`objective returned ${String(bad).replace("+", "")}`));
    }
    const pruned = await study.ask();
    assert.equal((await study.tell(pruned, "pruned")).state, "pruned");
    await assert.rejects(study.tell(ok, 1), /already told|has finished/);
    assert.deepEqual(study.trials().map((t) => t.state), ["complete", "failed", "failed", "failed", "pruned"]);
  });

  it("fails trials whose objective returns a non-number or throws, storing the reason, and goes on when told to", async () => {
    const study = await createStudy({ ...quiet });
    const values: unknown[] = ["0.5", undefined, null, { v: 1 }];
    await study.optimize(((t: Trial) => {
      if (t.number === 4) throw new RangeError("exploded in layer 3");
      return values[t.number];
    }) as never, { nTrials: 6, catch: true });
    const trials = study.trials();
    assert.match(trials[0]!.failReason!, /returned "0.5", not a number/);
    assert.match(trials[1]!.failReason!, /returned undefined/);
    assert.match(trials[4]!.failReason!, /RangeError: exploded in layer 3\n\s+at /);
    assert.ok(trials.every((t) => t.state === "failed"));
  });

  it("stores a thrown error on the trial, then rethrows it unless caught", async () => {
    const study = await createStudy();
    await assert.rejects(
      study.optimize(() => {
        throw new TypeError("bad objective");
      }, { nTrials: 5 }),
      /bad objective/,
    );
    assert.equal(study.trials().length, 1);
    assert.match(study.trials()[0]!.failReason!, /TypeError: bad objective/);
    await study.optimize((t) => {
      if (t.number % 2) throw new RangeError("odd");
      return 1;
    }, { nTrials: 4, catch: [RangeError] });
    assert.deepEqual(study.trials().map((t) => t.state), ["failed", "failed", "complete", "failed", "complete"]);
  });

  it("marks trials pruned when the objective throws TrialPruned, keeping their curve", async () => {
    const study = await createStudy();
    await study.optimize((t) => {
      t.report(0.9, 0);
      t.report(0.8, 1);
      if (!t.shouldPrune()) throw new TrialPruned();
      return 0;
    }, { nTrials: 2 });
    const [first] = study.trials();
    assert.equal(first!.state, "pruned");
    assert.deepEqual([...first!.intermediateValues], [[0, 0.9], [1, 0.8]]);
  });

  it("stores several metrics per step with the curve, in memory and after reloading from SQLite, pruned trials too", async () => {
    const dir = tempDir("scaletune-metrics-");
    try {
      const storage = `sqlite:${dir.file("metrics.db")}`;
      const study = await createStudy({ name: "metrics", storage, ...quiet });
      await study.optimize((t) => {
        for (let step = 1; step <= 3; step++) t.report(1 / step, step, { accuracy: 0.5 + step / 10, "grad norm": 10 * step });
        if (t.number === 0) throw new TrialPruned();
        return 1 / 3;
      }, { nTrials: 2 });
      const reloaded = await loadStudy({ name: "metrics", storage, ...quiet });
      for (const trials of [study.trials(), reloaded.trials()]) {
        assert.deepEqual(trials.map((t) => t.state), ["pruned", "complete"]);
        for (const trial of trials) {
          assert.deepEqual([...trial.intermediateValues], [[1, 1], [2, 0.5], [3, 1 / 3]]);
          assert.deepEqual([...trial.intermediateMetrics.keys()].sort(), ["accuracy", "grad norm"]);
          assert.deepEqual([...trial.intermediateMetrics.get("grad norm")!], [[1, 10], [2, 20], [3, 30]]);
        }
      }
      await reloaded.close();
      await study.close();
    } finally {
      dir.remove();
    }
  });

  it("rejects malformed metrics with the fix in the message", async () => {
    const study = await createStudy(quiet);
    const trial = await study.ask();
    assert.throws(() => trial.report(1, 0, { "": 1 }), /non-empty names/);
    assert.throws(() => trial.report(1, 0, { acc: "high" as never }), /metric "acc" must be a number/);
    assert.throws(() => trial.report(1, 0, [1] as never), /object of named numbers/);
    const fixed = new FixedTrial({});
    fixed.report(0.5, 2, { acc: 0.9 });
    assert.deepEqual([...fixed.intermediateMetrics.get("acc")!], [[2, 0.9]]);
  });

  it("evaluates enqueued trials first, with their values", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 5 }) });
    await study.enqueueTrial({ lr: 0.01, opt: "sgd" });
    await study.enqueueTrial({ lr: 0.5, opt: "adam" });
    await study.optimize((t) => t.suggestFloat("lr", 1e-4, 1, { log: true }) + (t.suggestCategorical("opt", ["sgd", "adam"]) === "sgd" ? 0 : 1), {
      nTrials: 3,
    });
    assert.deepEqual(study.trials().slice(0, 2).map((t) => t.params), [{ lr: 0.01, opt: "sgd" }, { lr: 0.5, opt: "adam" }]);
  });

  it("asks the storage for a queued trial only when it knows of one, and takes one another study queued", async () => {
    const storage = new MemoryStorage();
    let lookups = 0;
    const startWaitingTrial = storage.startWaitingTrial.bind(storage);
    storage.startWaitingTrial = (...args) => (lookups++, startWaitingTrial(...args));
    const study = await createStudy({ name: "q", storage, sampler: new RandomSampler({ seed: 5 }) });
    const objective = (t: Trial) => t.suggestFloat("x", 0, 1);
    await study.optimize(objective, { nTrials: 3 });
    assert.equal(lookups, 0);
    const other = await createStudy({ name: "q", storage, loadIfExists: true });
    await other.enqueueTrial({ x: 0.25 });
    await study.optimize(objective, { nTrials: 1 });
    assert.equal(lookups, 1);
    assert.equal(study.trial(3)?.params.x, 0.25);
  });

  it("fails an enqueued trial whose value lies outside the range, naming the parameter", async () => {
    const study = await createStudy({ ...quiet });
    await study.enqueueTrial({ lr: 5 });
    await study.optimize((t) => t.suggestFloat("lr", 1e-4, 1, { log: true }), { nTrials: 1, catch: true });
    assert.match(study.trials()[0]!.failReason!, /enqueued value 5 for parameter "lr" is not in float \[0.0001, 1\] log/);
  });

  it("runs trials concurrently without duplicate numbers, and calls callbacks per trial", async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 6 }) });
    let active = 0;
    let peak = 0;
    const seen: number[] = [];
    await study.optimize(
      async (t) => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return t.suggestFloat("x", 0, 1);
      },
      { nTrials: 20, concurrency: 4, callbacks: [(_s, t) => void seen.push(t.number)] },
    );
    assert.equal(peak, 4);
    assert.deepEqual(seen.sort((a, b) => a - b), [...Array(20).keys()]);
  });

  it("stops at the timeout and when stop() is called", async () => {
    const study = await createStudy();
    const started = Date.now();
    await study.optimize(async () => {
      await new Promise((r) => setTimeout(r, 10));
      return 1;
    }, { timeoutMs: 100 });
    assert.ok(Date.now() - started < 1000);
    assert.ok(study.trials().length >= 3 && study.trials().length <= 15);
    const stopping = await createStudy();
    await stopping.optimize((t) => {
      if (t.number === 4) stopping.stop();
      return 0;
    });
    assert.equal(stopping.trials().length, 5);
  });

  it("rejects invalid options with a clear message", async () => {
    const study = await createStudy();
    await assert.rejects(study.optimize(() => 1, { nTrials: 0 }), /nTrials must be a positive integer/);
    await assert.rejects(study.optimize(() => 1, { concurrency: 1.5 }), /concurrency must be a positive integer/);
    await assert.rejects(createStudy({ direction: "up" as never }), /direction must be "minimize" or "maximize"/);
    await assert.rejects(createStudy({ direction: "minimize", directions: ["minimize"] }), /either direction or directions/);
  });

  it("runs the same objective with a FixedTrial, with clear errors for missing or out-of-range values", () => {
    const objective = (t: FixedTrial) => t.suggestFloat("x", 0, 10) * (t.suggestCategorical("sign", [1, -1]) as number);
    assert.equal(objective(new FixedTrial({ x: 3, sign: -1 })), -3);
    assert.throws(() => objective(new FixedTrial({ x: 3 })), /no value for parameter "sign"/);
    assert.throws(() => objective(new FixedTrial({ x: 30, sign: 1 })), /value 30 for parameter "x" is not in float \[0, 10\]/);
  });

  it("records a trial's scale for scaling laws, refusing sizes that are not positive", async () => {
    const study = await createStudy(quiet);
    await study.optimize((t) => {
      t.setScale({ N: 1.2e8, D: 2.4e9 });
      return t.suggestFloat("lr", 1e-4, 1e-1, { log: true });
    }, { nTrials: 1 });
    assert.deepEqual(study.trials()[0]!.userAttrs.scale, { N: 1.2e8, D: 2.4e9 });
    const fixed = new FixedTrial({});
    fixed.setScale({ width: 256 });
    assert.deepEqual(fixed.userAttrs.scale, { width: 256 });
    assert.throws(() => fixed.setScale({ N: 0 }), (e) => e instanceof ConfigError && /N must be a positive finite number, got 0/.test(e.message));
    assert.throws(() => fixed.setScale({}), /at least one size/);
  });

  it("has a Pareto front for several objectives and refuses a single best", async () => {
    const study = await createStudy({ directions: ["minimize", "maximize"] });
    for (const values of [[1, 1], [2, 3], [3, 2], [0.5, 0]]) {
      const t = await study.ask();
      await study.tell(t, values);
    }
    assert.deepEqual(study.bestTrials.map((t) => t.values).sort(), [[0.5, 0], [1, 1], [2, 3]].sort());
    assert.throws(() => study.bestTrial, /2 objectives; use bestTrials/);
    const wrong = await study.ask();
    assert.equal((await study.tell(wrong, 1)).state, "failed");
  });
});

describe("study: grid sampler", () => {
  it("visits every grid point exactly once, then stops", async () => {
    const study = await createStudy({ sampler: new GridSampler({ a: [1, 2, 3], b: ["x", "y"] }, { seed: 1 }) });
    await study.optimize((t) => t.suggestInt("a", 1, 3) + (t.suggestCategorical("b", ["x", "y"]) === "x" ? 0 : 10), { nTrials: 100, concurrency: 3 });
    const points = study.trials().map((t) => `${t.params.a}${t.params.b}`);
    assert.equal(points.length, 6);
    assert.deepEqual(new Set(points), new Set(["1x", "1y", "2x", "2y", "3x", "3y"]));
  });

  it("shares the grid between two studies objects on one SQLite file without repeats", async () => {
    const dir = tempDir();
    const storage = `sqlite:${dir.file("g.db")}`;
    const grid = { x: [...Array(30).keys()] };
    const a = await createStudy({ name: "g", storage, sampler: new GridSampler(grid, { seed: 1 }) });
    const b = await loadStudy({ name: "g", storage, sampler: new GridSampler(grid, { seed: 1 }) });
    const objective = async (t: Trial) => {
      await new Promise((r) => setTimeout(r, 1));
      return t.suggestInt("x", 0, 29);
    };
    await Promise.all([a.optimize(objective, { concurrency: 2 }), b.optimize(objective, { concurrency: 2 })]);
    await a.refresh();
    const xs = a.trials().map((t) => t.params.x as number).sort((p, q) => p - q);
    assert.deepEqual(xs, grid.x);
    await a.close();
    await b.close();
    dir.remove();
  });
});

describe("study: storage life cycle", () => {
  it("creates, loads, lists and deletes studies in SQLite; a missing study names the existing ones", async () => {
    const dir = tempDir();
    const storage = `sqlite:${dir.file("s.db")}`;
    const study = await createStudy({ name: "mine", storage, direction: "maximize" });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 10 });
    await study.setUserAttr("dataset", "digits");
    const loaded = await loadStudy({ name: "mine", storage });
    assert.equal(loaded.trials().length, 10);
    assert.equal(loaded.bestValue, study.bestValue);
    assert.deepEqual(loaded.directions, ["maximize"]);
    assert.equal(loaded.userAttrs.dataset, "digits");
    assert.equal(loaded.systemAttrs.sampler, "auto");
    await assert.rejects(createStudy({ name: "mine", storage }), /already exists/);
    const again = await createStudy({ name: "mine", storage, loadIfExists: true });
    assert.equal(again.trials().length, 10);
    await assert.rejects(createStudy({ name: "mine", storage, loadIfExists: true, direction: "minimize" }), /exists with directions maximize/);
    await assert.rejects(loadStudy({ name: "nope", storage }), (e: Error) => e instanceof StudyNotFoundError && /its studies: mine/.test(e.message));
    assert.deepEqual((await listStudies(storage)).map((s) => [s.name, s.counts.complete]), [["mine", 10]]);
    await deleteStudy({ name: "mine", storage });
    assert.deepEqual(await listStudies(storage), []);
    await assert.rejects(deleteStudy({ name: "mine", storage }), /does not exist/);
    for (const s of [study, loaded, again]) await s.close();
    dir.remove();
  });

  it("fails a trial whose worker died (no heartbeat) and retries its parameters once", async () => {
    const dir = tempDir();
    const storage = `sqlite:${dir.file("h.db")}`;
    const heartbeat = { intervalMs: 1, staleAfterMs: 30, retries: 1 };
    const dead = await createStudy({ name: "h", storage, heartbeat, ...quiet });
    const orphan = await dead.ask();
    orphan.suggestFloat("x", 0, 1);
    await new Promise((r) => setTimeout(r, 5)); // let the buffered parameter reach storage
    const x = orphan.params.x;
    // The "dead" worker stops beating and never tells (closing stops its heartbeat); another worker notices after
    // staleAfterMs. Its process lives on, so only the heartbeat can tell.
    await dead.close();
    await new Promise((r) => setTimeout(r, 60));
    const survivor = await loadStudy({ name: "h", storage, heartbeat, ...quiet });
    await survivor.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
    const trials = survivor.trials();
    assert.equal(trials[0]!.state, "failed");
    assert.match(trials[0]!.failReason!, /no heartbeat/);
    assert.equal(trials[1]!.params.x, x, "the retry re-runs the lost configuration");
    assert.deepEqual(trials[1]!.systemAttrs.retry_of, { number: 0, depth: 1 });
    await survivor.close();
    dir.remove();
  });

  it("on interrupt marks running trials failed and queues them for the next run", async () => {
    const study = await createStudy({ ...quiet });
    const running = study.optimize(async (t) => {
      t.suggestFloat("x", 0, 1);
      await new Promise((r) => setTimeout(r, 50));
      return 1;
    }, { nTrials: 5, concurrency: 2, catch: true });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(await study.interrupt("interrupted by the user"), 2);
    await running.catch(() => {});
    const failed = study.trials({ states: ["failed"] });
    assert.equal(failed.length, 2);
    assert.ok(failed.every((t) => t.failReason === "interrupted by the user"));
    assert.equal(study.trials({ states: ["waiting"] }).length, 2);
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 2 });
    const reruns = study.trials().filter((t) => t.systemAttrs.retry_of);
    assert.deepEqual(reruns.map((t) => t.params.x).sort(), failed.map((t) => t.params.x).sort());
  });

  it("rejects ConfigError-worthy names", async () => {
    await assert.rejects(createStudy({ name: "  " }), ConfigError);
  });
});

describe("study: workers starting together", () => {
  it("lets concurrent createStudy({ loadIfExists }) calls on a new file all end up on one study", async () => {
    const dir = tempDir();
    const storage = `sqlite:${dir.file("race.db")}`;
    const studies = await Promise.all(Array.from({ length: 4 }, () => createStudy({ name: "race", storage, loadIfExists: true })));
    assert.equal(new Set(studies.map((s) => s.id)).size, 1);
    for (const s of studies) await s.close();
    dir.remove();
  });
});

describe("study: workers in several processes", () => {
  it("does not let two workers that draw at the same moment run the same proposal", async () => {
    const dir = tempDir();
    const storage = `sqlite:${dir.file("twins.db")}`;
    // Proposes 0.5 unless a running trial holds it; both workers draw before either has stored its draw.
    const sampler: Sampler = {
      name: "first-free",
      inferRelativeSearchSpace: () => ({ x: floatDistribution("x", 0, 1) }),
      async sampleRelative(study, trial) {
        await new Promise((r) => setTimeout(r, 20));
        const held = new Set(study.trials({ states: ["running"] }).filter((t) => t.id !== trial.id).map((t) => t.internalParams.x));
        return { x: [0.5, 0.25, 0.75].find((x) => !held.has(x))! };
      },
      sampleIndependent: () => 0.1,
    };
    const a = await createStudy({ name: "twins", storage, sampler, loadIfExists: true, ...quiet });
    const b = await loadStudy({ name: "twins", storage, sampler, ...quiet });
    const [ta, tb] = await Promise.all([a.ask(), b.ask()]);
    assert.notEqual(ta.suggestFloat("x", 0, 1), tb.suggestFloat("x", 0, 1));
    await a.tell(ta, 1);
    await b.tell(tb, 1);
    for (const s of [a, b]) await s.close();
    dir.remove();
  });

  it("fails and retries at once the trial of a worker killed on this machine, without waiting for its heartbeat", async () => {
    const dir = tempDir();
    const storage = `sqlite:${dir.file("killed.db")}`;
    const worker = `
      import { createStudy } from ${JSON.stringify(new URL("../index.ts", import.meta.url).href)};
      const study = await createStudy({ name: "k", storage: ${JSON.stringify(storage)}, loadIfExists: true });
      const trial = await study.ask();
      const x = trial.suggestFloat("x", 0, 1);
      await new Promise((r) => setTimeout(r, 50));
      process.stdout.write("running " + x + "\\n");
      await new Promise(() => {});`;
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), "--input-type=module", "-e", worker]);
    const x = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => resolve(Number(/running ([\d.e-]+)/.exec(chunk.toString())?.[1])));
      child.on("exit", (code) => reject(new Error(`the worker exited (${code}) before running its trial`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    const warnings: string[] = [];
    const survivor = await loadStudy({ name: "k", storage, warn: (m) => warnings.push(m) });
    await survivor.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
    const [killed, retry] = survivor.trials();
    assert.equal(killed!.state, "failed");
    assert.match(killed!.failReason!, new RegExp(`its worker .*:${child.pid} is gone`));
    assert.equal(retry!.params.x, x, "the retry runs the killed trial's configuration, first");
    assert.equal(retry!.state, "complete");
    assert.match(warnings.join("\n"), /trial 0 lost its worker/);
    await survivor.close();
    dir.remove();
  });
});

describe("study: a sampler's joint proposal", () => {
  /** Proposes `values` jointly for x (an integer in 0..10) once x has been seen. */
  const joint = (value: number): Sampler => {
    const random = new RandomSampler({ seed: 3 });
    return {
      name: "joint",
      inferRelativeSearchSpace: (study) => (study.trials().length > 0 ? { ...study.trials()[0]!.distributions } : {}),
      sampleRelative: async () => ({ x: value }),
      sampleIndependent: (study, trial, name, distribution) => random.sampleIndependent(study, trial, name, distribution),
    };
  };
  const objective = (trial: Trial) => trial.suggestInt("x", 0, 10);

  it("is snapped onto the distribution (steps, bounds), as an independent one is", async () => {
    for (const [proposed, stored] of [[2.6, 3], [99, 10]] as const) {
      const study = await createStudy({ sampler: joint(proposed) });
      await study.optimize(objective, { nTrials: 2 });
      assert.equal(study.trials()[1]!.params.x, stored, `proposed ${proposed}`);
    }
  });

  it("is replaced by what the objective suggests, even when it suggests nothing", async () => {
    const study = await createStudy({ sampler: joint(4) });
    await study.optimize(objective, { nTrials: 1 });
    await study.optimize(() => 1, { nTrials: 1 });
    assert.deepEqual(study.trials()[1]!.params, {});
  });

  it("is refused when it is not a number, naming the sampler", async () => {
    const study = await createStudy({ sampler: joint(NaN) });
    await study.optimize(objective, { nTrials: 1 });
    await assert.rejects(study.optimize(objective, { nTrials: 1 }), /sampler joint proposed NaN for "x", outside/);
    assert.equal(study.trials()[1]!.state, "failed");
  });
});
