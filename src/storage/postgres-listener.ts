/**
 * @module The change feed of a PostgreSQL storage: every write announces `<study id> <seq>` with `pg_notify` on the
 * channel of its schema, and one LISTEN connection per storage, open only while some study is watched, keeps the
 * highest sequence number announced for each watched study.
 *
 * A watched study's known sequence is trusted only while the connection lives, and only after it was read once
 * with LISTEN already in force: changes committed before LISTEN are in that read, every later one is announced.
 * Writers of a study commit in sequence order (they queue on its row), so an announced number vouches for every
 * smaller one. A lost connection makes every known sequence unknown (readers then read) until it is back and
 * read again.
 */
import type { Client, Notification } from "pg";
import type { StudyWatch } from "./storage.js";

/** The notification channel of the scaletune tables in one schema: NOTIFY is per database, schemas share it. */
export const CHANNEL_SQL = "'scaletune ' || current_schema()";

/** Reconnection waits, doubling from the first to the last: a server restart is noticed in well under a second. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

interface Watched {
  /** The highest sequence number known to be committed, or null while that cannot be known. */
  seq: number | null;
  /** How many open watches share this entry. */
  watches: number;
}

export class ChangeListener {
  private readonly studies = new Map<number, Watched>();
  private readonly wakers = new Set<() => void>();
  private client: Client | null = null;
  private connecting = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly connect: () => Promise<Client>) {}

  /** Starts watching a study (connecting if no other study is watched); the watch knows nothing until in force. */
  watch(studyId: number): StudyWatch {
    let entry = this.studies.get(studyId);
    if (entry === undefined) this.studies.set(studyId, (entry = { seq: null, watches: 0 }));
    entry.watches++;
    if (this.client !== null) void this.readSeqs([studyId], this.client);
    else this.reconnectSoon(0);
    let open = true;
    return {
      knownSeq: () => (open ? (this.studies.get(studyId)?.seq ?? null) : null),
      nextChange: () => (open ? new Promise<void>((resolve) => this.wakers.add(resolve)) : Promise.resolve()),
      close: () => {
        if (!open) return;
        open = false;
        this.unwatch(studyId);
      },
    };
  }

  /** A write of this process, known before its announcement arrives: the study must be read again. */
  noteWrite(studyId: number, seq: number): void {
    const entry = this.studies.get(studyId);
    if (entry !== undefined && entry.seq !== null && seq > entry.seq) entry.seq = seq;
  }

  /** Ends the connection and every watch. */
  close(): void {
    this.studies.clear();
    this.disconnect();
  }

  private unwatch(studyId: number): void {
    const entry = this.studies.get(studyId);
    if (entry === undefined || --entry.watches > 0) return;
    this.studies.delete(studyId);
    if (this.studies.size === 0) this.disconnect();
  }

  /**
   * Not awaited: the connection's socket does not hold the process open, so a process with nothing else to do
   * would exit while waiting for the server's goodbye, before whatever follows a `close()`.
   */
  private disconnect(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.wake();
    if (client !== null) void client.end().catch(() => {});
  }

  private reconnectSoon(delayMs: number): void {
    if (this.connecting || this.retryTimer !== null || this.studies.size === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.open();
    }, delayMs);
    // A feed is a shortcut, never a reason to keep a process alive.
    this.retryTimer.unref();
  }

  private async open(): Promise<void> {
    this.connecting = true;
    let client: Client | null = null;
    try {
      client = await this.connect();
      const live = client;
      if (this.studies.size === 0) {
        await live.end();
        return;
      }
      // Set before LISTEN is sent: a watch starting now queues its read behind LISTEN on this connection.
      this.client = live;
      live.on("error", () => this.lost(live));
      live.on("end", () => this.lost(live));
      live.on("notification", (message) => {
        if (live === this.client) this.announced(message);
      });
      const { rows } = await live.query<{ channel: string }>(`SELECT ${CHANNEL_SQL} AS channel`);
      await live.query(`LISTEN ${quoteIdentifier(rows[0]!.channel)}`);
      await this.readSeqs([...this.studies.keys()], live);
      if (this.client === live) this.retryMs = RETRY_FIRST_MS;
    } catch {
      if (client !== null) this.lost(client);
    } finally {
      this.connecting = false;
      if (this.client === null) this.reconnectSoon(this.nextRetry());
    }
  }

  /** Reads the studies' sequences with LISTEN in force: from here on every change is announced. */
  private async readSeqs(studyIds: readonly number[], client: Client): Promise<void> {
    try {
      const { rows } = await client.query<{ id: number; seq: number }>("SELECT id, seq FROM studies WHERE id = ANY($1::bigint[])", [studyIds]);
      if (client !== this.client) return;
      const found = new Map(rows.map((r) => [Number(r.id), Number(r.seq)]));
      for (const id of studyIds) {
        const entry = this.studies.get(id);
        // A deleted study: past any cursor, so that readers read and learn it is gone.
        if (entry !== undefined) entry.seq = Math.max(entry.seq ?? -1, found.get(id) ?? Infinity);
      }
      this.wake();
    } catch {
      this.lost(client);
    }
  }

  /**
   * An announced number is trusted even before the study's first read: it was committed after LISTEN, so every
   * smaller one is committed too, and every larger one will be announced.
   */
  private announced(message: Notification): void {
    const [study, seq] = (message.payload ?? "").split(" ").map(Number);
    const entry = this.studies.get(study!);
    if (entry === undefined || !(seq! > (entry.seq ?? -1))) return;
    entry.seq = seq!;
    this.wake();
  }

  private lost(client: Client): void {
    if (client !== this.client) return;
    this.client = null;
    for (const entry of this.studies.values()) entry.seq = null;
    this.wake();
    client.removeAllListeners();
    client.on("error", () => {});
    void client.end().catch(() => {});
    this.reconnectSoon(this.nextRetry());
  }

  private nextRetry(): number {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    return wait;
  }

  private wake(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
