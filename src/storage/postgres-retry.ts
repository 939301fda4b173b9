/**
 * @module Riding out a PostgreSQL server that goes away (a restart, a failover, a dropped network): which errors
 * mean the connection was lost rather than the statement refused, and retrying with exponential back-off for a
 * bounded time, saying once when the server is lost and once when it is back.
 *
 * Retrying is only safe for statements that may run twice; `postgres.ts` makes its non-idempotent writes safe by
 * re-reading what a lost attempt may have committed before trying again (the `afterLoss` flag below, and
 * docs/postgres.md, "When the server goes away").
 */
import { StorageError } from "../errors.js";

export interface RetryPolicy {
  /** The first wait after a lost connection; each next wait doubles, up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** How long to keep trying before giving up with one line naming the server. */
  readonly budgetMs: number;
}

/** A restart takes seconds; a minute covers a failover too, without hiding a server that is down for good. */
export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 100, maxDelayMs: 2_000, budgetMs: 60_000 };

/**
 * Connection-level SQLSTATEs: the whole class 08 (connection exception), and of class 57 the shutdowns and a server
 * still starting: admin_shutdown, crash_shutdown, cannot_connect_now.
 */
const LOST_SQLSTATE = /^(08...|57P01|57P02|57P03)$/;
/** Socket errors of a server that went away or is not back yet. */
const LOST_SOCKET = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);
/** The pg driver's own errors for a connection that ended under it; they carry no code. */
const LOST_MESSAGE = /^Connection terminated|connection error and is not queryable|Client was closed and is not queryable/;

/**
 * Whether an error means the connection to the server was lost (worth retrying), not that a statement failed; a
 * failed first connection counts by its cause.
 */
export function isConnectionLoss(error: unknown): boolean {
  const { code, message, cause } = (error ?? {}) as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === "string" && (LOST_SQLSTATE.test(code) || LOST_SOCKET.has(code))) return true;
  if (typeof message === "string" && LOST_MESSAGE.test(message)) return true;
  return cause !== undefined && cause !== error && isConnectionLoss(cause);
}

/** When the server was last away, as this process saw it (epoch milliseconds). */
export interface Outage {
  readonly from: number;
  readonly to: number;
}

/**
 * One storage's link to its server: runs operations, retrying those that lose the connection. Operations running
 * at once during an outage share one "lost" and one "back" line.
 */
export class ServerLink {
  private lostAt: number | null = null;
  /** The last outage that ended, for judging heartbeats that could not land meanwhile. */
  lastOutage: Outage | null = null;

  constructor(
    /** The server as it may be shown (no password). */
    readonly server: string,
    private readonly report: (message: string) => void,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /**
   * Runs `attempt` until it succeeds, fails for another reason, or the server stays away longer than the budget.
   * `afterLoss` is true when an earlier attempt lost its connection: what it sent may have been committed.
   */
  async run<T>(attempt: (afterLoss: boolean) => Promise<T>): Promise<T> {
    let lostSince: number | null = null;
    let delay = this.policy.firstDelayMs;
    for (;;) {
      try {
        const result = await attempt(lostSince !== null);
        this.regained();
        return result;
      } catch (error) {
        if (!isConnectionLoss(error)) {
          if (lostSince !== null) this.regained();
          throw error;
        }
        const now = Date.now();
        const since = (lostSince ??= now);
        this.lost(now);
        if (now - since >= this.policy.budgetMs) throw this.gaveUp(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(delay, since + this.policy.budgetMs - now)));
        delay = Math.min(delay * 2, this.policy.maxDelayMs);
      }
    }
  }

  private lost(now: number): void {
    if (this.lostAt !== null) return;
    this.lostAt = now;
    this.report(`lost the connection to PostgreSQL at ${this.server}; retrying for up to ${Math.round(this.policy.budgetMs / 1000)} s`);
  }

  private regained(): void {
    if (this.lostAt === null) return;
    const now = Date.now();
    const seconds = ((now - this.lostAt) / 1000).toFixed(1);
    this.lastOutage = { from: this.lostAt, to: now };
    this.lostAt = null;
    this.report(`PostgreSQL at ${this.server} is back after ${seconds} s; carrying on`);
  }

  private gaveUp(error: unknown): StorageError {
    const seconds = Math.round(this.policy.budgetMs / 1000);
    const cause = (error as Error).message ?? String(error);
    return new StorageError(
      `lost PostgreSQL at ${this.server} and could not reconnect within ${seconds} s (${cause}): check that the server is running and reachable (pg_isready)`,
    );
  }
}
