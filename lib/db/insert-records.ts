// Bulk insert of many rows as one JSON parameter: the database expands it with
// json_populate_recordset. Building one parameter is far cheaper than thousands of bound values,
// and it works the same on Postgres and PGlite. Columns are those of the first row (all rows give
// the same ones); columns left out get their defaults.
import { sql } from "drizzle-orm";
import type { Tx } from "./client";

export async function insertRecords(tx: Tx, table: string, rows: Record<string, unknown>[], batch = 5000): Promise<void> {
  if (rows.length === 0) return;
  const columns = sql.join(Object.keys(rows[0]!).map((c) => sql.identifier(c)), sql`, `);
  for (let i = 0; i < rows.length; i += batch) {
    const json = JSON.stringify(rows.slice(i, i + batch));
    await tx.execute(
      sql`insert into ${sql.identifier(table)} (${columns}) select ${columns} from json_populate_recordset(null::${sql.identifier(table)}, ${json}::json)`,
    );
  }
}
