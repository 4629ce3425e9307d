// What each import kind provides: a parser for one row and a writer for a batch of rows.
import type { ShopTx } from "../db/tenant";
import { CellError, type ParseSettings } from "./parse-values";
import type { RowOutcome } from "./schemas";

/** A cell that cannot be used, named by the column the owner sees. */
export class RowRejection extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportContext {
  shopId: string;
  /** The import's record, or null when rows come through the REST API. */
  importId: string | null;
  fileSha256: string;
  fileName: string;
  settings: ParseSettings;
  now: Date;
  /** The header name of each field, for messages. */
  columnOf: (field: string) => string;
  /** Scratch space a writer keeps across batches of one import. */
  memo: Map<string, unknown>;
  /** How many entries a writer may remember across batches (memory stays flat for any file). */
  memoLimit: number;
}

export type Cells = Record<string, string | undefined>;

export interface KindWriter<T> {
  /** Turns one row's cells into a value, or throws RowRejection / CellError. */
  parse(cells: Cells, ctx: ImportContext): T;
  /**
   * The group a row belongs to (an order, for its lines), read from its cells so that a row that
   * fails to parse still has one; null when the row names none. Consecutive rows of one group go
   * into one batch together, and a group with a rejected row is rejected as a whole.
   */
  groupKeyOfCells?(cells: Cells): string | null;
  /** Rows per batch (one transaction each); 1,000 unless the writer handles more at once. */
  batchSize?: number;
  /** Writes a batch; answers an outcome per row number. */
  write(tx: ShopTx, rows: { row: number; value: T }[], ctx: ImportContext): Promise<Map<number, RowOutcome>>;
  /**
   * A batch that takes rows one by one as they are read and keeps them in a compact form of its
   * own, so that an import does not hold a batch of parsed rows while the one before is written.
   */
  stage?(ctx: ImportContext): StagedBatch<T>;
  /**
   * For groups whose lines come back further down the file with a rejected one: what an earlier
   * appearance already wrote, and taking it back, so that no group is left stored in part.
   */
  takeBack?: {
    /** Of these groups, those this import created ("own") and those of the shop's it changed ("changed"). */
    find(tx: ShopTx, keys: string[], ctx: ImportContext): Promise<Map<string, "own" | "changed">>;
    /** Removes these groups, which this import created. */
    remove(tx: ShopTx, keys: string[], ctx: ImportContext): Promise<void>;
  };
}

export interface StagedBatch<T> {
  add(row: number, value: T): void;
  /** Writes what was added; answers an outcome per row (imported, updated or unchanged: a staged batch rejects nothing). */
  write(tx: ShopTx): Promise<Map<number, RowOutcome>>;
}

/** Parses one cell with a parser, turning its complaint into a rejection naming the column. */
export function cell<T>(ctx: ImportContext, field: string, cells: Cells, parse: (text: string | undefined) => T): T {
  try {
    return parse(cells[field]);
  } catch (e) {
    if (e instanceof CellError) throw new RowRejection(ctx.columnOf(field), e.message);
    throw e;
  }
}
