// What a self-hosting owner checks first when something looks wrong: which database the app
// talks to, that it answers, and how many of the schema's migrations it has. One small query.
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../db/client";

export interface SystemStatus {
  database: string;
  migrations: number;
  lastMigrationAt: Date | null;
  roundTripMs: number;
}

export async function getSystemStatus(database: Database): Promise<SystemStatus> {
  const started = performance.now();
  const [row] = await queryRows<{ n: number; last: string | null }>(
    database.db,
    sql`select count(*)::int as n, to_timestamp(max(created_at) / 1000.0)::text as last from drizzle.__drizzle_migrations`,
  );
  return {
    database: database.label,
    migrations: row?.n ?? 0,
    lastMigrationAt: row?.last ? new Date(row.last) : null,
    roundTripMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
