/**
 * A throw-away PostgreSQL cluster of the test's own, for tests that stop and start the server: the shared one on
 * 5432 serves other tests and people. initdb and pg_ctl refuse to run as root, so as root they run as `postgres`.
 * Without the binaries the tests are skipped with the reason printed; under CI=true that fails them instead.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BIN = process.env.SCALETUNE_TEST_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const AS_ROOT = process.getuid?.() === 0;

/** Why no private server can be started here, or null when one can. */
export const privateSkipReason: string | null = !existsSync(join(BIN, "pg_ctl"))
  ? `no PostgreSQL binaries in ${BIN} (set SCALETUNE_TEST_PG_BIN to their directory)`
  : AS_ROOT && !hasUser("postgres")
    ? "running as root without a postgres user to run initdb and pg_ctl as"
    : null;

if (privateSkipReason !== null) {
  if (process.env.CI === "true") throw new Error(`CI=true requires a private PostgreSQL for these tests: ${privateSkipReason}`);
  console.log(`# skipping the private-PostgreSQL tests: ${privateSkipReason}`);
}

function hasUser(name: string): boolean {
  try {
    execFileSync("id", ["-u", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs a PostgreSQL program, as `postgres` when this is root. */
function pgProgram(program: string, args: readonly string[]): void {
  const command = AS_ROOT ? ["runuser", "-u", "postgres", "--", join(BIN, program), ...args] : [join(BIN, program), ...args];
  execFileSync(command[0]!, command.slice(1), { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateServer {
  readonly url: string;
  /** Stops the server as an operator restarting it would: open connections are terminated (`-m fast`). */
  stop(): void;
  start(): void;
  /** Stops it for good and deletes its files. */
  remove(): void;
}

export async function startPrivateServer(): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), "scaletune-pg-"));
  if (AS_ROOT) execFileSync("chown", ["postgres:postgres", dir]);
  const data = join(dir, "data");
  const port = await freePort();
  // Durability is not what these tests are about: no fsync makes start-up and every commit cheaper.
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off`;
  pgProgram("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--no-sync"]);
  const server: PrivateServer = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => pgProgram("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    start: () => pgProgram("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "start"]),
    remove: () => {
      try {
        pgProgram("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
