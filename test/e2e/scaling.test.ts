/**
 * End-to-end tests of `scaletune scaling` through the built CLI (run `npm run build` first; npm test does).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { RandomSampler } from "../../src/samplers/random.js";
import { createStudy } from "../../src/study/api.js";
import { tempDir, type TempDir } from "../../src/testing/temp.js";

const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));

function cli(args: readonly string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs from L = 1.7 + 400/N^0.33 + 1500/D^0.3, C = 6ND, with column names that have spaces. */
function runsCsv(): string {
  const rows = ['"Model Size","Training FLOP",final loss'];
  for (const N of [1e7, 3e7, 1e8, 3e8, 1e9, 3e9]) {
    for (const D of [1e9, 1e10, 1e11]) rows.push(`${N},${6 * N * D},${1.7 + 400 / N ** 0.33 + 1500 / D ** 0.3}`);
  }
  return rows.join("\n");
}

/**
 * An operator's sweep: learning rate and batch size around Step Law's optima at 12 scales, with a raw and a smoothed
 * loss column and the batch size in a column named "bs".
 */
function sweepCsv(): string {
  const eta = (N: number, D: number) => 1.79 * N ** -0.713 * D ** 0.307;
  const batch = (D: number) => 0.58 * D ** 0.571;
  const rows = ["N,D,lr,bs,loss,smooth loss"];
  for (const N of [1e7, 3e7, 1e8, 3e8]) {
    for (const D of [1e9, 4e9, 1.6e10]) {
      for (let i = -3; i <= 3; i++) {
        for (let j = -2; j <= 2; j++) {
          const lr = eta(N, D) * 2 ** (i / 2 + 0.1);
          const bs = Math.round(batch(D) * 2 ** (j / 2 + 0.1));
          const loss = 3 * (1 + 0.05 * Math.log(lr / eta(N, D)) ** 2 + 0.02 * Math.log(bs / batch(D)) ** 2);
          rows.push(`${N},${D},${lr},${bs},${loss},${loss * 1.001}`);
        }
      }
    }
  }
  return rows.join("\n");
}

describe("scaletune scaling", () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir("scaletune-scaling-");
    writeFileSync(join(dir.path, "runs.csv"), runsCsv());
    writeFileSync(join(dir.path, "empty.csv"), "");
    writeFileSync(join(dir.path, "blank.csv"), "\n  \n\n");
    writeFileSync(join(dir.path, "sweep.csv"), sweepCsv());
  });
  after(() => dir.remove());

  it("fits a law to a CSV with named columns, saves it, and allocates compute from the saved fit", () => {
    const columns = "N=Model Size,C=Training FLOP,loss=final loss";
    const fit = cli(["scaling", "fit", "runs.csv", "--columns", columns, "--law", "chinchilla", "--json", "--out", "fit.json", "--compute", "1e21"], dir.path);
    assert.equal(fit.status, 0, fit.stderr);
    const report = JSON.parse(fit.stdout);
    assert.ok(Math.abs(report.parameters.alpha - 0.33) < 1e-4 && Math.abs(report.parameters.beta - 0.3) < 1e-4, JSON.stringify(report.parameters));
    assert.ok(Math.abs(report.allocationExponents.a - 0.3 / 0.63) < 1e-4);
    assert.deepEqual(Object.keys(report.derived), ["N_opt at C=1.000e+21", "D_opt at C=1.000e+21", "loss at C=1.000e+21"]);
    assert.deepEqual(report.checklist.map((c: { item: string }) => c.item), ["form", "variables", "data", "loss", "optimiser", "initialisation", "uncertainty", "validation"]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir.path, "fit.json"), "utf8")).parameters, report.parameters);

    const optimal = cli(["scaling", "optimal", "--fit", "fit.json", "--compute", "1e21", "--json"], dir.path);
    assert.equal(optimal.status, 0, optimal.stderr);
    const [allocation] = JSON.parse(optimal.stdout).allocations;
    assert.ok(Math.abs(allocation.N / report.derived["N_opt at C=1.000e+21"].estimate - 1) < 1e-9);
  });

  it("prints intervals, held-out errors and the fit report as text", () => {
    const r = cli(["scaling", "fit", "runs.csv", "--columns", "N=Model Size,C=Training FLOP,loss=final loss", "--bootstrap", "20", "--holdout-largest", "1", "--report", "fit.html"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    const html = readFileSync(join(dir.path, "fit.html"), "utf8");
    assert.match(html, /^<!doctype html>/);
    assert.equal(html.match(/<svg /g)?.length, 2);
    assert.match(r.stdout, /95 % interval/);
    assert.match(r.stdout, /held out 3 runs at the largest size: mean \|error\| 0\.00 %/);
    assert.match(r.stdout, /variables: loss: column "final loss"; N: column "Model Size"; D = tokens from compute column "Training FLOP" by C = 6ND/);
  });

  it("fits hyperparameter laws from tuning runs and sets them beside the published ones", () => {
    // Grid searches around Step Law's optima at 12 scales, with the columns named freely.
    const eta = (N: number, D: number) => 1.79 * N ** -0.713 * D ** 0.307;
    const rows = ["params,tokens,learning rate,val loss"];
    for (const N of [1e7, 3e7, 1e8, 3e8]) {
      for (const D of [1e9, 4e9, 1.6e10]) {
        for (let i = -4; i <= 4; i++) {
          const lr = eta(N, D) * 2 ** (i / 2 + 0.1);
          rows.push(`${N},${D},${lr},${3 * (1 + 0.05 * Math.log(lr / eta(N, D)) ** 2)}`);
        }
      }
    }
    writeFileSync(join(dir.path, "tuning.csv"), rows.join("\n"));
    const args = ["scaling", "hparams", "tuning.csv", "--columns", "N=params,D=tokens,lr=learning rate,loss=val loss", "--target", "N=1e9,D=1e11"];
    const r = cli([...args, "--json", "--bootstrap", "20"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.ok(Math.abs(out.laws.learningRate.law.exponents.N + 0.713) < 1e-6 && Math.abs(out.laws.learningRate.law.exponents.D - 0.307) < 1e-6);
    assert.ok(Math.abs(out.published["step-law-lr"].value - 1.6325e-3) < 1e-6);
    const text = cli([...args, "--bootstrap", "20"], dir.path);
    assert.match(text.stdout, /108 runs in 12 scale groups/);
    assert.match(text.stdout, /learningRate +[\d.]+ · N\^-0\.7130 · D\^0\.3070/);
    writeFileSync(join(dir.path, "no-hparams.csv"), "params,val loss\n1e8,3\n");
    const bad = cli(["scaling", "hparams", "no-hparams.csv", "--target", "N=1e9"], dir.path);
    assert.match(bad.stderr, /no hyperparameter column; name them with --columns lr=COLUMN/);
  });

  it("prints a parameterisation table a training script can apply", () => {
    const r = cli(["scaling", "mup", "--base", "mlp:inputs=64,width=256,layers=3,outputs=10", "--target", "mlp:inputs=64,width=1024,layers=3,outputs=10", "--param", "muP", "--optimizer", "adamw", "--json"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    const table = JSON.parse(r.stdout);
    const byName = Object.fromEntries(table.layers.map((l: { name: string }) => [l.name, l]));
    assert.equal(byName["hidden1.weight"].learningRate, 0.25);
    assert.equal(byName["input.weight"].learningRate, 1);
    assert.equal(byName["output.weight"].forwardMultiplier, 0.25);
    const shape = { layers: [{ name: "w", role: "hidden", fanIn: 128, fanOut: 128 }] };
    writeFileSync(join(dir.path, "base.json"), JSON.stringify(shape));
    writeFileSync(join(dir.path, "wide.json"), JSON.stringify({ layers: [{ name: "w", role: "hidden", fanIn: 512, fanOut: 512 }] }));
    const fromFiles = cli(["scaling", "mup", "--base", "base.json", "--target", "wide.json", "--param", "u-muP", "--optimizer", "adam"], dir.path);
    assert.match(fromFiles.stdout, /w +hidden +1 +0\.5 +2 +1 +0\.5 +1/);
    const bad = cli(["scaling", "mup", "--base", "base.json", "--target", "wide.json", "--param", "completep", "--optimizer", "sgd"], dir.path);
    assert.match(bad.stderr, /CompleteP's rules are given for Adam\/AdamW only/);
  });

  it("runs a coordinate check on the demo network", () => {
    const r = cli(["scaling", "coord-check", "--param", "SP", "--widths", "128,1024", "--seeds", "1", "--json"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    const check = JSON.parse(r.stdout);
    assert.equal(check.scales.length, 2);
    assert.equal(check.flat, false);
    const text = cli(["scaling", "coord-check", "--widths", "128,512", "--seeds", "1", "--steps", "2"], dir.path);
    assert.match(text.stdout, /slope of log size against log width: layer 1 [-\d.]+, layer 2 [-\d.]+, logits/);
  });

  it("fits laws straight from a stored study whose trials know their scale", async () => {
    const storage = `sqlite:${join(dir.path, "scale.db")}`;
    const study = await createStudy({ name: "widths", storage, sampler: new RandomSampler({ seed: 1 }), warn: () => {} });
    const eta = (N: number, D: number) => 1.79 * N ** -0.713 * D ** 0.307;
    const sizes = [[1e7, 1e9], [1e7, 1e10], [1e8, 1e9], [1e8, 1e10], [1e9, 1e10], [1e9, 1e11]] as const;
    let next = 0;
    await study.optimize((trial) => {
      const [N, D] = sizes[next++ % sizes.length]!;
      trial.setScale({ N, D });
      const lr = trial.suggestFloat("lr", 1e-5, 1e-1, { log: true });
      return (1.7 + 400 / N ** 0.33 + 1500 / D ** 0.3) * (1 + 0.01 * Math.log(lr / eta(N, D)) ** 2);
    }, { nTrials: 120 });
    await study.close();
    const fitted = cli(["scaling", "fit", "--study", "widths", "--storage", storage, "--best-per-scale", "--json"], dir.path);
    assert.equal(fitted.status, 0, fitted.stderr);
    const report = JSON.parse(fitted.stdout);
    assert.equal(report.fitted, 6);
    assert.match(report.excluded[0].run, /^trial \d+$/);
    const hp = cli(["scaling", "hparams", "--study", "widths", "--storage", storage, "--target", "N=1e10,D=1e12", "--tolerance", "0.01", "--json", "--bootstrap", "20"], dir.path);
    assert.equal(hp.status, 0, hp.stderr);
    assert.deepEqual(JSON.parse(hp.stdout).laws.learningRate.law.variables, ["N", "D"]);
    const neither = cli(["scaling", "fit"], dir.path);
    assert.match(neither.stderr, /give the runs: a CSV file, or --study NAME/);
    const missing = cli(["scaling", "fit", "--study", "nope", "--storage", storage], dir.path);
    assert.match(missing.stderr, /nope/);
  });

  it("is importable as scaletune/scaling", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const script = 'const s = await import("scaletune/scaling"); console.log(Object.keys(s.LOSS_LAWS).join(","), typeof s.fitLossLaw);';
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    assert.equal(r.stdout.trim(), "power,chinchilla,kaplan function", r.stderr);
  });

  it("reads files with a byte-order mark (Excel's UTF-8 CSV, PowerShell's JSON)", () => {
    const bom = "\uFEFF";
    writeFileSync(join(dir.path, "bom.csv"), bom + runsCsv().replace('"Model Size"', "N"));
    const fit = cli(["scaling", "fit", "bom.csv", "--columns", "C=Training FLOP,loss=final loss", "--json", "--out", "bom-fit.json"], dir.path);
    assert.equal(fit.status, 0, fit.stderr);
    assert.match(JSON.parse(fit.stdout).checklist[1].answer, /N: column "N"/);
    writeFileSync(join(dir.path, "bom-fit.json"), bom + readFileSync(join(dir.path, "bom-fit.json"), "utf8"));
    const optimal = cli(["scaling", "optimal", "--fit", "bom-fit.json", "--compute", "1e21"], dir.path);
    assert.equal(optimal.status, 0, optimal.stderr);
    writeFileSync(join(dir.path, "bom-shape.json"), bom + JSON.stringify({ layers: [{ name: "w", role: "hidden", fanIn: 128, fanOut: 128 }] }));
    const mup = cli(["scaling", "mup", "--base", "bom-shape.json", "--target", "bom-shape.json"], dir.path);
    assert.equal(mup.status, 0, mup.stderr);
  });

  it("says on stderr which columns it took by their names and which it ignored; --json stays JSON", () => {
    const r = cli(["scaling", "hparams", "sweep.csv", "--columns", "loss=smooth loss", "--target", "N=1e9,D=1e11", "--bootstrap", "20", "--json"], dir.path);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'scaletune: note: columns taken by their names: N = "N", D = "D", lr = "lr", batch = "bs"; ignored: "loss" (map them with --columns)\n');
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out.laws).sort(), ["batchSize", "learningRate"]);
    assert.ok(Math.abs(out.laws.batchSize.law.exponents.D - 0.571) < 0.02, JSON.stringify(out.laws.batchSize.law));
    const fit = cli(["scaling", "fit", "runs.csv", "--json"], dir.path);
    assert.equal(fit.status, 0, fit.stderr);
    assert.equal(fit.stderr, 'scaletune: note: columns taken by their names: loss = "final loss", N = "Model Size", C = "Training FLOP" (map them with --columns)\n');
    assert.equal(JSON.parse(fit.stdout).runs, 18);
    const mapped = cli(["scaling", "fit", "runs.csv", "--columns", "N=Model Size,C=Training FLOP,loss=final loss", "--json"], dir.path);
    assert.equal(mapped.stderr, "", "nothing guessed, nothing to say");
  });

  const badInputs: [string, string[], RegExp][] = [
    ["two columns that could both be the loss", ["scaling", "hparams", "sweep.csv", "--target", "N=1e9,D=1e11"],
      /^scaletune: error: 2 columns could be loss: "loss", "smooth loss"; say which with --columns, e\.g\. --columns "loss=smooth loss"$/m],
    ["an empty runs file", ["scaling", "fit", "empty.csv"], /^scaletune: error: the runs file is empty$/m],
    ["a runs file of blank lines", ["scaling", "hparams", "blank.csv", "--target", "N=1e9"], /^scaletune: error: the runs file is empty$/m],
    ["a quantity mapped twice", ["scaling", "fit", "runs.csv", "--columns", "N=Model Size,N=Training FLOP,loss=final loss"], /^scaletune: error: N is mapped twice \(N=Model Size, N=Training FLOP\)/m],
    ["a column mapped to two quantities", ["scaling", "fit", "runs.csv", "--columns", "N=Model Size,D=Model Size,loss=final loss"], /^scaletune: error: column "Model Size" is mapped to both N and D/m],
    ["an unknown quantity in --predict", ["scaling", "fit", "runs.csv", "--predict", "foo=1"],
      /^scaletune: error: --predict foo=1\.000e\+0: the chinchilla law reads N and D, not foo; e\.g\. --predict N=1e9,D=2e10$/m],
    ["a --predict point short of a variable", ["scaling", "fit", "runs.csv", "--predict", "N=1e9"],
      /^scaletune: error: --predict N=1\.000e\+9: the chinchilla law reads N and D, and D is missing; e\.g\. --predict N=1e9,D=2e10$/m],
    ["a quantity given twice in --predict", ["scaling", "fit", "runs.csv", "--predict", "N=1e9,N=2e9,D=1e10"], /argument 'N=1e9,N=2e9,D=1e10' is invalid\. N is given twice/],
    ["--out into a folder that does not exist", ["scaling", "fit", "runs.csv", "--out", "no-such-dir/fit.json"],
      /^scaletune: error: --out no-such-dir\/fit\.json: folder no-such-dir does not exist; create it first$/m],
    ["--report into a folder that does not exist", ["scaling", "fit", "runs.csv", "--report", "no/such/report.html"],
      /^scaletune: error: --report no\/such\/report\.html: folder no\/such does not exist; create it first$/m],
    ["--out naming a folder", ["scaling", "fit", "runs.csv", "--out", "."], /^scaletune: error: --out \.: is a folder; give a file name$/m],
    ["an unknown quantity in --target", ["scaling", "hparams", "sweep.csv", "--columns", "loss=loss", "--target", "N=1e9,T=1e11"],
      /^scaletune: error: --target N=1\.000e\+9,T=1\.000e\+11: unknown quantity T; give N, D and\/or C, e\.g\. --target N=1e9,D=2e10$/m],
    ["a quantity given twice in --target", ["scaling", "hparams", "sweep.csv", "--columns", "loss=loss", "--target", "N=1e9,N=1e10"], /N is given twice/],
    ["a non-number in an MLP shape", ["scaling", "mup", "--base", "mlp:width=abc", "--target", "mlp:inputs=64,width=512,layers=3,outputs=10"],
      /^scaletune: error: --base mlp:width=abc: expected NAME=POSITIVE_NUMBER pairs, e\.g\. N=1e11,D=2e12; got "width=abc"$/m],
    ["an unknown field in an MLP shape", ["scaling", "mup", "--base", "mlp:inputs=64,width=256,layers=3,outputs=10,heads=4", "--target", "mlp:inputs=64,width=512,layers=3,outputs=10"],
      /^scaletune: error: --base mlp:inputs=64,width=256,layers=3,outputs=10,heads=4: unknown field heads; an MLP takes inputs, width, layers, outputs and blocks$/m],
    ["a width repeated in coord-check", ["scaling", "coord-check", "--widths", "128,128"],
      /argument '128,128' is invalid\. expected two or more different whole widths, comma-separated \(e\.g\. 128,256,512\)/],
    ["a folder given as the runs file", ["scaling", "fit", "."], /^scaletune: error: runs file \. is a folder, not a file$/m],
  ];
  for (const [what, args, message] of badInputs) {
    it(`reports ${what} in one clear line and exits non-zero`, () => {
      const r = cli(args, dir.path);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
    });
  }

  it("says what is wrong with the input, on one line, with a non-zero exit", () => {
    writeFileSync(join(dir.path, "no-loss.csv"), "N,D,val\n1e8,1e9,3\n");
    const missing = cli(["scaling", "fit", "no-loss.csv"], dir.path);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^scaletune: error: no loss column; name it with --columns loss=COLUMN/);
    const absent = cli(["scaling", "fit", "nope.csv"], dir.path);
    assert.match(absent.stderr, /runs file nope.csv does not exist/);
    const noLaw = cli(["scaling", "optimal", "--compute", "1e20"], dir.path);
    assert.match(noLaw.stderr, /--fit FIT.json \(from scaling fit --out\) or --preset NAME/);
    writeFileSync(join(dir.path, "broken.json"), "{ not json");
    writeFileSync(join(dir.path, "empty.json"), "{}");
    assert.match(cli(["scaling", "optimal", "--fit", "broken.json", "--compute", "1e20"], dir.path).stderr, /fit file broken.json is not JSON/);
    assert.match(cli(["scaling", "optimal", "--fit", "empty.json", "--compute", "1e20"], dir.path).stderr, /fit file empty.json has no law and parameters/);
    const mup = (base: string) => cli(["scaling", "mup", "--base", base, "--target", "mlp:inputs=64,width=512,layers=3,outputs=10"], dir.path).stderr;
    assert.match(mup("broken.json"), /--base broken.json is not JSON/);
    assert.match(mup("empty.json"), /--base empty.json: every layer needs a name, a role/);
    assert.match(mup("mlp:width=256"), /an MLP needs inputs, width, layers and outputs/);
    const preset = cli(["scaling", "optimal", "--preset", "besiroglu-2024", "--compute", "5.88e23"], dir.path);
    assert.equal(preset.status, 0, preset.stderr);
    assert.match(preset.stdout, /7\.302e\+10 +1\.342e\+12 +18\.4/);
  });
});
