/**
 * @module The `scaletune` command line.
 *
 * Only the module of the command being run is loaded (`scaletune best` does not load the samplers): start-up is most
 * of what a quick command costs. Help and unknown commands load them all, so a command module imports at its top only
 * what registering it needs, and the rest in its action: TensorFlow.js, an optional peer dependency, is loaded by the
 * actions of `demo` and `scaling coord-check` alone (demo/tensorflow.ts). `npm run bench -- startup` times it.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { ScaletuneError } from "../errors.js";
import { stdoutClosed } from "./interruption.js";

type Register = (program: Command) => void;

const inspect = async (): Promise<Register> => (await import("./commands/inspect.js")).registerInspect;
const COMMANDS: Record<string, () => Promise<Register>> = {
  demo: async () => (await import("./commands/demo.js")).registerDemo,
  run: async () => (await import("./commands/run.js")).registerRun,
  worker: async () => (await import("./commands/run.js")).registerWorker,
  studies: inspect,
  trials: inspect,
  best: inspect,
  delete: inspect,
  importance: async () => (await import("./commands/importance.js")).registerImportance,
  copy: async () => (await import("./commands/copy.js")).registerCopy,
  bench: async () => (await import("./commands/bench.js")).registerBench,
  scaling: async () => (await import("./commands/scaling/index.js")).registerScaling,
  "python-helper": async () => (await import("./commands/python-helper.js")).registerPythonHelper,
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[]): Promise<void> {
  // `scaletune … | head` closes the pipe early: that is the reader's choice, not an error to report. A running
  // study is stopped as by a signal (its trials queued again), anything else ends quietly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stdoutClosed();
  });
  const program = new Command("scaletune")
    .description("tune neural-network hyperparameters, and carry them across scale")
    .version(version())
    .showHelpAfterError("(run with --help for usage)");
  const named = COMMANDS[argv[2] ?? ""];
  const versionOnly = argv[2] === "--version" || argv[2] === "-V";
  const registers = named ? [named] : versionOnly ? [] : [...new Set(Object.values(COMMANDS))];
  // In the order help lists them.
  for (const register of await Promise.all(registers.map((load) => load()))) register(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ScaletuneError) {
      process.stderr.write(`scaletune: error: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
