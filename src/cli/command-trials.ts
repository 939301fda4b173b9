/**
 * @module `scaletune run … -- <command> [args…]`: every trial runs the command (docs/commands.md). Loaded by `run`'s
 * action only when a command is given.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { CommandRunner, parseSearchSpace, type CommandRunnerOptions } from "../index.js";
import { importFile } from "./objective-module.js";
import type { RunOptions } from "./run-study.js";

export interface CommandOptions extends RunOptions {
  space?: string;
  passArgs?: boolean;
  timeoutPerTrial?: number;
  killGrace?: number;
  devices?: string;
  workdir?: string;
  artifacts?: string;
}

/**
 * A YAML file's document, the same object a JSON file would give. The `yaml` package is loaded only here: nothing
 * else pays for it. A syntax error is one line naming the file, line and column.
 */
async function parseYaml(text: string, file: string): Promise<unknown> {
  const { parse, YAMLParseError } = await import("yaml");
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const [at] = error.linePos ?? [];
    const message = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    throw new ConfigError(`--space: ${file}${at ? `:${at.line}:${at.col}` : ""}: ${message}`);
  }
}

/**
 * The declared search space of `--space`: a JSON or YAML file, or a module whose default (or `space`) export is the
 * object.
 */
async function loadSpace(file: string): Promise<CommandRunnerOptions["space"]> {
  const path = resolve(file);
  let raw: unknown;
  try {
    if (/\.json$/i.test(file)) raw = JSON.parse(readFileSync(path, "utf8"));
    else if (/\.ya?ml$/i.test(file)) raw = await parseYaml(readFileSync(path, "utf8"), file);
    else {
      const module = await importFile(path);
      raw = module.space ?? module.default;
      if (raw && typeof raw === "object" && "default" in raw && Object.keys(raw).length === 1) raw = (raw as { default: unknown }).default;
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ConfigError(`--space: ${file} does not exist`);
    throw new ConfigError(`--space: cannot read ${file}: ${(error as Error).message.split("\n")[0]}`);
  }
  return parseSearchSpace(raw, file);
}

/** `--devices 0,1,2`: the device names, in order. */
function devices(text: string): string[] {
  const list = text.split(",").map((d) => d.trim());
  if (list.some((d) => d === "")) throw new ConfigError(`--devices ${text}: expected a comma-separated list such as 0,1,2,3`);
  return list;
}

/** Runs the study with every trial a run of `command`; `concurrencyGiven`: whether --concurrency was on the command line. */
export async function runCommandTrials(command: readonly string[], options: CommandOptions, concurrencyGiven: boolean): Promise<void> {
  const { runStudyWith } = await import("./run-study.js");
  const space = options.space === undefined ? undefined : await loadSpace(options.space);
  const deviceList = options.devices === undefined ? undefined : devices(options.devices);
  const concurrency = concurrencyGiven ? options.concurrency : (deviceList?.length ?? options.concurrency);
  if (deviceList && concurrency > deviceList.length) {
    throw new ConfigError(`--concurrency ${concurrency} needs as many devices, but --devices gives ${deviceList.length}: one device per running trial`);
  }
  // With --json, standard output is the JSON document: the trials' output goes to standard error.
  const output = (stream: "stdout" | "stderr", line: string) => void process[options.json ? "stderr" : stream].write(`${line}\n`);
  const runner = new CommandRunner({
    command,
    study: options.study,
    ...(space && { space }),
    ...(options.passArgs && { passArgs: true }),
    ...(options.workdir !== undefined && { workdir: options.workdir }),
    ...(options.artifacts !== undefined && { artifacts: options.artifacts }),
    ...(deviceList && { devices: deviceList }),
    ...(options.timeoutPerTrial !== undefined && { timeoutPerTrial: options.timeoutPerTrial }),
    ...(options.killGrace !== undefined && { killGrace: options.killGrace }),
    output,
    prefixLines: concurrency > 1,
  });
  if (options.passArgs && !space) throw new ConfigError("--pass-args passes the declared parameters: give them with --space");
  if (options.sampler.toLowerCase() === "grid") throw new ConfigError("--sampler grid needs an objective file's grid export; commands cannot give one");
  const { study } = await runStudyWith({ objective: runner.objective }, {
    ...options,
    concurrency,
    beforeInterrupt: (cause) => runner.interrupt(cause === "stdout closed" ? "SIGTERM" : cause),
  }, command.join(" "));
  await study.close();
}
