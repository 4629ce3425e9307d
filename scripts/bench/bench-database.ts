// A benchmark's own Postgres database: created fresh (migrated by openDatabase), reached both as the
// application (`database`) and as its owner without row-level security (`raw`, for fixtures and
// baselines), and dropped afterwards whatever happens.
import postgres from "postgres";
import { openDatabase, type Database } from "../../lib/db/client";

export interface BenchDatabase {
  database: Database;
  raw: postgres.Sql;
  url: string;
}

export async function withBenchDatabase<T>(adminUrl: string, label: string, run: (bench: BenchDatabase) => Promise<T>, options: { max?: number; rawMax?: number } = {}): Promise<T> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `regulars_bench_${label}_${process.pid}`;
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: url.toString(), ...(options.max ? { max: options.max } : {}) });
  const raw = postgres(url.toString(), { max: options.rawMax ?? 1, onnotice: () => {} });
  try {
    return await run({ database, raw, url: url.toString() });
  } finally {
    await raw.end({ timeout: 5 });
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}
