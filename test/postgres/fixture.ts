/**
 * A PostgreSQL server for tests: its URL comes from SCALETUNE_TEST_POSTGRES. Unset, the tests are skipped with the
 * reason printed — except under CI=true, where a missing or unreachable server fails them.
 * Each test gets a fresh schema of its own (a URL whose `options` set the search_path), dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const SERVER = process.env.SCALETUNE_TEST_POSTGRES ?? "";
const CI = process.env.CI === "true";

/** Why the PostgreSQL tests do not run here, or null when they do; under CI, the reason fails them. */
export const skipReason: string | null = await (async () => {
  if (SERVER === "") return "SCALETUNE_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)";
  const client = new pg.Client({ connectionString: SERVER, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.end();
    return null;
  } catch (error) {
    return `PostgreSQL at SCALETUNE_TEST_POSTGRES is unreachable: ${(error as Error).message}`;
  }
})();

if (skipReason !== null) {
  if (CI) throw new Error(`CI=true requires PostgreSQL for these tests: ${skipReason}`);
  console.log(`# skipping the PostgreSQL tests: ${skipReason}`);
}

/** `{ skip }` for describe/it: the reason, or false when the server is there. */
export const skip = skipReason ?? false;

async function admin<T>(body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

export interface Schema {
  /** The server's URL with this schema as its search_path. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A new, empty schema on the test server. */
export async function freshSchema(): Promise<Schema> {
  const name = `scaletune_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE SCHEMA ${name}`));
  const url = new URL(SERVER);
  url.searchParams.set("options", `-c search_path=${name}`);
  return {
    url: url.toString(),
    name,
    drop: () => admin((c) => c.query(`DROP SCHEMA ${name} CASCADE`)).then(() => undefined),
  };
}
