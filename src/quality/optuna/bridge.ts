/**
 * @module The Optuna bridge: a long-lived Python process running Optuna's ask/tell interface, driven over JSON
 * lines (protocol in `bridge-script.ts`), and one benchmark run through it.
 *
 * Optuna proposes, scaletune evaluates: the problem's TypeScript objective runs on a replaying trial
 * (`define-by-run.ts`) that fetches each new parameter from `trial.suggest_*` in Python with the same distribution,
 * so both libraries optimise literally the same function. Python times its own ask/suggest/tell calls, which
 * keeps the bridge's pipe latency out of Optuna's overhead figures.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { ConfigError, ScaletuneError } from "../../errors.js";
import { median } from "../../math/statistics.js";
import type { Problem } from "../problems/problem.js";
import { bestSoFar, type RunResult } from "../problems/run-result.js";
import { OPTUNA_BRIDGE_SCRIPT } from "./bridge-script.js";
import { INSTALL_OPTUNA, pythonExecutable } from "./python.js";
import { ReplayError, evaluateByReplay } from "./define-by-run.js";

type Reply = Record<string, unknown>;

/** The Python side failed or broke the protocol (as opposed to the objective failing). */
export class BridgeError extends Error {
  override readonly name = "BridgeError";
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

export class OptunaBridge {
  private readonly pending: Pending[] = [];
  private stderrTail = "";
  private exited: Error | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly python: string,
  ) {
    createInterface({ input: child.stdout }).on("line", (line) => this.onLine(line));
    child.stderr.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-2000);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      this.fail(
        error.code === "ENOENT"
          ? new ConfigError(`--vs-optuna needs Python with Optuna, but ${python} does not exist; ${INSTALL_OPTUNA}`)
          : new ConfigError(`--vs-optuna could not start ${python}: ${error.message}; ${INSTALL_OPTUNA}`),
      );
    });
    // A write to a process that died fails here too; the "close" handler below reports why it died.
    child.stdin.on("error", () => {});
    // "close", not "exit": it comes after the last line of output, which may explain the exit.
    child.on("close", (code, signal) => {
      const last = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
      this.fail(new BridgeError(`the Optuna bridge (${python}) exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ""}`));
    });
  }

  /** Starts Python and waits for Optuna to load; a ConfigError with install instructions when it cannot. */
  static async start(python = pythonExecutable()): Promise<{ bridge: OptunaBridge; version: string }> {
    const child = spawn(python, ["-c", OPTUNA_BRIDGE_SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
    const bridge = new OptunaBridge(child, python);
    const ready = await bridge.next().catch((error: unknown) => {
      throw error instanceof ConfigError ? error : new ConfigError(`--vs-optuna: ${(error as Error).message}; ${INSTALL_OPTUNA}`);
    });
    return { bridge, version: String(ready.optuna) };
  }

  /** Sends one request and waits for its reply; an `error` reply rejects. */
  request(message: Reply): Promise<Reply> {
    const reply = this.next();
    if (!this.exited) this.child.stdin.write(`${JSON.stringify(message)}\n`);
    return reply;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once("close", () => resolve()));
    this.child.stdin.end();
    await exit;
  }

  private next(): Promise<Reply> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  private onLine(line: string): void {
    const waiter = this.pending.shift();
    if (!waiter) return;
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch {
      return waiter.reject(new BridgeError(`the Optuna bridge sent a line that is not JSON: ${line.slice(0, 200)}`));
    }
    if (reply.error === "import") {
      return waiter.reject(new ConfigError(`--vs-optuna needs Optuna, but ${this.python} cannot import it (${String(reply.message)}); ${INSTALL_OPTUNA}`));
    }
    if (reply.error === "sampler") return waiter.reject(new ConfigError(String(reply.message)));
    if (reply.error !== undefined) return waiter.reject(new BridgeError(`Optuna: ${String(reply.message)}`));
    waiter.resolve(reply);
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const waiter of this.pending.splice(0)) waiter.reject(this.exited);
  }
}

/** One run of an Optuna sampler on a problem, through the bridge. */
export async function runOptuna(bridge: OptunaBridge, problem: Problem, sampler: string, seed: number, trials: number): Promise<RunResult> {
  await bridge.request({ op: "start", sampler, seed, direction: problem.direction });
  const objective = problem.objectiveFor(seed);
  const values: (number | null)[] = [];
  const askMs: number[] = [];
  const tellMs: number[] = [];
  const start = performance.now();
  for (let i = 0; i < trials; i++) {
    const asked = await bridge.request({ op: "ask" });
    let suggestMs = 0;
    let value: number | null;
    try {
      value = await evaluateByReplay(objective, asked.number as number, async (name, distribution) => {
        const reply = await bridge.request({ op: "suggest", name, distribution: { ...distribution } });
        suggestMs += reply.ms as number;
        return reply.value as number;
      });
    } catch (error) {
      // Only the objective's own errors fail the trial; a broken bridge, problem or replay stops the run.
      if (error instanceof ScaletuneError || error instanceof BridgeError || error instanceof ReplayError) throw error;
      value = null;
    }
    askMs.push((asked.ms as number) + suggestMs);
    const finite = value !== null && Number.isFinite(value);
    const told = await bridge.request(finite ? { op: "tell", value } : { op: "tell", failed: true });
    tellMs.push(told.ms as number);
    values.push(finite ? value : null);
  }
  return {
    problem: problem.name,
    engine: "optuna",
    sampler,
    seed,
    bestSoFar: bestSoFar(values, problem.direction),
    askMs: median(askMs),
    tellMs: median(tellMs),
    objectiveMs: null,
    wallMs: performance.now() - start,
    failed: values.filter((v) => v === null).length,
    warnings: [],
  };
}
