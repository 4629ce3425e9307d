// Imports one CSV file into a shop: the header is mapped, each row is checked on its own (a bad
// row is reported with its row number, column and a sentence, and the good rows go in), rows are
// written in batches by the kind's writer, and the import is recorded with its counts.
// imported + updated + rejected = total, always. A file that fails as a whole (unreadable, wrong
// kind) throws before anything is written. Each batch is its own transaction, with the import's
// counts updated in it: progress is visible to every instance, other requests are served between
// batches (embedded PGlite has one connection), and a re-run after a crash is safe because every
// write is idempotent.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { importRejectedRows, imports } from "../db/schema";
import type { Database } from "../db/client";
import { withShop, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { getShop } from "../shops/get-shop";
import { mapColumns, type ImportKind } from "./columns";
import { CellError, ParseSettingsSchema } from "./parse-values";
import { RowRejection, type Cells, type ImportContext, type KindWriter } from "./kind-writer";
import { detectDateOrder } from "./detect-date-order";
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

/** An import that stopped part-way; its record already says so. */
export class ImportAborted extends Error {
  constructor(
    readonly importId: string,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

export interface ImportProgress {
  rows: number;
  /** Bytes of the file read so far (the parser reads a little ahead of the rows written). */
  bytesRead: number;
  bytes: number;
}
const MAX_ERRORS_RETURNED = 1000;

export async function runImport(
  target: { shopId: string; database?: Database },
  path: string,
  input: ImportOptions,
  options: { createdBy?: string | null; now?: Date; onProgress?: (done: ImportProgress) => void; memoLimit?: number } = {},
): Promise<ImportResult> {
  const parsedOptions = ImportOptionsSchema.safeParse(input);
  if (!parsedOptions.success) throw new AppError("invalid_input", `Import options: ${parsedOptions.error.issues[0]?.message}`);
  const { kind, fileName, mapping } = parsedOptions.data;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(target.shopId, fn, target.database);
  const shop = await inShop(getShop);
  const settings = ParseSettingsSchema.parse({ timeZone: shop.timeZone, currency: shop.currency, country: shop.country ?? undefined, ...parsedOptions.data.settings });

  const facts = await inspectFile(path);
  const read = { bytes: 0 };
  const records = readCsvRecords(path, facts.encoding, read);
  const first = await records.next();
  if (first.done || !("header" in first.value)) throw new AppError("invalid_input", "The file has no header row.");
  const header = first.value.header;
  const columns = mapColumns(kind, header, mapping);
  const columnOf = (field: string) => header[columns.fields.indexOf(field)] ?? field;
  // Day-first or month-first, unless the owner said: from the file's own dates, else the shop's country.
  if (!parsedOptions.data.settings.dateOrder) settings.dateOrder = await detectDateOrder(path, facts.encoding, columns, shop.country);

  const importId = randomUUID();
  const ctx: ImportContext = {
    shopId: shop.id,
    importId,
    fileSha256: facts.sha256,
    fileName,
    settings,
    now: options.now ?? new Date(),
    columnOf,
    memo: new Map(),
    memoLimit: options.memoLimit ?? 100_000,
  };
  // The record goes in first so rejected rows can point at it; its counts are filled in at the end.
  await inShop((tx) => tx.insert(imports).values({
    id: importId, shopId: ctx.shopId, kind, fileName, fileSha256: facts.sha256, status: "running", header,
    settings, createdBy: options.createdBy ?? null,
    ignoredColumns: columns.ignored,
  }));

  const writer = writers[kind];
  const counts = { total: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 };
  const errors: RowError[] = [];
  const rejected: { row: number; values: string[]; column: string; message: string }[] = [];
  const rawByRow = new Map<number, string[]>();
  let batch: { row: number; value: unknown }[] = [];

  const reject = (row: number, values: string[], column: string, message: string) => {
    counts.rejected += 1;
    if (errors.length < MAX_ERRORS_RETURNED) errors.push({ row, column, message });
    rejected.push({ row, values, column, message });
  };
  // One transaction: the batch's writes, its rejected rows and the import's running counts. If it
  // rolls back, the counts go back too, so a failed import's record counts only what was stored.
  const flush = async () => {
    const saved = { ...counts };
    const savedErrors = errors.length;
    try {
      await writeBatch();
    } catch (e) {
      Object.assign(counts, saved);
      errors.length = savedErrors;
      throw e;
    }
  };
  const writeBatch = () =>
    inShop(async (tx) => {
      if (batch.length > 0) {
        const outcomes = await writer.write(tx, batch, ctx);
        for (const { row } of batch) {
          const outcome = outcomes.get(row);
          if (outcome === undefined) throw new Error(`writer gave no outcome for row ${row}`);
          if (typeof outcome === "object") reject(row, rawByRow.get(row) ?? [], outcome.column, outcome.error);
          else if (outcome === "unchanged") {
            counts.updated += 1;
            counts.unchanged += 1;
          } else counts[outcome] += 1;
        }
      }
      for (let i = 0; i < rejected.length; i += BATCH) {
        await tx.insert(importRejectedRows).values(rejected.slice(i, i + BATCH).map((r) => ({ ...r, shopId: ctx.shopId, importId })));
      }
      await tx.update(imports).set(counts).where(eq(imports.id, importId));
      batch = [];
      rejected.length = 0;
      rawByRow.clear();
      options.onProgress?.({ rows: counts.total, bytesRead: read.bytes, bytes: facts.bytes });
    });

  try {
    for await (const record of records) {
      if ("header" in record) continue;
      counts.total += 1;
      const { row, values } = record;
      if (values.length > header.length && values.slice(header.length).some((v) => v.trim() !== "")) {
        reject(row, values, "(row)", `This row has ${values.length} cells but the header has ${header.length}; a delimiter inside a value needs quotes.`);
        continue;
      }
      const cells: Cells = {};
      columns.fields.forEach((field, i) => {
        if (field) cells[field] = values[i];
      });
      let value: unknown;
      try {
        value = writer.parse(cells, ctx);
      } catch (e) {
        if (e instanceof RowRejection) reject(row, values, e.column, e.message);
        else if (e instanceof CellError) reject(row, values, "(row)", e.message);
        else throw e;
        // Rejected rows are kept in memory only up to a batch, whatever the file holds.
        if (rejected.length >= BATCH) await flush();
        continue;
      }
      // A full batch is written before the next row, unless that row continues the same group.
      const last = batch.at(-1);
      const continues = last !== undefined && writer.groupKey !== undefined && writer.groupKey(last.value) === writer.groupKey(value);
      if (batch.length >= BATCH && !continues) await flush();
      batch.push({ row, value });
      rawByRow.set(row, values);
    }
    await flush();
    await inShop((tx) =>
      tx
        .update(imports)
        .set({ status: "done", ...counts, errors: [...errors].sort((a, b) => a.row - b.row), finishedAt: new Date() })
        .where(eq(imports.id, importId)),
    );
  } catch (e) {
    // Rows written so far stay (each batch committed, and a re-run is idempotent); the record says what happened.
    const failure = e instanceof AppError ? e.message : "The import stopped on an unexpected error; rows before it were imported.";
    await inShop((tx) => tx.update(imports).set({ status: "failed", failure, ...counts, finishedAt: new Date() }).where(eq(imports.id, importId))).catch(() => {});
    throw new ImportAborted(importId, failure, e);
  }
  errors.sort((a, b) => a.row - b.row);
  const notes: string[] = [];
  if (facts.encoding !== "utf-8") notes.push("The file was not UTF-8; it was read as Windows-1252 (Western European).");
  if (counts.rejected > errors.length) notes.push(`Only the first ${errors.length} errors are listed; all ${counts.rejected} rejected rows can be downloaded.`);
  return { importId, kind, fileSha256: facts.sha256, ...counts, errors, ignoredColumns: columns.ignored, notes };
}
