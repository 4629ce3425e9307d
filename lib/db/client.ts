// One schema, two engines: postgres.js against DATABASE_URL, or embedded PGlite in PGLITE_DIR.
// Both are driven through drizzle's Postgres core, so everything above this file is engine-free.
import path from "node:path";
import fs from "node:fs";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { AppError } from "../errors";
import { readEnv } from "../env";
import * as schema from "./schema";
import { lockDataDir } from "./pglite-lock";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  kind: "pglite" | "postgres";
  /** Where the data lives, with any password removed: safe to print. */
  label: string;
  db: Db;
  close(): Promise<void>;
}

export type DatabaseConfig =
  | { kind: "postgres"; url: string; max?: number }
  | { kind: "pglite"; dir: string | null /* null: in memory */ };

// Resolved from the project root (the bin script sets REGULARS_ROOT), not from this file, because
// Next bundles this module into .next/ where a file-relative path would point nowhere.
export const migrationsFolder = path.resolve(process.env.REGULARS_ROOT ?? process.cwd(), "drizzle");

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export function configFromEnv(env = readEnv()): DatabaseConfig {
  return env.DATABASE_URL
    ? { kind: "postgres", url: env.DATABASE_URL }
    : { kind: "pglite", dir: env.PGLITE_DIR };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const label = redactUrl(url);
  const client = postgres(url, { max, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select 1`;
  } catch (e) {
    await client.end({ timeout: 1 }).catch(() => {});
    const reason = (e as Error).message || String(e);
    throw new AppError("database_unavailable", `Cannot connect to the database at ${label}: ${reason}`, { cause: e });
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  return { kind: "postgres", label, db, close: () => client.end({ timeout: 5 }) };
}

async function openPglite(dir: string | null): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const label = dir ? `PGlite in ${path.resolve(dir)}` : "PGlite in memory";
  const lock = dir ? lockDataDir(dir) : null;
  try {
    if (dir) fs.mkdirSync(dir, { recursive: true });
    const client = await PGlite.create(dir ?? undefined);
    const db = drizzle(client, { schema }) as unknown as Db;
    return {
      kind: "pglite",
      label,
      db,
      close: async () => {
        await client.close();
        lock?.release();
      },
    };
  } catch (e) {
    lock?.release();
    throw new AppError("database_unavailable", `Cannot open ${label}: ${(e as Error).message}`, { cause: e });
  }
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "postgres") {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(database.db as never, { migrationsFolder });
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder });
  }
}

export async function openDatabase(config: DatabaseConfig, options: { migrate?: boolean } = {}): Promise<Database> {
  const database =
    config.kind === "postgres" ? await openPostgres(config.url, config.max ?? 10) : await openPglite(config.dir);
  if (options.migrate ?? true) {
    try {
      await migrateDatabase(database);
    } catch (e) {
      await database.close().catch(() => {});
      throw new AppError("database_unavailable", `Migrating ${database.label} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return database;
}

// The process-wide database. A failed open is not cached, so the next request retries.
const holder = globalThis as unknown as { __regularsDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  if (!holder.__regularsDb) {
    const opening = openDatabase(configFromEnv());
    holder.__regularsDb = opening;
    opening.catch(() => {
      if (holder.__regularsDb === opening) holder.__regularsDb = undefined;
    });
  }
  return holder.__regularsDb;
}

/** Use an already open database as the process-wide one (the CLI and tests). */
export function setDatabase(database: Database): void {
  holder.__regularsDb = Promise.resolve(database);
}

export async function closeDatabase(): Promise<void> {
  const current = holder.__regularsDb;
  holder.__regularsDb = undefined;
  if (current) await (await current).close();
}

/** Rows of a raw query, whichever engine ran it. Cast aggregates in SQL (::int, ::float8). */
export async function queryRows<T>(runner: Pick<Db, "execute">, query: SQL): Promise<T[]> {
  const result = (await runner.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
