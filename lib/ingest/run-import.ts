// Imports one CSV file into a shop inside the caller's transaction: the header is mapped, each row
// is checked on its own (a bad row is reported with its row number, column and a sentence, and
// the good rows go in), rows are written in batches by the kind's writer, and the import is
// recorded with its counts. imported + updated + rejected = total, always. A file that fails as a
// whole (unreadable, wrong kind) throws before anything is written.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { importRejectedRows, imports } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { getShop } from "../shops/get-shop";
import { mapColumns, type ImportKind } from "./columns";
import { CellError, ParseSettingsSchema } from "./parse-values";
import { RowRejection, type Cells, type ImportContext, type KindWriter } from "./kind-writer";
import { inspectFile, readCsvRecords } from "./read-csv";
import { ImportOptionsSchema, type ImportOptions, type ImportResult, type RowError } from "./schemas";
import { customersWriter } from "./write-customers";
import { ordersWriter } from "./write-orders";
import { consentWriter } from "./write-consent";
import { spendWriter } from "./write-spend";

const writers: Record<ImportKind, KindWriter<unknown>> = {
  customers: customersWriter as KindWriter<unknown>,
  orders: ordersWriter as KindWriter<unknown>,
  consent: consentWriter as KindWriter<unknown>,
  spend: spendWriter as KindWriter<unknown>,
};

const BATCH = 1000;
const MAX_ERRORS_RETURNED = 1000;

export async function runImport(
  tx: ShopTx,
  path: string,
  input: ImportOptions,
  options: { createdBy?: string | null; now?: Date; onProgress?: (done: { rows: number; bytes: number }) => void } = {},
): Promise<ImportResult> {
  const parsedOptions = ImportOptionsSchema.safeParse(input);
  if (!parsedOptions.success) throw new AppError("invalid_input", `Import options: ${parsedOptions.error.issues[0]?.message}`);
  const { kind, fileName, mapping } = parsedOptions.data;
  const shop = await getShop(tx);
  const settings = ParseSettingsSchema.parse({ timeZone: shop.timeZone, currency: shop.currency, ...parsedOptions.data.settings });

  const facts = await inspectFile(path);
  const records = readCsvRecords(path, facts.encoding);
  const first = await records.next();
  if (first.done || !("header" in first.value)) throw new AppError("invalid_input", "The file has no header row.");
  const header = first.value.header;
  const columns = mapColumns(kind, header, mapping);
  const columnOf = (field: string) => header[columns.fields.indexOf(field)] ?? field;

  const importId = randomUUID();
  const ctx: ImportContext = {
    shopId: await currentShopId(tx),
    importId,
    fileSha256: facts.sha256,
    fileName,
    settings,
    now: options.now ?? new Date(),
    columnOf,
    memo: new Map(),
  };
  // The record goes in first so rejected rows can point at it; its counts are filled in at the end.
  await tx.insert(imports).values({
    id: importId, shopId: ctx.shopId, kind, fileName, fileSha256: facts.sha256, status: "running", header,
    settings, createdBy: options.createdBy ?? null,
    ignoredColumns: columns.ignored,
  });

  const writer = writers[kind];
  const counts = { total: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 };
  const errors: RowError[] = [];
  const rejected: { row: number; values: string[]; column: string; message: string }[] = [];
  const rawByRow = new Map<number, string[]>();
  let batch: { row: number; value: unknown }[] = [];

  const reject = async (row: number, values: string[], column: string, message: string) => {
    counts.rejected += 1;
    if (errors.length < MAX_ERRORS_RETURNED) errors.push({ row, column, message });
    rejected.push({ row, values, column, message });
    if (rejected.length >= BATCH) await flushRejected();
  };
  const flushRejected = async () => {
    if (rejected.length === 0) return;
    await tx.insert(importRejectedRows).values(rejected.map((r) => ({ ...r, shopId: ctx.shopId, importId })));
    rejected.length = 0;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const outcomes = await writer.write(tx, batch, ctx);
    for (const { row } of batch) {
      const outcome = outcomes.get(row);
      if (outcome === undefined) throw new Error(`writer gave no outcome for row ${row}`);
      if (typeof outcome === "object") await reject(row, rawByRow.get(row) ?? [], outcome.column, outcome.error);
      else if (outcome === "unchanged") {
        counts.updated += 1;
        counts.unchanged += 1;
      } else counts[outcome] += 1;
    }
    batch = [];
    rawByRow.clear();
    options.onProgress?.({ rows: counts.total, bytes: facts.bytes });
  };

  for await (const record of records) {
    if ("header" in record) continue;
    counts.total += 1;
    const { row, values } = record;
    if (values.length > header.length && values.slice(header.length).some((v) => v.trim() !== "")) {
      await reject(row, values, "(row)", `This row has ${values.length} cells but the header has ${header.length}; a delimiter inside a value needs quotes.`);
      continue;
    }
    const cells: Cells = {};
    columns.fields.forEach((field, i) => {
      if (field) cells[field] = values[i];
    });
    try {
      batch.push({ row, value: writer.parse(cells, ctx) });
      rawByRow.set(row, values);
    } catch (e) {
      if (e instanceof RowRejection) await reject(row, values, e.column, e.message);
      else if (e instanceof CellError) await reject(row, values, "(row)", e.message);
      else throw e;
    }
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await flushRejected();

  await tx
    .update(imports)
    .set({ status: "done", ...counts, errors: [...errors].sort((a, b) => a.row - b.row), finishedAt: new Date() })
    .where(eq(imports.id, importId));

  errors.sort((a, b) => a.row - b.row);
  const notes: string[] = [];
  if (facts.encoding !== "utf-8") notes.push("The file was not UTF-8; it was read as Windows-1252 (Western European).");
  if (counts.rejected > errors.length) notes.push(`Only the first ${errors.length} errors are listed; all ${counts.rejected} rejected rows can be downloaded.`);
  return { importId, kind, fileSha256: facts.sha256, ...counts, errors, ignoredColumns: columns.ignored, notes };
}
