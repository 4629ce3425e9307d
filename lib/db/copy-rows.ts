// Loads many rows into a staging table in one go: COPY FROM STDIN on Postgres, and on PGlite
// COPY from the blob it hands over with the query. Staging tables are the transaction's own
// temporary tables; tenant tables refuse COPY (row-level security), so rows reach them by an
// INSERT … SELECT from the staging table, where the shop's policy checks every row.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { queryRows, type Tx } from "./client";

export type CopyValue = string | number | boolean | Date | null | undefined;

// COPY's text format: tab-separated, \N for null, backslash escapes for the characters it uses.
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function field(v: CopyValue): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "string") return SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : v;
  if (typeof v === "boolean") return v ? "t" : "f";
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/**
 * One row as a line of COPY text (without its newline), for a writer that keeps rows in this
 * compact form: one flat string, which holds on to nothing else (a string built piece by piece
 * keeps its pieces, and a piece cut from a larger text keeps all of that text).
 */
export function copyLine(row: CopyValue[]): string {
  return row.map(field).join("\t");
}

/** Lines of COPY text, in chunks small enough to be short-lived garbage (a large string is not). */
function* chunked(lines: Iterable<string>): Generator<string> {
  let chunk = "";
  for (const line of lines) {
    chunk += line + "\n";
    if (chunk.length > 1 << 15) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

function* encoded(rows: Iterable<CopyValue[]>): Generator<string> {
  for (const row of rows) yield copyLine(row);
}

interface PostgresJsClient {
  unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> };
}
interface PgliteClient {
  query(query: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}

/** The driver's own handle behind a drizzle transaction. */
function clientOf(tx: Tx): PostgresJsClient | PgliteClient {
  return (tx as unknown as { session: { client: PostgresJsClient | PgliteClient } }).session.client;
}

const identifier = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain identifier: ${name}`);
  return name;
};

/** Appends `rows` (values in the order of `columns`) to `table`. */
export function copyRows(tx: Tx, table: string, columns: readonly string[], rows: Iterable<CopyValue[]>): Promise<void> {
  return copyLines(tx, table, columns, encoded(rows));
}

/** Appends rows already written as COPY text (copyLine) to `table`. */
export async function copyLines(tx: Tx, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  const target = `${identifier(table)} (${columns.map(identifier).join(", ")})`;
  const client = clientOf(tx);
  if ("unsafe" in client) {
    const stream = await client.unsafe(`copy ${target} from stdin`).writable();
    await pipeline(Readable.from(chunked(lines)), stream);
    return;
  }
  // PGlite reads COPY input only from a file, which needs a superuser: this one fixed COPY into the
  // transaction's own staging table runs without the shop's role (PGlite is the application's
  // embedded database; its superuser is this process), and the role is set back right after. Should
  // the COPY fail, the transaction rolls back, its role with it.
  const [role] = await queryRows<{ role: string }>(tx, sql`select current_user as role`);
  await client.query("set local role none");
  await client.query(`copy ${target} from '/dev/blob'`, [], { blob: new Blob([...chunked(lines)]) });
  await tx.execute(sql`select set_config('role', ${role!.role}, true)`);
}
