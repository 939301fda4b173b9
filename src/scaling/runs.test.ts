import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chinchillaLaw, powerLaw } from "./laws.js";
import { createStudy } from "../study/api.js";
import { csvSource, parseColumnSpec, readHyperparameterRuns, readRuns, studySource } from "./runs.js";
import { parseFlopRule } from "./allocation.js";

const CSV = 'name,Model Size,Training FLOP,"final, loss"\nsmall,1e8,6e17,3.1\nlarge,1e9,6e19,2.5\n';

describe("runs from CSV", () => {
  it("maps any column names, spaces and commas included, and derives D from compute", () => {
    const runs = readRuns(CSV, chinchillaLaw, parseColumnSpec('N=Model Size, C=Training FLOP,"loss=final, loss"'));
    assert.deepEqual(runs.points[0], { inputs: { N: 1e8, D: 1e9 }, loss: 3.1 });
    assert.match(runs.definitions.join("; "), /D = tokens from compute column "Training FLOP" by C = 6ND/);
    const eight = readRuns(CSV.replace('"final, loss"', "loss"), chinchillaLaw, { N: "Model Size", C: "Training FLOP" }, parseFlopRule("8ND"));
    assert.equal(eight.points[1]!.inputs.D, 6e19 / 8e9);
  });

  it("gives a power law its one scale column", () => {
    const runs = readRuns("C,loss\n1e18,3\n1e19,2.8\n", powerLaw);
    assert.deepEqual(runs.points.map((p) => p.inputs.x), [1e18, 1e19]);
    assert.throws(() => readRuns("N,C,loss\n1,2,3\n", powerLaw), /N, C are mapped; say which with --columns x=COLUMN/);
  });

  it("reads a study's complete trials: sizes from setScale, parameters, loss = value", async () => {
    const study = await createStudy({ warn: () => {} });
    for (const [N, D] of [[1e8, 1e9], [1e9, 1e10]] as const) {
      const trial = await study.ask();
      trial.setScale({ N, D });
      const lr = trial.suggestFloat("lr", 1e-4, 1e-1, { log: true });
      await study.tell(trial, 3 - Math.log10(N) / 10 + lr);
    }
    await study.tell(await study.ask(), "failed");
    const source = studySource(study.name, study.directions, study.trials());
    assert.equal(source.records.length, 2);
    // A user attribute named like a loss is not mistaken for it: a study's loss is its trials' value.
    const trial = await study.ask();
    trial.setScale({ N: 1e10, D: 1e11 });
    trial.suggestFloat("lr", 1e-4, 1e-1, { log: true });
    trial.setUserAttr("train_loss", 9);
    await study.tell(trial, 2);
    assert.equal(readRuns(studySource(study.name, study.directions, study.trials()), chinchillaLaw).points[2]!.loss, 2);
    assert.deepEqual(Object.keys(source.records[0]!).sort(), ["D", "N", "loss", "lr"]);
    assert.equal(source.describeRun(1), "trial 1");
    const { runs } = readHyperparameterRuns(source);
    assert.deepEqual(runs[1]!.scale, { N: 1e9, D: 1e10 });
    assert.throws(() => studySource("mo", ["minimize", "minimize"], study.trials()), /study "mo" has 2 objectives/);
    assert.throws(() => studySource("empty", ["minimize"], []), /study "empty" has no complete trials yet/);
    assert.throws(() => readRuns(studySource(study.name, study.directions, study.trials()), chinchillaLaw, { N: "width" }), /no column "width" \(given for N\) in study/);
  });

  it("reads past an Excel export's byte-order mark", () => {
    const runs = readRuns("\uFEFFN,D,loss\n1e8,1e9,3\n", chinchillaLaw);
    assert.deepEqual(runs.points, [{ inputs: { N: 1e8, D: 1e9 }, loss: 3 }]);
  });

  it("says an empty file is empty, not that it has a header", () => {
    for (const text of ["", "\n  \n\n", "\uFEFF", "\uFEFF\r\n"]) assert.throws(() => csvSource(text), /^RangeError: the runs file is empty$/, JSON.stringify(text));
    assert.throws(() => csvSource("N,D,loss\n"), /the runs file has a header but no runs/);
  });

  it("without --columns, takes columns by their common names and says which it took and which it ignored", () => {
    const csv = "params,tokens,learning_rate,Batch Size,weight-decay,val loss,notes\n1e8,1e9,0.01,256,0.1,3.1,a\n1e9,1e10,0.005,512,0.1,2.5,b\n";
    const { runs, columns } = readHyperparameterRuns(csv);
    assert.deepEqual(runs[1], { scale: { N: 1e9, D: 1e10 }, hyperparameters: { learningRate: 0.005, batchSize: 512, weightDecay: 0.1 }, loss: 2.5 });
    assert.deepEqual(columns, {
      guessed: { loss: "val loss", N: "params", D: "tokens", lr: "learning_rate", batch: "Batch Size", wd: "weight-decay" },
      ignored: ["notes"],
    });
    for (const bs of ["bs", "batch", "batch_size", "batch size", "BatchSize", "global_batch_size"]) {
      assert.deepEqual(readHyperparameterRuns(`N,lr,${bs},loss\n1e8,0.01,64,3\n`).columns.guessed.batch, bs);
    }
    const mapped = readRuns("N,D,C,loss\n1e8,1e9,6e17,3\n", chinchillaLaw, { D: "D" });
    assert.deepEqual(mapped.columns, { guessed: { loss: "loss", N: "N" }, ignored: ["C"] });
  });

  it("refuses to guess between two columns that both fit a quantity, listing them and the --columns fix", () => {
    const csv = "N,D,lr,bs,loss,smooth loss\n1e8,1e9,0.01,64,3,3.01\n";
    assert.throws(() => readHyperparameterRuns(csv), /^RangeError: 2 columns could be loss: "loss", "smooth loss"; say which with --columns, e.g. --columns "loss=smooth loss"$/);
    assert.throws(() => readRuns(csv, chinchillaLaw), /2 columns could be loss/);
    const chosen = readHyperparameterRuns(csv, { loss: "smooth loss" });
    assert.equal(chosen.runs[0]!.loss, 3.01);
    assert.deepEqual(chosen.columns.ignored, ["loss"], "a column named in --columns is not guessed for another quantity");
    assert.throws(() => readHyperparameterRuns("N,bs,batch_size,loss\n1e8,64,64,3\n"), /2 columns could be batch: "bs", "batch_size"/);
  });

  it("refuses a quantity mapped twice, and a column mapped to two quantities", () => {
    assert.throws(() => parseColumnSpec("N=N,N=D,loss=loss"), /^RangeError: N is mapped twice \(N=N, N=D\); map each quantity to one column$/);
    assert.throws(() => readRuns("params,loss\n1e8,3\n", chinchillaLaw, parseColumnSpec("N=params,D=params")), /column "params" is mapped to both N and D; /);
    assert.throws(() => readHyperparameterRuns("N,lr,loss\n1e8,0.1,3\n", { lr: "lr", wd: "lr" }), /column "lr" is mapped to both lr and wd; /);
  });

  it("names the missing column, the bad cell and the fix", () => {
    assert.throws(() => readRuns("N,D,loss\n1e8,1e9,3\n", chinchillaLaw, { N: "Params" }), /no column "Params" \(given for N\) in the runs file; its columns are: N, D, loss/);
    assert.throws(() => readRuns("N,seen,loss\n1e8,1e9,3\n", chinchillaLaw), /needs data D or compute C; name a column with --columns D=COLUMN/);
    assert.throws(() => readRuns("N,D,val\n1e8,1e9,3\n", chinchillaLaw), /no loss column; name it with --columns loss=COLUMN/);
    assert.throws(() => readRuns("N,D,loss\n1e8,1e9,3\n1e9,-5,2\n", chinchillaLaw), /row 3, column "D": -5 is not positive/);
    assert.throws(() => readRuns("N,D,loss\n1e8,abc,3\n", chinchillaLaw), /row 2, column "D": "abc" is not a number/);
    assert.throws(() => parseColumnSpec("M=x"), /unknown quantity "M"/);
    assert.throws(() => parseColumnSpec("N"), /should read QUANTITY=COLUMN/);
  });
});
