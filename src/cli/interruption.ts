/**
 * @module How a running CLI command is stopped: SIGINT (Ctrl-C), SIGTERM (Slurm, Kubernetes, `timeout`), SIGHUP (a
 * closed terminal), or its standard output closing (`scaletune run … | head`). Each ends the command the same way —
 * running trials failed and queued again, a resume command printed — and exits as the shell expects of that cause:
 * 128 + the signal's number.
 */
import { constants } from "node:os";

export type StopCause = "SIGINT" | "SIGTERM" | "SIGHUP" | "stdout closed";

const EXIT_CODES: Record<StopCause, number> = {
  SIGINT: 128 + constants.signals.SIGINT,
  SIGTERM: 128 + constants.signals.SIGTERM,
  SIGHUP: 128 + constants.signals.SIGHUP,
  // A process that writes to a closed pipe dies of SIGPIPE; its shell sees the same status from us.
  "stdout closed": 128 + constants.signals.SIGPIPE,
};

export function exitCode(cause: StopCause): number {
  return EXIT_CODES[cause];
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

let current: ((cause: StopCause) => void) | null = null;

/**
 * Calls `handler` once on the first stop cause while the returned function has not been called; a second signal
 * exits at once. Without a handler installed, a closed stdout ends the process quietly (see `stdoutClosed`).
 */
export function onStop(handler: (cause: StopCause) => void): () => void {
  let stopping = false;
  const stop = (cause: StopCause) => {
    if (stopping) {
      if (cause !== "stdout closed") process.exit(exitCode(cause));
      return;
    }
    stopping = true;
    handler(cause);
  };
  const listeners = SIGNALS.map((signal) => {
    const listener = () => stop(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  current = stop;
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
    if (current === stop) current = null;
  };
}

/** For the CLI's stdout error handler: a closed pipe stops the command in progress, or else the process, quietly. */
export function stdoutClosed(): void {
  if (current) current("stdout closed");
  else process.exit(0);
}

/** `text` as one shell word: unchanged when it is plainly safe, else in single quotes. */
export function shellQuote(text: string): string {
  if (/^[\w./:=@%+,-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs this process again, pasteable into a POSIX shell. */
export function shellCommand(program: string, args: readonly string[]): string {
  return [program, ...args].map(shellQuote).join(" ");
}
