/**
 * Spawning the built CLI as an operator would: in the background, watched line by line, stopped by a signal.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/scaletune.js", import.meta.url));

export interface Finished {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], cwd: string): Finished {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", timeout: 120_000, maxBuffer: 1 << 28 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A CLI process in the background, its output collected as it comes. */
export class Background {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = "";
  stderr = "";
  readonly finished: Promise<Finished>;

  constructor(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
    this.child.stdout.on("data", (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.finished = new Promise((resolve) =>
      this.child.on("close", (status, signal) => resolve({ status, signal, stdout: this.stdout, stderr: this.stderr })),
    );
  }

  /** Resolves when stdout matches, rejects if the process ends first or `withinMs` passes. */
  async waitFor(pattern: RegExp, withinMs = 60_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!pattern.test(this.stdout)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`the process ended before printing ${pattern}:\n${this.stdout}\n${this.stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`no ${pattern} within ${withinMs} ms:\n${this.stdout.slice(-2000)}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Ends within `withinMs` or is killed: a process that ignores a signal fails the test instead of hanging it.
   * The kill is reported as the process's own exit so the assertion names what went wrong.
   */
  async end(withinMs: number): Promise<Finished> {
    const timer = setTimeout(() => this.child.kill("SIGKILL"), withinMs);
    const finished = await this.finished;
    clearTimeout(timer);
    return finished;
  }
}

/** Trials of a study as `scaletune trials --json` prints them. */
export interface TrialRow {
  number: number;
  state: string;
  values: number[] | null;
  params: Record<string, number | string>;
  failReason: string | null;
}

export function trialsOf(study: string, storage: string, cwd: string): TrialRow[] {
  const r = cli(["trials", "--study", study, "--storage", storage, "--json"], cwd);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as TrialRow[];
}
