import { desc, eq } from "drizzle-orm";
import { toCsv } from "../csv/to-csv";
import { importRejectedRows, imports } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { z } from "zod";

export async function listImports(tx: ShopTx, options: { limit?: number } = {}) {
  return tx.select().from(imports).orderBy(desc(imports.createdAt)).limit(options.limit ?? 50);
}

/**
 * The rejected rows of an import as a CSV the owner can fix and import again: the original
 * header and cells, plus an "error" column saying what to fix.
 */
export async function getRejectedRowsCsv(tx: ShopTx, importId: string): Promise<{ fileName: string; csv: string }> {
  if (!z.uuid().safeParse(importId).success) throw notFound("Import");
  const [record] = await tx.select().from(imports).where(eq(imports.id, importId));
  if (!record) throw notFound("Import");
  const rows = await tx.select().from(importRejectedRows).where(eq(importRejectedRows.importId, importId)).orderBy(importRejectedRows.row);
  const data = rows.map((r) => [...record.header.map((_, i) => r.values[i]), `row ${r.row}, ${r.column}: ${r.message}`]);
  return { fileName: record.fileName.replace(/(\.csv)?$/i, "-rejected.csv"), csv: toCsv([...record.header, "error"], data) };
}
