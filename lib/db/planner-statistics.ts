// After a bulk write (an import, a segment refresh, the demo shop), the query planner's row counts
// are stale: it still believes a table of a million orders holds a handful, and picks plans that
// re-read it once per customer. Postgres corrects that by itself later (autovacuum); the embedded
// database never does. So whoever writes in bulk asks for fresh statistics at once. ANALYZE reads
// a fixed sample (30,000 rows by default), so this costs a fraction of a second on a large shop,
// and it runs outside any tenant transaction: statistics are the database's, not a shop's data.
import { getTableName, sql, type Table } from "drizzle-orm";
import { getDatabase, type Database } from "./client";

export async function refreshPlannerStatistics(tables: readonly Table[], database?: Database): Promise<void> {
  if (tables.length === 0) return;
  const { db } = database ?? (await getDatabase());
  const names = [...new Set(tables.map((t) => `"${getTableName(t).replaceAll('"', '""')}"`))];
  await db.execute(sql.raw(`analyze ${names.join(", ")}`));
}
