/**
 * @module Live progress of a running study: one redrawn status line on a terminal, one line per trial otherwise.
 *
 * Every figure comes from the study's running counts, so a line costs the same in a study of 50 trials or 50,000.
 */
import type { FrozenTrial, Study } from "../index.js";
import { formatDuration, formatNumber, formatValue } from "./format.js";

export interface ProgressOptions {
  /** The study's target number of finished trials, if any. */
  target?: number;
  /** Finished trials before this run started (resumed studies). */
  alreadyDone: number;
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Print nothing (`--json`). */
  quiet?: boolean;
}

export class Progress {
  private readonly started = Date.now();
  private finishedHere = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly study: Study,
    private readonly options: ProgressOptions,
  ) {}

  private get tty(): boolean {
    return this.options.out.isTTY === true;
  }

  start(): void {
    if (!this.tty || this.options.quiet) return;
    this.timer = setInterval(() => this.draw(), 500);
    this.timer.unref();
    this.draw();
  }

  onTrial(trial: FrozenTrial): void {
    this.finishedHere++;
    if (this.options.quiet) return;
    if (this.tty) return this.draw();
    const value = trial.values ? trial.values.map(formatNumber).join(", ") : trial.state;
    const params = Object.entries(trial.params).map(([k, v]) => `${k}=${formatValue(v)}`).join(" ");
    const reason = trial.state === "failed" && trial.failReason ? ` (${trial.failReason.split("\n")[0]})` : "";
    this.options.out.write(`trial ${trial.number} ${trial.state}: ${value}${reason} | ${params} | ${this.bestText()}\n`);
  }

  /** A line of news between trial lines (on a terminal, above the status line). */
  note(message: string): void {
    if (this.options.quiet) return;
    if (this.tty) this.options.out.write("\r\x1b[2K");
    this.options.out.write(`${message}\n`);
    if (this.tty) this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty && !this.options.quiet) {
      this.draw();
      this.options.out.write("\n");
    }
  }

  private bestText(): string {
    const front = this.study.bestTrials;
    if (this.study.directions.length > 1) return `pareto front: ${front.length} trials`;
    return front[0] ? `best ${formatNumber(front[0].value)} (#${front[0].number})` : "best: -";
  }

  statusLine(): string {
    const done = this.options.alreadyDone + this.finishedHere;
    const elapsed = Date.now() - this.started;
    const rate = this.finishedHere / Math.max(elapsed / 1000, 1e-3);
    const { target } = this.options;
    const parts = [
      `trials ${done}${target !== undefined ? `/${target}` : ""} done`,
      `${this.study.running.size} running`,
      this.bestText(),
      rate >= 1 ? `${rate.toFixed(1)}/s` : `${(60 * rate).toFixed(1)}/min`,
    ];
    // Remaining trials at the rate seen so far: shown once a trial has finished here to measure the rate by.
    if (target !== undefined && this.finishedHere > 0) parts.push(`ETA ${formatDuration((1000 * Math.max(target - done, 0)) / rate)}`);
    parts.push(formatDuration(elapsed));
    return parts.join(" · ");
  }

  private draw(): void {
    const width = this.options.out.columns ?? 120;
    this.options.out.write(`\r\x1b[2K${this.statusLine().slice(0, width - 1)}`);
  }
}
