/**
 * @module The PostgreSQL server the benchmarks measure on: named by SCALETUNE_BENCH_POSTGRES (or
 * SCALETUNE_TEST_POSTGRES); each measurement runs in a schema of its own, dropped afterwards.
 */

export const POSTGRES = process.env.SCALETUNE_BENCH_POSTGRES ?? process.env.SCALETUNE_TEST_POSTGRES ?? "";

/** What a PostgreSQL benchmark prints instead of measuring when no server is named. */
export const NO_POSTGRES = "skipped: set SCALETUNE_BENCH_POSTGRES=postgres://user@host:5432/database to measure on a PostgreSQL server";

/** Runs SQL on the server (creating and dropping the measurements' schemas and databases); the last statement's rows. */
export async function onPostgres<R = Record<string, unknown>>(sql: string, url = POSTGRES): Promise<R[]> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = (await client.query(sql)) as unknown as { rows: R[] } | { rows: R[] }[];
    return (Array.isArray(result) ? result.at(-1)! : result).rows;
  } finally {
    await client.end();
  }
}

/** The server's URL with `schema` as its search_path: where scaletune puts its tables. */
export function schemaUrl(schema: string): string {
  const url = new URL(POSTGRES);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
