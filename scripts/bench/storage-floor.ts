// The least any writer of a set of rows could spend storing them: the rows, as the application
// stored them, written again by one INSERT … SELECT into a fresh table shaped like theirs (columns,
// defaults, keys and indexes), with no row-level security, no triggers, no lookups and no text to
// parse. A benchmark reports it next to its baseline, so a target can be read against what the
// tables themselves cost in the same run.
import type postgres from "postgres";

/** Times writing one shop's rows of `table` into a new table like it (dropped afterwards). */
export async function timeStoring(raw: postgres.Sql, table: string, shopId: string): Promise<number> {
  const copy = `bench_floor_${table}`;
  await raw.unsafe(`create table ${copy} (like ${table} including defaults including indexes including constraints)`);
  try {
    const started = performance.now();
    await raw.unsafe(`insert into ${copy} select * from ${table} where shop_id = $1`, [shopId]);
    return performance.now() - started;
  } finally {
    await raw.unsafe(`drop table ${copy}`);
  }
}
