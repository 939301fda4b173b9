/**
 * The pages for people extending scaletune (docs/extending/*.md) show code that works. Every TypeScript block on
 * them is marked on the line above: `<!-- example: name.ts -->`, a file of test/extending/ (the file is the page's
 * blocks with that mark, in order, joined by a blank line); `<!-- interface: src/… -->`, an interface quoted from
 * that source file (each of its lines is there); or `<!-- sketch -->`, not run. This file runs the example files as a
 * user would: the conformance suites on the example samplers, pruner and storage, and each page's short study. The
 * examples import scaletune by its package name, which resolves to this package itself (its dist/, which npm test
 * builds first).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createStudy, MemoryStorage, RandomSampler, type Pruner, type Sampler, type Trial } from "scaletune";
import * as attributes from "../src/core/attributes.js";
import { fencedBlocks } from "./docs/markdown.js";
import { JointLocalSearchSampler } from "./extending/joint-local-search-sampler.js";
import { LocalSearchSampler } from "./extending/local-search-sampler.js";
import { narrowedView } from "./extending/narrowed-view.js";
import "./extending/samplers.conformance.js";
import "./extending/top-k-pruner.conformance.js";
import "./extending/logging-storage.conformance.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const PAGES = ["sampler", "pruner", "storage"].map((name) => `docs/extending/${name}.md`);
const EXAMPLES = join(REPO, "test/extending");

interface MarkedBlock {
  readonly page: string;
  readonly line: number;
  /** The example file the block belongs to, or null. */
  readonly file: string | null;
  /** The source file an interface block quotes, or null. */
  readonly quotes: string | null;
  readonly text: string;
}

/** The TypeScript blocks of a page with their marks; throws on a block without one. */
function markedBlocks(page: string): MarkedBlock[] {
  const markdown = readFileSync(join(REPO, page), "utf8");
  const lines = markdown.split("\n");
  return fencedBlocks(markdown)
    .filter((block) => block.language === "ts" || block.language === "typescript")
    .map((block) => {
      const above = lines[block.line - 2]?.trim() ?? "";
      const at = { page, line: block.line, text: block.text };
      const example = /^<!-- example: ([\w.-]+\.ts) -->$/.exec(above);
      if (example) return { ...at, file: example[1]!, quotes: null };
      const quoted = /^<!-- interface: (src\/[\w./-]+\.ts) -->$/.exec(above);
      if (quoted) return { ...at, file: null, quotes: quoted[1]! };
      if (above === "<!-- sketch -->") return { ...at, file: null, quotes: null };
      throw new Error(`${page}:${block.line}: a TypeScript block without <!-- example: file.ts -->, <!-- interface: src/file.ts --> or <!-- sketch --> above it`);
    });
}

describe("the extending pages", () => {
  const blocks = PAGES.flatMap(markedBlocks);

  it("show every example file whole: its marked blocks, in order, are the file", () => {
    const files = readdirSync(EXAMPLES).filter((name) => name.endsWith(".ts")).sort();
    const shown = [...new Set(blocks.flatMap((b) => (b.file === null ? [] : [b.file])))].sort();
    assert.deepEqual(shown, files, "every file of test/extending/ is shown on a page, and every example shown is a file there");
    for (const file of files) {
      const parts = blocks.filter((b) => b.file === file);
      const where = parts.map((b) => `${b.page}:${b.line}`).join(", ");
      assert.equal(`${parts.map((b) => b.text).join("\n\n")}\n`, readFileSync(join(EXAMPLES, file), "utf8"), `${file} differs from its blocks (${where})`);
    }
  });

  it("quote interfaces as their source declares them", () => {
    for (const block of blocks.filter((b) => b.quotes !== null)) {
      const source = readFileSync(join(REPO, block.quotes!), "utf8");
      const missing = block.text.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !source.includes(line));
      assert.deepEqual(missing, [], `${block.page}:${block.line} quotes ${block.quotes}`);
    }
  });

  it("import scaletune only as users can: from the package and its testing kit", () => {
    for (const block of blocks.filter((b) => b.file !== null)) {
      for (const [, from] of block.text.matchAll(/from "([^"]+)"/g)) {
        assert.ok(["scaletune", "scaletune/testing"].includes(from!) || from!.startsWith("./"), `${block.page}:${block.line} imports ${from}`);
      }
    }
  });

  it("list every attribute key, claim and metric prefix scaletune writes, so that extensions choose others", () => {
    const page = readFileSync(join(REPO, "docs/extending/sampler.md"), "utf8");
    const values: readonly unknown[] = Object.values(attributes);
    const keys = [...values.filter((value) => typeof value === "string"), ...Object.values(attributes.LEGACY_KEYS)] as string[];
    // A key owned by a sampler or pruner is listed by its owner (`cmaes:`), the study's own keys by themselves.
    const listed = keys.map((key) => (key.includes(":") ? key.slice(0, key.indexOf(":") + 1) : key));
    const missing = [...new Set(listed)].filter((key) => !page.includes(`\`${key}\``));
    assert.deepEqual(missing, [], "docs/extending/sampler.md must list these in its table of the keys scaletune uses");
  });
});

describe("the extending pages' studies", () => {
  it("local search: the joint sampler finds the optimum's region and the right choice", async (t) => {
    const printed = t.mock.method(console, "log", () => {});
    const { study } = await import("./extending/local-search-study.js");
    assert.equal(study.trials({ states: ["complete"] }).length, 80);
    assert.equal(study.bestParams.kind, "b");
    assert.ok(study.bestValue < 0.5, `best value ${study.bestValue}`);
    assert.equal(printed.mock.callCount(), 1);
  });

  it("Latin hypercube: two workers share one design, each slot run once, and stop when it is used up", async (t) => {
    const printed = t.mock.method(console, "log", () => {});
    const { workers, results } = await import("./extending/lhs-workers.js");
    assert.deepEqual(results.map((r) => r.stoppedBecause), ["exhausted", "exhausted"]);
    assert.ok(results.every((r) => r.started > 0), JSON.stringify(results));
    await workers[0]!.refresh();
    const trials = workers[0]!.trials();
    assert.equal(trials.length, 20);
    assert.equal(results[0]!.started + results[1]!.started, 20);
    const slots = trials.map((trial) => (trial.systemAttrs["lhs:slot"] as { slot: number }).slot).sort((a, b) => a - b);
    assert.deepEqual(slots, Array.from({ length: 20 }, (_, i) => i));
    // Latin: each of a parameter's 20 strata holds one trial.
    const strata = new Set(trials.map((trial) => Math.floor(((Math.log10(trial.params.lr as number) + 5) / 5) * 20)));
    assert.equal(strata.size, 20);
    assert.equal(printed.mock.callCount(), 1);
  });

  it("top-k: the pruner stops some trials and lets the best finish", async (t) => {
    const printed = t.mock.method(console, "log", () => {});
    const { study } = await import("./extending/top-k-study.js");
    assert.equal(study.counts.complete + study.counts.pruned, 40);
    assert.ok(study.counts.pruned > 0 && study.counts.complete >= 5, JSON.stringify(study.counts));
    assert.equal(printed.mock.callCount(), 1);
  });

  it("logging storage: the study's calls go through it, one createTrial and one updateTrial per trial", async (t) => {
    const printed = t.mock.method(console, "log", () => {});
    const { calls } = await import("./extending/logging-study.js");
    assert.equal(calls.createTrial, 20);
    assert.equal(calls.updateTrial, 20);
    assert.ok((calls.readChanges ?? 0) <= 3 * 20, JSON.stringify(calls));
    assert.equal(printed.mock.callCount(), 1);
  });

  it("local search: the joint step beats one parameter at a time with eight parameters, as the sampler page says", async () => {
    const page = readFileSync(join(REPO, "docs/extending/sampler.md"), "utf8").replace(/\s+/g, " ");
    const stated = /was ([\d.]+) one at a time and ([\d.]+) with the joint step \(random search: ([\d.]+);/.exec(page);
    assert.ok(stated, "docs/extending/sampler.md no longer states the comparison");
    const objective = (trial: Trial): number => {
      let sum = 0;
      for (let i = 0; i < 8; i++) sum += (trial.suggestFloat(`x${i}`, -5, 5) - 1) ** 2;
      return sum + (trial.suggestCategorical("k", ["a", "b", "c"]) === "b" ? 0 : 1);
    };
    const median = async (sampler: (seed: number) => Sampler): Promise<string> => {
      const best: number[] = [];
      for (let seed = 1; seed <= 10; seed++) {
        const study = await createStudy({ sampler: sampler(seed) });
        await study.optimize(objective, { nTrials: 150 });
        best.push(study.bestValue);
      }
      best.sort((a, b) => a - b);
      return ((best[4]! + best[5]!) / 2).toFixed(2);
    };
    const measured = [
      await median((seed) => new LocalSearchSampler({ seed })),
      await median((seed) => new JointLocalSearchSampler({ seed })),
      await median((seed) => new RandomSampler({ seed })),
    ];
    assert.deepEqual(measured, stated.slice(1));
  });

  it("narrowed view: the sampler sees only the kept trials, in arrays that stay the same until a trial changes", async () => {
    const seen: number[][] = [];
    const arrays = new Set<unknown>();
    const random = new RandomSampler({ seed: 3 });
    const sampler: Sampler = {
      name: "recording",
      sampleIndependent(study, trial, name, distribution) {
        seen.push(study.trials().map((t) => t.number));
        arrays.add(study.trials());
        arrays.add(study.trials());
        return random.sampleIndependent(study, trial, name, distribution);
      },
    };
    const pruner: Pruner = { name: "even", prune: () => false, samplerView: (study) => narrowedView(study, (t) => t.number % 2 === 0) };
    const study = await createStudy({ sampler, pruner });
    await study.optimize((trial) => trial.suggestFloat("x", 0, 1), { nTrials: 6 });
    // A trial is not among the study's trials while it is sampled: it was created after the study last read the storage.
    assert.deepEqual(seen, [[], [0], [0], [0, 2], [0, 2], [0, 2, 4]]);
    assert.equal(arrays.size, 6, "one array per call of the study's, not one per call of the view's");
  });

  it("narrowed view: a sampler that writes through it leaves the study whole (another worker's best trial is seen)", async () => {
    const storage = new MemoryStorage();
    const random = new RandomSampler({ seed: 1 });
    const sampler: Sampler = {
      name: "writing",
      sampleIndependent(study, trial, name, distribution) {
        void study.setSystemAttrs({ "writing:last": trial.number });
        return random.sampleIndependent(study, trial, name, distribution);
      },
    };
    const pruner: Pruner = { name: "all", prune: () => false, samplerView: (study) => narrowedView(study, () => true) };
    const a = await createStudy({ name: "s", storage, sampler, pruner });
    const b = await createStudy({ name: "s", storage, loadIfExists: true, sampler: new RandomSampler({ seed: 2 }) });
    await a.optimize((trial) => trial.suggestFloat("x", 0, 1), { nTrials: 1 });
    await a.optimize(
      async (trial) => {
        await b.optimize(() => -1, { nTrials: 1 }); // another worker finishes the best trial while this one runs
        return trial.suggestFloat("x", 0, 1);
      },
      { nTrials: 1 },
    );
    await a.refresh();
    assert.equal(a.bestValue, -1);
  });
});
