/**
 * @module Trials as commands (docs/commands.md): each trial runs a program, given its parameters by environment,
 * JSON file and optionally arguments, and talking to the study through `@scaletune {…}` lines on its standard output
 * (report, final, user_attr, suggest, should_prune), questions answered on its standard input.
 *
 * `CommandRunner.objective` is an ordinary objective: the study runs it like any other, so samplers, pruners,
 * retries and interruption work unchanged. Nothing goes through a shell: the program and its arguments are passed
 * to `spawn` as they are, and parameters only ever travel as data.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { COMMAND_EXIT_CODE_ATTR, COMMAND_SIGNAL_ATTR, COMMAND_STDERR_TAIL_ATTR } from "../core/attributes.js";
import type { ObjectiveTrial } from "../core/objective-trial.js";
import type { ParamValue, TrialOutcome } from "../core/types.js";
import type { SearchSpace } from "../space/distributions.js";
import { parseDistributionSpec, suggestFrom } from "./space.js";

/** child_process and readline, loaded with the first trial: the package's face (and so `scaletune --help`) does not pay for them. */
let processModules: Promise<[typeof import("node:child_process"), typeof import("node:readline")]> | null = null;
const loadProcessModules = () => (processModules ??= Promise.all([import("node:child_process"), import("node:readline")]));

/** The version of the protocol this runner speaks, given to the process as SCALETUNE_PROTOCOL. */
export const COMMAND_PROTOCOL_VERSION = 1;
/** What starts a protocol line on the process's standard output. */
export const PROTOCOL_PREFIX = "@scaletune ";
/** How long after a report the pruner rejected a process has to ask `should_prune` before it is stopped. */
export const ASK_WINDOW_MS = 1000;
/** Lines of standard error kept with a failed trial. */
export const STDERR_TAIL_LINES = 20;
const STDERR_LINE_CHARS = 1000;

export interface CommandRunnerOptions {
  /** The program and its arguments, exactly as given (no shell). */
  readonly command: readonly string[];
  readonly study: string;
  /** Parameters suggested before the process starts, in this order; others come from `suggest` messages. */
  readonly space?: SearchSpace;
  /** Append `--name=value` for each declared parameter to the command's arguments. */
  readonly passArgs?: boolean;
  /** The process's working directory (created if missing); default: this process's. */
  readonly workdir?: string;
  /** Each trial's artifact directory is `<artifacts>/<trial number>`; default `./scaletune-artifacts/<study>`. */
  readonly artifacts?: string;
  /** Devices handed out one per running trial, as CUDA_VISIBLE_DEVICES and SCALETUNE_DEVICE. */
  readonly devices?: readonly string[];
  /** Seconds a trial may run before it is stopped and failed. */
  readonly timeoutPerTrial?: number;
  /** Seconds between SIGTERM and SIGKILL when the runner stops a process (default 10). */
  readonly killGrace?: number;
  /** Where the process's other lines go (default: this process's stdout and stderr). */
  readonly output?: (stream: "stdout" | "stderr", line: string, trial: number) => void;
  /** Prefix passed-through lines with the trial number (when several trials run at once). */
  readonly prefixLines?: boolean;
  /** Extra environment for every trial process (tests, benchmarks). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A trial failed by its command; the message is the reason stored with the trial (no stack: it is not ours). */
export class CommandTrialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandTrialError";
    this.stack = message;
  }
}

/** `name` as the tail of an environment variable: upper case, every character outside [A-Z0-9] an underscore. */
export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

/** A parameter's value as text (environment, `--pass-args`): strings as they are, null empty, anything else as JSON. */
export function paramText(value: ParamValue): string {
  return typeof value === "string" ? value : value === null ? "" : JSON.stringify(value);
}

/** A study name as one safe path segment: characters outside [A-Za-z0-9._-] become `_`, and `.`/`..` are not kept. */
export function pathSegment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return safe === "" || /^\.+$/.test(safe) ? `_${safe}` : safe;
}

/** The keys that name a message: exactly one of them per line. */
const KINDS = ["report", "final", "user_attr", "suggest", "should_prune"] as const;
type Kind = (typeof KINDS)[number];
type Message = Record<string, unknown>;

/** Parses a protocol line's JSON and its kind; a string saying what is wrong when it is malformed. */
function parseMessage(text: string): { kind: Kind; message: Message } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const kinds = KINDS.filter((k) => k in value);
  if (kinds.length !== 1) return kinds.length === 0 ? `none of ${KINDS.join(", ")}` : `more than one of ${kinds.join(", ")}`;
  return { kind: kinds[0]!, message: value as Message };
}

const finiteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Why the runner stopped the process, if it did. */
  stoppedFor: "prune" | "timeout" | "malformed" | "interrupt" | null;
  killTimer: NodeJS.Timeout | null;
}

/** Runs trials as commands; `objective` is what the study runs. */
export class CommandRunner {
  private readonly running = new Set<Running>();
  private readonly freeDevices: string[];
  private interrupting = false;
  private readonly killGraceMs: number;

  constructor(private readonly options: CommandRunnerOptions) {
    if (options.command.length === 0 || options.command[0] === "") throw new ConfigError("no command to run: give it after --, e.g. -- node trial.mjs");
    this.freeDevices = [...(options.devices ?? [])];
    this.killGraceMs = (options.killGrace ?? 10) * 1000;
  }

  /** The objective: one process per trial. */
  readonly objective = (trial: ObjectiveTrial): Promise<TrialOutcome> => this.run(trial);

  /**
   * Stops every running process: `signal` now, SIGKILL after the grace period; resolves when all have ended. From
   * then on objectives never settle: the caller fails and queues their trials again (`study.interrupt`) and exits.
   */
  async interrupt(signal: NodeJS.Signals): Promise<void> {
    this.interrupting = true;
    const all = [...this.running];
    for (const process of all) this.stop(process, "interrupt", signal);
    await Promise.all(all.map((p) => p.exited));
  }

  /** Processes running now. */
  get active(): number {
    return this.running.size;
  }

  private stop(process: Running, why: NonNullable<Running["stoppedFor"]>, signal: NodeJS.Signals = "SIGTERM"): void {
    if (process.stoppedFor !== null && why !== "interrupt") return;
    process.stoppedFor ??= why;
    if (why === "interrupt") process.stoppedFor = why;
    this.signal(process.child, signal);
    if (process.killTimer === null) {
      process.killTimer = setTimeout(() => this.signal(process.child, "SIGKILL"), this.killGraceMs);
      process.killTimer.unref();
    }
  }

  /** Signals the process's group (it was started as a group leader), so that what it started stops with it. */
  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      globalThis.process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  }

  private artifactDir(trial: number): string {
    const root = this.options.artifacts ?? join("scaletune-artifacts", pathSegment(this.options.study));
    return resolve(root, String(trial));
  }

  private async run(trial: ObjectiveTrial): Promise<TrialOutcome> {
    if (this.interrupting) return new Promise<never>(() => {});
    const declared = this.options.space ?? {};
    const params: Record<string, ParamValue> = {};
    for (const [name, distribution] of Object.entries(declared)) params[name] = suggestFrom(trial, name, distribution);

    const artifacts = this.artifactDir(trial.number);
    mkdirSync(artifacts, { recursive: true });
    const paramsFile = join(artifacts, "params.json");
    const distributions = Object.fromEntries(Object.keys(params).map((name) => [name, declared[name]!]));
    const file = { protocol: COMMAND_PROTOCOL_VERSION, study: this.options.study, trial: trial.number, params, distributions };
    writeFileSync(paramsFile, `${JSON.stringify(file, null, 2)}\n`);
    const cwd = this.options.workdir === undefined ? globalThis.process.cwd() : resolve(this.options.workdir);
    mkdirSync(cwd, { recursive: true });

    const env: Record<string, string> = { ...(globalThis.process.env as Record<string, string>), ...this.options.env };
    env.SCALETUNE_PROTOCOL = String(COMMAND_PROTOCOL_VERSION);
    env.SCALETUNE_STUDY = this.options.study;
    env.SCALETUNE_TRIAL = String(trial.number);
    env.SCALETUNE_PARAMS_FILE = paramsFile;
    env.SCALETUNE_ARTIFACT_DIR = artifacts;
    for (const [name, value] of Object.entries(params)) env[`SCALETUNE_PARAM_${envName(name)}`] = paramText(value);
    const device = this.freeDevices.shift();
    if (device !== undefined) {
      env.CUDA_VISIBLE_DEVICES = device;
      env.SCALETUNE_DEVICE = device;
    }
    const [program, ...args] = this.options.command as [string, ...string[]];
    if (this.options.passArgs) for (const [name, value] of Object.entries(params)) args.push(`--${name}=${paramText(value)}`);
    try {
      const [{ spawn }, { createInterface }] = await loadProcessModules();
      if (this.interrupting) return await new Promise<never>(() => {}); // stopped while loading: start nothing
      return await this.supervise({ spawn, createInterface }, trial, program, args, cwd, env);
    } finally {
      if (device !== undefined) this.freeDevices.push(device);
    }
  }

  private supervise(
    { spawn, createInterface }: { spawn: typeof import("node:child_process").spawn; createInterface: typeof import("node:readline").createInterface },
    trial: ObjectiveTrial,
    program: string,
    args: string[],
    cwd: string,
    env: Record<string, string>,
  ): Promise<TrialOutcome> {
    let settle!: (outcome: TrialOutcome) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<TrialOutcome>((ok, fail) => {
      settle = ok;
      reject = fail;
    });
    let child: ChildProcess;
    try {
      child = spawn(program, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true, shell: false });
    } catch (error) {
      return Promise.reject(new CommandTrialError(`command could not start: ${(error as Error).message}`));
    }
    let exitStatus: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let onExited!: () => void;
    const exited = new Promise<void>((r) => (onExited = r));
    const process: Running = { child, exited, stoppedFor: null, killTimer: null };
    this.running.add(process);

    const stderrTail: string[] = [];
    let final: TrialOutcome | null = null;
    let latestPrune = false;
    let toldToPrune = false;
    let askWindow: NodeJS.Timeout | null = null;
    let protocolError: string | null = null;
    const start: { error: Error | null } = { error: null };
    const number = trial.number;
    const out =
      this.options.output ??
      ((stream: "stdout" | "stderr", line: string) => void globalThis.process[stream].write(`${line}\n`));
    const prefix = this.options.prefixLines ? `[trial ${number}] ` : "";
    const answer = (message: Record<string, unknown>) => {
      if (child.stdin && !child.stdin.destroyed && child.stdin.writable) child.stdin.write(`${JSON.stringify(message)}\n`);
    };
    const malformed = (line: string, why: string) => {
      protocolError ??= `malformed ${PROTOCOL_PREFIX.trim()} line (${why}): ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`;
      this.stop(process, "malformed");
    };

    const pruneNow = () => {
      if (askWindow) clearTimeout(askWindow);
      askWindow = null;
      this.stop(process, "prune");
    };
    const handle = (line: string, kind: Kind, message: Message) => {
      // After a report the pruner rejected, anything but the question means the process went on: it is stopped.
      if (askWindow && kind !== "should_prune") pruneNow();
      if (process.stoppedFor !== null) return;
      switch (kind) {
        case "suggest": {
          const body = message.suggest as Message | null;
          const name = typeof body === "object" && body !== null ? body.name : undefined;
          if (typeof name !== "string" || name === "") return malformed(line, 'suggest needs {"name": …, "distribution": …}');
          try {
            const declared = this.options.space?.[name];
            const distribution = body!.distribution === undefined && declared ? declared : parseDistributionSpec(name, body!.distribution);
            answer({ value: suggestFrom(trial, name, distribution) });
          } catch (error) {
            answer({ error: (error as Error).message });
          }
          return;
        }
        case "report": {
          const { report: value, step, metrics } = message;
          const values = Array.isArray(value) ? value : [value];
          if (!Number.isInteger(step) || (step as number) < 0 || values.length === 0 || !values.every((v) => typeof v === "number")) {
            return malformed(line, 'report needs a number (or one per objective) and an integer "step" ≥ 0');
          }
          try {
            trial.report(value as number | number[], step as number, metrics as Record<string, number> | undefined);
          } catch (error) {
            return malformed(line, (error as Error).message);
          }
          latestPrune = trial.shouldPrune();
          // A process that asks does so right after its report; one that does not is stopped.
          if (latestPrune) askWindow = setTimeout(pruneNow, ASK_WINDOW_MS);
          return;
        }
        case "should_prune": {
          if (askWindow) clearTimeout(askWindow);
          askWindow = null;
          answer({ prune: latestPrune });
          if (latestPrune) {
            toldToPrune = true;
            // It was told to stop: it has the grace period to exit by itself.
            const exitTimer = setTimeout(() => this.stop(process, "prune"), this.killGraceMs);
            exitTimer.unref();
            void exited.then(() => clearTimeout(exitTimer));
          }
          return;
        }
        case "user_attr": {
          const body = message.user_attr as Message | null;
          if (typeof body !== "object" || body === null || typeof body.key !== "string" || !("value" in body)) {
            return malformed(line, 'user_attr needs {"key": …, "value": …}');
          }
          try {
            trial.setUserAttr(body.key, body.value);
          } catch (error) {
            return malformed(line, (error as Error).message);
          }
          return;
        }
        case "final": {
          const value = message.final;
          if (finiteNumber(value)) final = value;
          else if (Array.isArray(value) && value.length > 0 && value.every(finiteNumber)) final = value as number[];
          else return malformed(line, "final needs a finite number, or one per objective");
          const metrics = message.metrics;
          if (metrics !== undefined) {
            if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) return malformed(line, '"metrics" must be an object');
            for (const [name, metric] of Object.entries(metrics)) trial.setUserAttr(name, metric);
          }
          return;
        }
      }
    };

    const onStdout = (line: string) => {
      if (line.startsWith("@scaletune")) {
        if (!line.startsWith(PROTOCOL_PREFIX)) return malformed(line, `expected "${PROTOCOL_PREFIX}" and a JSON object`);
        const parsed = parseMessage(line.slice(PROTOCOL_PREFIX.length));
        if (typeof parsed === "string") return malformed(line, parsed);
        handle(line, parsed.kind, parsed.message);
        return;
      }
      out("stdout", prefix + line, number);
    };
    const onStderr = (line: string) => {
      stderrTail.push(line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}…` : line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      out("stderr", prefix + line, number);
    };
    const stdoutLines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
    const stderrLines = createInterface({ input: child.stderr!, crlfDelay: Infinity });
    stdoutLines.on("line", onStdout);
    stderrLines.on("line", onStderr);
    const streamsClosed = Promise.all([
      new Promise<void>((r) => stdoutLines.once("close", r)),
      new Promise<void>((r) => stderrLines.once("close", r)),
    ]);
    child.stdin!.on("error", () => {}); // the process closed its input: answers are dropped, its exit says the rest
    child.on("error", (error) => {
      start.error ??= error;
      if (child.pid === undefined) {
        exitStatus = { code: null, signal: null };
        onExited();
      }
    });
    child.on("exit", (code, signal) => {
      exitStatus = { code, signal };
      onExited();
    });

    let timeout: NodeJS.Timeout | null = null;
    if (this.options.timeoutPerTrial !== undefined) {
      timeout = setTimeout(() => this.stop(process, "timeout"), this.options.timeoutPerTrial * 1000);
    }
    const onAbort = () => {
      if (!this.interrupting) this.stop(process, "interrupt");
    };
    trial.signal.addEventListener("abort", onAbort);

    const judge = async () => {
      await exited;
      // The lines it wrote before ending are read before judging; a grandchild holding the pipes open is not waited for.
      await Promise.race([streamsClosed, new Promise((r) => setTimeout(r, 2000).unref())]);
      if (timeout) clearTimeout(timeout);
      if (askWindow) clearTimeout(askWindow);
      if (process.killTimer) clearTimeout(process.killTimer);
      trial.signal.removeEventListener("abort", onAbort);
      this.running.delete(process);
      child.stdin?.destroy();
      stdoutLines.close();
      stderrLines.close();
      if (this.interrupting) return; // never settles: the trial is queued again by whoever interrupted
      // Interrupted (optimize's signal, study.interrupt): the study fails and queues the trial, perhaps already.
      if (trial.signal.aborted) return reject(trial.signal.reason as Error);
      const { code, signal } = exitStatus!;
      if (start.error && child.pid === undefined) return reject(new CommandTrialError(`command could not start: ${start.error.message}`));
      trial.setSystemAttr(COMMAND_EXIT_CODE_ATTR, code);
      trial.setSystemAttr(COMMAND_SIGNAL_ATTR, signal);
      const fail = (reason: string) => {
        trial.setSystemAttr(COMMAND_STDERR_TAIL_ATTR, stderrTail.join("\n"));
        reject(new CommandTrialError(reason));
      };
      if (process.stoppedFor === "malformed") return fail(protocolError ?? "malformed protocol line");
      if (process.stoppedFor === "timeout") return fail(`command timed out after ${this.options.timeoutPerTrial} s (--timeout-per-trial)`);
      if (process.stoppedFor === "prune" || (toldToPrune && final === null)) return settle("pruned");
      if (signal !== null) return fail(`command ended by signal ${signal}`);
      if (code !== 0) return fail(`command exited with code ${code}`);
      if (final !== null) return settle(final);
      if (toldToPrune) return settle("pruned");
      return fail(`command exited without a final value (print ${PROTOCOL_PREFIX}{"final": …} before exiting)`);
    };
    // A write that fails here (the trial finished under us) fails the trial's promise, never the process.
    judge().catch((error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
    return promise;
  }
}
