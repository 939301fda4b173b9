/**
 * @module The names by which a runs file's column is taken for a quantity when `--columns` does not map it.
 *
 * Names are compared with case, spaces, "_" and "-" ignored, so "Batch Size", "batch_size" and "batchSize" are one
 * name. Loss is any column with the word "loss" in its name: runs files often hold several ("loss", "smooth loss",
 * "val_loss"), and taking one silently is how the wrong one gets fitted — two candidates are refused upstream.
 */
/** The quantities a runs file's columns can hold. */
export const QUANTITIES = ["N", "D", "C", "x", "loss", "lr", "batch", "wd"] as const;
export type Quantity = (typeof QUANTITIES)[number];

const NAMES: Record<Exclude<Quantity, "loss">, readonly string[]> = {
  N: ["n", "params", "parameters", "nparams", "numparams", "modelsize"],
  D: ["d", "tokens", "ntokens", "numtokens", "trainingtokens"],
  C: ["c", "flop", "flops", "compute", "trainingflop", "trainingflops", "trainingcompute"],
  x: ["x"],
  lr: ["lr", "learningrate", "peaklr"],
  batch: ["batch", "bs", "batchsize", "globalbatchsize", "batchtokens"],
  wd: ["wd", "weightdecay"],
};

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, "");

/** "val_loss", "smooth loss", "valLoss": the words of a column name. */
const words = (name: string) => name.split(/[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])/).map((w) => w.toLowerCase());

/** Whether `column` is named like quantity `q`. */
export function namedLike(q: Quantity, column: string): boolean {
  return q === "loss" ? words(column).includes("loss") : NAMES[q].includes(squash(column));
}
