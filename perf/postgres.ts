/**
 * @module The PostgreSQL server the benchmarks measure, when SCALETUNE_BENCH_POSTGRES (or SCALETUNE_TEST_POSTGRES)
 * names one: each measurement runs in a schema of its own, made and dropped through `onPostgres`.
 */

/** The server's URL, or "" when none is named. */
export const POSTGRES = process.env.SCALETUNE_BENCH_POSTGRES ?? process.env.SCALETUNE_TEST_POSTGRES ?? "";

/** Runs a statement on the server (creating and dropping the measurements' schemas). */
export async function onPostgres(sql: string): Promise<void> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(sql);
  await client.end();
}

/** The server's URL with `schema` as its search_path: a storage URL for one measurement. */
export function schemaUrl(schema: string): string {
  const url = new URL(POSTGRES);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
