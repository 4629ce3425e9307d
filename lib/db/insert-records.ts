// Bulk insert of many rows as one JSON parameter: the database expands it with
// json_populate_recordset. Building one parameter is far cheaper than thousands of bound values,
// and it works the same on Postgres and PGlite. Every column must be given (defaults do not apply).
import { sql } from "drizzle-orm";
import type { Tx } from "./client";

export async function insertRecords(tx: Tx, table: string, rows: Record<string, unknown>[], batch = 5000): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const json = JSON.stringify(rows.slice(i, i + batch));
    await tx.execute(sql`insert into ${sql.identifier(table)} select * from json_populate_recordset(null::${sql.identifier(table)}, ${json}::json)`);
  }
}
