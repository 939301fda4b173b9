/**
 * @module What the docs' commands read without making it: files a command names (`train.ts`, `runs.csv`, …)
 * and studies a script reads before any of its commands creates them.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SHARED_DIR } from "../../src/quality/problems/data-paths.js";
import { createStudy } from "../../src/index.js";
import { fencedBlocks } from "./markdown.js";

const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));
export const CHINCHILLA_CSV = join(SHARED_DIR, "data", "chinchilla", "svg_extracted_data.csv");

/**
 * The objective file of README's CLI section: TypeScript, default export, a loss curve reported per epoch up to
 * 81 (the docs' largest Hyperband maximum; $EPOCHS for a study tuned at a smaller one), resuming from
 * `trial.continues`. TrialPruned is recognised by name, so the file needs no runtime import of scaletune.
 */
const TRAIN_TS = `import type { Trial } from "scaletune";

class TrialPruned extends Error {
  override name = "TrialPruned";
}

const EPOCHS = Number(process.env.EPOCHS ?? 81);

export default function objective(trial: Trial): number {
  const lr = trial.suggestFloat("lr", 1e-5, 1, { log: true });
  const width = trial.suggestInt("width", 16, 256, { log: true });
  const final = 0.1 + 0.05 * Math.log10(lr / 3e-3) ** 2 + 0.01 * Math.log2(width / 128) ** 2;
  let loss = 1;
  for (let epoch = (trial.continues?.lastStep ?? 0) + 1; epoch <= EPOCHS; epoch++) {
    loss = final + (1 - final) * Math.exp(-epoch * Math.sqrt(lr));
    trial.report(loss, epoch);
    if (trial.shouldPrune()) throw new TrialPruned();
  }
  return loss;
}
`;

/** Step Law's optima (Li et al. 2025) and an AdamW timescale optimum, for a grid search to be fitted back. */
const etaStar = (N: number, D: number) => 1.79 * N ** -0.713 * D ** 0.307;
const batchStar = (D: number) => 0.58 * D ** 0.571;
const tauStar = (N: number, D: number) => 0.5 * (D / N) ** -0.3;
const chinchilla = (N: number, D: number) => 1.8 + 480 / N ** 0.35 + 2100 / D ** 0.37;
const SCALES: [number, number][] = [1e7, 3e7, 1e8, 3e8].flatMap((N): [number, number][] => [[N, 20 * N], [N, 80 * N]]);

/** docs/scaling.md's `tuning.csv`: a grid search of learning rate × batch × weight decay at each of 8 scales. */
function tuningCsv(): string {
  const rows = ["params,tokens,learning rate,batch tokens,weight decay,val loss"];
  for (const [N, D] of SCALES) {
    for (let i = -2; i <= 2; i++) {
      for (let j = -1; j <= 1; j++) {
        for (let k = -1; k <= 1; k++) {
          const lr = etaStar(N, D) * 2 ** i;
          const batch = batchStar(D) * 2 ** j;
          const wd = (batch / (lr * tauStar(N, D) * D)) * 2 ** k;
          const penalty = Math.log(lr / etaStar(N, D)) ** 2 + Math.log(batch / batchStar(D)) ** 2 + Math.log(batch / (lr * wd * D) / tauStar(N, D)) ** 2;
          rows.push([N, D, lr, batch, wd, chinchilla(N, D) * (1 + 0.05 * penalty)].join(","));
        }
      }
    }
  }
  return `${rows.join("\n")}\n`;
}

/** docs/scaling.md's `--base base.json --target big.json`: a residual network widened 4× and deepened 4×. */
function shape(width: number, depth: number): string {
  return JSON.stringify({
    depth,
    layers: [
      { name: "embed", role: "input", fanIn: 64, fanOut: width },
      { name: "block.fc", role: "hidden", fanIn: width, fanOut: width },
      { name: "readout", role: "output", fanIn: width, fanOut: 10 },
    ],
  });
}

/** docs/commands.md's example files, as the page shows them: its first json, yaml and js blocks. */
function commandsDocBlock(language: string): string {
  const page = readFileSync(fileURLToPath(new URL("../../docs/commands.md", import.meta.url)), "utf8");
  const block = fencedBlocks(page).find((b) => b.language === language);
  if (!block) throw new Error(`docs/commands.md has no ${language} block`);
  return `${block.text}\n`;
}

/** File name → writes it into a script's directory. */
export const FIXTURE_FILES: Readonly<Record<string, (dir: string) => void>> = {
  "train.ts": (dir) => writeFileSync(join(dir, "train.ts"), TRAIN_TS),
  // docs/commands.md's `-- node trial.mjs --space space.json`.
  "space.json": (dir) => writeFileSync(join(dir, "space.json"), commandsDocBlock("json")),
  // docs/commands.md's `--space space.yaml`: the same space, as the page shows it in YAML.
  "space.yaml": (dir) => writeFileSync(join(dir, "space.yaml"), commandsDocBlock("yaml")),
  "trial.mjs": (dir) => writeFileSync(join(dir, "trial.mjs"), commandsDocBlock("js")),
  // The README's claim is about Epoch AI's extraction of Chinchilla's runs, so that is what runs.csv holds.
  "runs.csv": (dir) => copyFileSync(CHINCHILLA_CSV, join(dir, "runs.csv")),
  "tuning.csv": (dir) => writeFileSync(join(dir, "tuning.csv"), tuningCsv()),
  "base.json": (dir) => writeFileSync(join(dir, "base.json"), shape(256, 4)),
  "big.json": (dir) => writeFileSync(join(dir, "big.json"), shape(1024, 16)),
};

/** What a fixture file needs here, when it needs anything. */
export function fixtureMissing(name: string): string | false {
  return name === "runs.csv" && !existsSync(CHINCHILLA_CSV) ? `no Chinchilla data at ${CHINCHILLA_CSV}` : false;
}

/** Study name → creates it in `<dir>/scaletune.db`, the CLI's default storage. */
export const FIXTURE_STUDIES: Readonly<Record<string, (dir: string) => Promise<void>>> = {
  // README's and docs/scaling.md's `scaling hparams|fit --study mlp`: learning-rate sweeps at 8 scales, each trial
  // tagged with trial.setScale({ N, D }).
  mlp: async (dir) => {
    const runs = SCALES.flatMap(([N, D]) => [-2, -1, 0, 1, 2].map((i) => ({ N, D, lr: etaStar(N, D) * 2 ** i })));
    const study = await createStudy({ name: "mlp", storage: `sqlite:${join(dir, "scaletune.db")}` });
    for (const run of runs) await study.enqueueTrial({ lr: run.lr });
    await study.optimize((trial) => {
      const { N, D } = runs[trial.number]!;
      const lr = trial.suggestFloat("lr", 1e-6, 1, { log: true });
      trial.setScale({ N, D });
      return chinchilla(N, D) * (1 + 0.05 * Math.log(lr / etaStar(N, D)) ** 2);
    }, { nTrials: runs.length });
    await study.close();
  },
  // docs/pruners.md's `--continue-best-trials` on study lm: a Hyperband study tuned with maxResource 27.
  lm: async (dir) => {
    FIXTURE_FILES["train.ts"]!(dir);
    const args = ["run", "train.ts", "--study", "lm", "--pruner", "hyperband:minResource=1,maxResource=27", "--trials", "9", "--sampler", "random"];
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, EPOCHS: "27" } });
    if (r.status !== 0) throw new Error(`could not make the fixture study lm: ${r.stderr}`);
  },
};
