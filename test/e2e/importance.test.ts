/**
 * End-to-end tests of `scaletune importance` through the built CLI, on a study stored in SQLite beforehand.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RandomSampler, createStudy } from "../../src/index.js";
import { tempDir, type TempDir } from "../../src/testing/temp.js";
import { cli } from "../reliability/cli-process.js";

describe("scaletune importance", () => {
  let dir: TempDir;
  before(async () => {
    dir = tempDir();
    const storage = `sqlite:${dir.file("scaletune.db")}`;
    const study = await createStudy({ name: "lr", storage, sampler: new RandomSampler({ seed: 0 }) });
    // lr decides almost everything; width a little; seed nothing.
    await study.optimize(
      (t) => Math.log10(t.suggestFloat("lr", 1e-4, 1, { log: true })) ** 2 + 0.1 * t.suggestInt("width", 1, 8) + 0 * t.suggestInt("seed", 0, 9),
      { nTrials: 120 },
    );
    await study.close();
    const pair = await createStudy({ name: "pair", storage, directions: ["minimize", "maximize"], sampler: new RandomSampler({ seed: 0 }) });
    await pair.optimize((t) => [t.suggestFloat("x", 0, 1), t.suggestFloat("y", 0, 1)], { nTrials: 40 });
    await pair.close();
  });
  after(() => dir.remove());

  it("prints the parameters most important first, with bars", () => {
    const run = cli(["importance", "--study", "lr"], dir.path);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /fANOVA.*120 complete trials/);
    const rows = run.stdout.split("\n").slice(3).filter(Boolean);
    assert.deepEqual(rows.map((r) => r.split(/\s+/)[0]), ["lr", "width", "seed"]);
    assert.match(rows[0]!, /^lr\s+(0\.9\d\d|1\.000)\s+█{27,30}\s/);
  });

  it("prints the report as JSON, the same for the same seed, by either method", () => {
    const json = (args: string[]) => JSON.parse(cli(["importance", "--study", "lr", "--json", ...args], dir.path).stdout) as {
      method: string;
      trials: number;
      params: { name: string; importance: number }[];
    };
    const fanova = json(["--seed", "7"]);
    assert.deepEqual(json(["--seed", "7"]), fanova);
    assert.equal(fanova.trials, 120);
    assert.ok(Math.abs(fanova.params.reduce((s, p) => s + p.importance, 0) - 1) < 1e-9);
    const ped = json(["--method", "ped-anova"]);
    assert.equal(ped.method, "ped-anova");
    assert.equal(ped.params[0]!.name, "lr");
  });

  it("takes an objective's index for a study with several, and says what is wrong in one line", () => {
    assert.equal(JSON.parse(cli(["importance", "--study", "pair", "--target", "1", "--json"], dir.path).stdout).params[0].name, "y");
    const cases: [string[], RegExp][] = [
      [["--study", "pair"], /^scaletune: error: the study has 2 objectives: pass target/],
      [["--study", "ghost"], /^scaletune: error: study "ghost" does not exist/],
      [["--study", "lr", "--method", "shap"], /argument 'shap' is invalid\. expected fanova or ped-anova/],
    ];
    for (const [args, message] of cases) {
      const run = cli(["importance", ...args], dir.path);
      assert.equal(run.status, 1);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    }
  });
});
