// Imports one CSV file into a shop: the header is mapped, each row is checked on its own (a bad
// row is reported with its row number, column and a sentence, and the good rows go in), rows are
// written in batches by the kind's writer, and the import is recorded with its counts.
// imported + updated + rejected = total, always. A file that fails as a whole (unreadable, wrong
// kind) throws before anything is written. Each batch is its own transaction, with the import's
// counts updated in it: progress is visible to every instance, other requests are served between
// batches (embedded PGlite has one connection), a batch that fails leaves neither rows nor counts
// behind, and a re-run after a crash is safe because every write is idempotent.
//
// Rows that belong together (an order's lines, named by the writer's groupKeyOfCells) are read as
// a group: consecutive rows with the same key go into one batch, and when one of them is rejected
// the whole group is, each row saying which line failed and why, so an order is never stored with
// part of its lines and a wrong total. Store exports keep an order's lines together. Lines of an
// order that come back further down the file (not next to the others) are another appearance of
// it: they are added to the order if it was written, and rejected if an earlier appearance was
// rejected (remembered for the import's memo limit of orders). When a later appearance is the one
// rejected, the order the earlier ones created is taken back out at the end of the import and
// their rows are reported rejected with the others; an order the shop already had, which an
// earlier appearance changed, cannot be put back as it was, and the import says so in its notes.
//
// While a batch is being written, the next one is read and checked: on Postgres the database and
// the reading work at the same time. At most two batches are held in memory.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { consentEvents, consentState, customerAttributes, customers, importRejectedRows, imports, orderItems, orders, products, spend } from "../db/schema";
import { refreshPlannerStatistics } from "../db/planner-statistics";
import { clearMetricsSnapshots } from "../metrics/metrics-snapshots";
import type { Database } from "../db/client";
import { withShop, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { getShop } from "../shops/get-shop";
import { mapColumns, type ImportKind } from "./columns";
import { CellError, ParseSettingsSchema } from "./parse-values";
import { BoundedMemo } from "./bounded-memo";
import { RowRejection, type Cells, type ImportContext, type KindWriter, type StagedBatch } from "./kind-writer";
import { detectDateOrder } from "./detect-date-order";
import { inspectFile, readCsvChunks } from "./read-csv";
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

const DEFAULT_BATCH = 1000;
/** Rows of one group held back at most: a longer run of lines of one order is written in parts. */
const MAX_GROUP_ROWS = 10_000;

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

const WRITTEN_TABLES = {
  customers: [customers, customerAttributes],
  orders: [customers, orders, orderItems, products],
  consent: [customers, consentEvents, consentState],
  spend: [spend],
} as const;

export async function runImport(
  target: { shopId: string; database?: Database },
  path: string,
  input: ImportOptions,
  options: {
    createdBy?: string | null;
    now?: Date;
    onProgress?: (done: ImportProgress) => void;
    memoLimit?: number;
    /** Rows per batch, instead of the writer's own. */
    batchSize?: number;
  } = {},
): Promise<ImportResult> {
  const parsedOptions = ImportOptionsSchema.safeParse(input);
  if (!parsedOptions.success) throw new AppError("invalid_input", `Import options: ${parsedOptions.error.issues[0]?.message}`);
  const { kind, fileName, mapping } = parsedOptions.data;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(target.shopId, fn, target.database);
  const shop = await inShop(getShop);
  const settings = ParseSettingsSchema.parse({ timeZone: shop.timeZone, currency: shop.currency, country: shop.country ?? undefined, ...parsedOptions.data.settings });

  const facts = await inspectFile(path);
  const read = { bytes: 0 };
  const records = readCsvChunks(path, facts.encoding, read);
  let header: string[];
  let columns: ReturnType<typeof mapColumns>;
  try {
    const first = await records.next();
    if (first.done || !("header" in first.value)) throw new AppError("invalid_input", "The file has no header row.");
    header = first.value.header;
    columns = mapColumns(kind, header, mapping);
    // Day-first or month-first, unless the owner said: from the file's own dates, else the shop's country.
    if (!parsedOptions.data.settings.dateOrder) settings.dateOrder = await detectDateOrder(path, facts.encoding, columns, shop.country);
  } catch (e) {
    await records.return(undefined); // closes the file
    throw e;
  }
  const columnOf = (field: string) => header[columns.fields.indexOf(field)] ?? field;
  const cellsOf = (values: string[]): Cells => {
    const cells: Cells = {};
    columns.fields.forEach((field, i) => {
      if (field) cells[field] = values[i];
    });
    return cells;
  };

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
  const batchSize = options.batchSize ?? writer.batchSize ?? DEFAULT_BATCH;
  // What is committed: counts only move when a batch's transaction has.
  const counts = { total: 0, imported: 0, updated: 0, unchanged: 0, rejected: 0 };
  const errors: RowError[] = [];
  let analyzed = false;

  const commit = async (batch: Batch) => {
    const { tally, rejected } = await inShop(async (tx) => {
      const tally = { total: batch.total, imported: 0, updated: 0, unchanged: 0, rejected: 0 };
      const rejected = batch.rejected;
      if (batch.written > 0) {
        const outcomes = batch.staged ? await batch.staged.write(tx) : await writer.write(tx, batch.rows, ctx);
        if (outcomes.size !== batch.written || batch.rows.some(({ row }) => !outcomes.has(row))) {
          throw new Error(`the writer answered ${outcomes.size} outcomes for ${batch.written} rows`);
        }
        for (const [row, outcome] of outcomes) {
          if (typeof outcome === "object") {
            if (batch.staged) throw new Error(`a staged batch rejected row ${row}`);
            rejected.push({ row, values: batch.raw.get(row) ?? [], column: outcome.column, message: outcome.error });
          } else if (outcome === "unchanged") {
            tally.updated += 1;
            tally.unchanged += 1;
          } else tally[outcome] += 1;
        }
      }
      tally.rejected = rejected.length;
      for (let i = 0; i < rejected.length; i += DEFAULT_BATCH) {
        await tx.insert(importRejectedRows).values(rejected.slice(i, i + DEFAULT_BATCH).map((r) => ({ ...r, shopId: ctx.shopId, importId })));
      }
      await tx.update(imports).set(sum(counts, tally)).where(eq(imports.id, importId));
      return { tally, rejected };
    });
    Object.assign(counts, sum(counts, tally));
    // Once the first rows of a large import are in, the planner learns that the shop has them.
    // Until then its statistics may say the shop has none (a new shop in a database that has been
    // analyzed), and a lookup "by shop and id" is then planned as a walk through all of the shop's
    // rows, which grows with every batch: a million lines would take an hour instead of a minute.
    if (!analyzed && counts.imported + counts.updated > 0) {
      analyzed = true;
      await refreshPlannerStatistics(WRITTEN_TABLES[kind], target.database);
    }
    for (const r of rejected) if (errors.length < MAX_ERRORS_RETURNED) errors.push({ row: r.row, column: r.column, message: r.message });
    options.onProgress?.({ rows: counts.total, bytesRead: read.bytes, bytes: facts.bytes });
  };

  // One batch is written while the next is read; batches commit one at a time, in file order.
  let writing: Promise<void> = Promise.resolve();
  let inFlight = false;
  const newBatch = () => new Batch(writer.stage?.(ctx));
  let batch = newBatch();
  const flushIfFull = async () => {
    if (batch.written < batchSize && batch.rejected.length < batchSize) return;
    const full = batch;
    batch = newBatch();
    await writing;
    inFlight = true;
    writing = commit(full).finally(() => (inFlight = false));
    writing.catch(() => {}); // awaited before the next batch or at the end
  };

  // The group being read (consecutive rows with one key), and groups rejected earlier in the file.
  let group = null as { key: string; rows: Pending[] } | null;
  const rejectedGroups = new BoundedMemo<{ row: number; message: string }>(ctx.memoLimit);
  // Groups rejected, with the first row of the appearance that was: what an earlier one wrote is
  // taken back at the end (for as many groups as the import's memo limit).
  const failedGroups = new Map<string, { first: number; row: number; message: string }>();
  const closeGroup = async () => {
    if (!group) return;
    const { key, rows } = group;
    group = null;
    const failed = rows.find((p) => p.rejection);
    const cause = failed ? { row: failed.row, message: failed.rejection!.message } : rejectedGroups.get(key);
    if (failed) {
      rejectedGroups.set(key, cause!);
      if (!failedGroups.has(key) && failedGroups.size < ctx.memoLimit) failedGroups.set(key, { first: rows[0]!.row, ...cause! });
    }
    for (const p of rows) {
      if (cause && !p.rejection) p.rejection = rejectedWith(cause);
      batch.add(p);
    }
    await flushIfFull();
  };

  // Orders whose lines came back further down the file with a rejected one: what the earlier
  // appearances created goes, and their rows (found by reading the file again, only then) are
  // reported rejected for the same reason, in one transaction with the counts.
  const notes: string[] = [];
  const takeBack = async (door: NonNullable<KindWriter<unknown>["takeBack"]>) => {
    const found = await inShop((tx) => door.find(tx, [...failedGroups.keys()], ctx));
    const own = [...found].filter(([, how]) => how === "own").map(([key]) => key);
    const changed = [...found].filter(([, how]) => how === "changed").map(([key]) => key);
    if (changed.length > 0) {
      notes.push(
        `${changed.length === 1 ? "An order" : `${changed.length} orders`} the shop already had (${changed.slice(0, 5).join(", ")}${changed.length > 5 ? ", …" : ""}) ` +
          "took the lines this file gave before a later line of it was rejected. Fix the rejected rows and import the file again to store the whole order.",
      );
    }
    if (own.length === 0) return;
    const rows: RejectedRow[] = [];
    for await (const chunk of readCsvChunks(path, facts.encoding)) {
      if ("header" in chunk) continue;
      for (const { row, values } of chunk) {
        const key = writer.groupKeyOfCells?.(cellsOf(values));
        const failed = key == null ? undefined : failedGroups.get(key);
        if (failed && row < failed.first && found.get(key!) === "own") {
          rows.push({ row, values, ...rejectedWith(failed) });
        }
      }
    }
    await inShop(async (tx) => {
      await door.remove(tx, own, ctx);
      for (let i = 0; i < rows.length; i += DEFAULT_BATCH) {
        await tx.insert(importRejectedRows).values(rows.slice(i, i + DEFAULT_BATCH).map((r) => ({ ...r, shopId: ctx.shopId, importId })));
      }
      // An order this import created counted each of its rows as imported.
      const moved = { ...counts, imported: counts.imported - rows.length, rejected: counts.rejected + rows.length };
      await tx.update(imports).set(moved).where(eq(imports.id, importId));
      Object.assign(counts, moved);
    });
    for (const r of rows) if (errors.length < MAX_ERRORS_RETURNED) errors.push({ row: r.row, column: r.column, message: r.message });
  };

  try {
    for await (const chunk of records) {
      if ("header" in chunk) continue;
      for (const { row, values } of chunk) {
        // While a batch is being written, let its statements' answers in every few rows, so the
        // database is not kept waiting for the next statement while rows are checked.
        if (inFlight && row % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
        const p: Pending = { row, values };
        const cells = cellsOf(values);
        const key = writer.groupKeyOfCells?.(cells) ?? null;
        if (values.length > header.length && values.slice(header.length).some((v) => v.trim() !== "")) {
          p.rejection = { column: "(row)", message: `This row has ${values.length} cells but the header has ${header.length}; a delimiter inside a value needs quotes.` };
        } else {
          try {
            p.value = writer.parse(cells, ctx);
          } catch (e) {
            if (e instanceof RowRejection) p.rejection = { column: e.column, message: e.message };
            else if (e instanceof CellError) p.rejection = { column: "(row)", message: e.message };
            else throw e;
          }
        }
        if (key !== null && group?.key === key && group.rows.length < MAX_GROUP_ROWS) {
          group.rows.push(p);
          continue;
        }
        await closeGroup();
        if (key !== null) group = { key, rows: [p] };
        else {
          batch.add(p);
          await flushIfFull();
        }
      }
    }
    await closeGroup();
    await writing;
    if (batch.total > 0) await commit(batch);
    if (failedGroups.size > 0 && writer.takeBack) await takeBack(writer.takeBack);
    await inShop((tx) =>
      tx
        .update(imports)
        .set({ status: "done", ...counts, errors: [...errors].sort((a, b) => a.row - b.row), finishedAt: new Date() })
        .where(eq(imports.id, importId)),
    );
  } catch (e) {
    await writing.catch(() => {});
    // Rows written so far stay (each batch committed, and a re-run is idempotent); the record says what happened.
    const failure = e instanceof AppError ? e.message : "The import stopped on an unexpected error; rows before it were imported.";
    await inShop((tx) => tx.update(imports).set({ status: "failed", failure, ...counts, finishedAt: new Date() }).where(eq(imports.id, importId))).catch(() => {});
    throw new ImportAborted(importId, failure, e);
  }
  // Fresh planner statistics for what was written, so the next pages and the refresh plan for its size.
  if (counts.imported + counts.updated > 0) {
    await refreshPlannerStatistics(WRITTEN_TABLES[kind], target.database);
    await inShop(clearMetricsSnapshots); // the Overview's kept figures predate these rows
  }
  errors.sort((a, b) => a.row - b.row);
  if (facts.encoding !== "utf-8") notes.push("The file was not UTF-8; it was read as Windows-1252 (Western European).");
  if (counts.rejected > errors.length) notes.push(`Only the first ${errors.length} errors are listed; all ${counts.rejected} rejected rows can be downloaded.`);
  return { importId, kind, fileSha256: facts.sha256, ...counts, errors, ignoredColumns: columns.ignored, notes };
}

type Counts = { total: number; imported: number; updated: number; unchanged: number; rejected: number };

const sum = (a: Counts, b: Counts): Counts => ({
  total: a.total + b.total, imported: a.imported + b.imported, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged, rejected: a.rejected + b.rejected,
});

type RejectedRow = { row: number; values: string[]; column: string; message: string };

/** Why a row is rejected with its group: the line that was, and its reason. */
const rejectedWith = (cause: { row: number; message: string }) => ({
  column: "(row)",
  message: `Another line of this order (row ${cause.row}) was rejected: ${cause.message}`,
});

/** A row read and checked, waiting for its batch: a value for the writer, or the reason it is rejected. */
interface Pending {
  row: number;
  values: string[];
  value?: unknown;
  rejection?: { column: string; message: string };
}

/**
 * Rows going into one transaction: those for the writer (in its staged batch, or as parsed values
 * with their cells in case the writer rejects one) and those rejected before it.
 */
class Batch {
  readonly rows: { row: number; value: unknown }[] = [];
  readonly raw = new Map<number, string[]>();
  readonly rejected: RejectedRow[] = [];
  /** Rows of the file this batch accounts for, and those of them for the writer. */
  total = 0;
  written = 0;

  constructor(readonly staged: StagedBatch<unknown> | undefined) {}

  add(p: Pending) {
    this.total += 1;
    if (p.rejection) this.rejected.push({ row: p.row, values: p.values, ...p.rejection });
    else {
      this.written += 1;
      if (this.staged) this.staged.add(p.row, p.value);
      else {
        this.rows.push({ row: p.row, value: p.value });
        this.raw.set(p.row, p.values);
      }
    }
  }
}
