// Reads a customer summary CSV for `regulars clv fit --summary`: one row per customer with
// id,frequency,recency,T[,monetary_value] in one time unit (lifetimes' convention: frequency counts
// repeat purchases, recency is the time from the first to the last purchase, T the time from the
// first purchase to the end of the observation). Every bad row is reported with its spreadsheet row
// number (the header is row 1), and nothing is returned unless every row is good.
import Papa from "papaparse";
import { AppError, type FieldError } from "../errors";
import type { RfmObservation } from "./bgnbd";

export type SummaryRow = RfmObservation & { id: string; monetaryValue?: number };

type Column = "id" | "frequency" | "recency" | "T" | "monetary_value";

/** Header names, compared without case; x, t_x and zbar are the names in Fader & Hardie's files. */
const NAMES: Record<string, Column> = {
  id: "id",
  customer_id: "id",
  frequency: "frequency",
  x: "frequency",
  recency: "recency",
  t_x: "recency",
  t: "T",
  monetary_value: "monetary_value",
  zbar: "monetary_value",
};

const EXPECTED = "id,frequency,recency,T[,monetary_value]";
/** At most this many bad rows are listed; the message gives the total. */
const MAX_LISTED = 50;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function readSummaryCsv(text: string): { rows: SummaryRow[] } {
  const records = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: false }).data;
  const headerIndex = records.findIndex((r) => r.some((cell) => cell.trim() !== ""));
  if (headerIndex < 0) throw new AppError("invalid_input", `The summary file is empty. Its first line must be the header ${EXPECTED}.`);
  const header = records[headerIndex]!.map((h) => h.trim());
  const position = readHeader(header);

  const rows: SummaryRow[] = [];
  const errors: FieldError[] = [];
  let bad = 0;
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i]!;
    if (cells.every((c) => c.trim() === "")) continue;
    const rowNumber = i + 1;
    const problems = checkRow(cells, header.length, position, rowNumber, seen);
    if (typeof problems === "string") {
      bad += 1;
      if (errors.length < MAX_LISTED) errors.push({ field: `row ${rowNumber}`, message: problems });
    } else {
      rows.push(problems);
    }
  }
  if (bad > 0) {
    const more = bad > MAX_LISTED ? ` The first ${MAX_LISTED} are listed.` : "";
    throw new AppError("invalid_input", `The summary has ${bad} invalid row${bad === 1 ? "" : "s"}; nothing was fitted.${more}`, { fields: errors });
  }
  if (rows.length === 0) throw new AppError("invalid_input", "The summary has a header but no customers.");
  return { rows };
}

function readHeader(header: string[]): Record<Column, number | undefined> {
  const position: Record<Column, number | undefined> = { id: undefined, frequency: undefined, recency: undefined, T: undefined, monetary_value: undefined };
  const unknown: string[] = [];
  const repeated: string[] = [];
  header.forEach((name, i) => {
    const column = NAMES[name.toLowerCase()];
    if (!column) unknown.push(`"${name}"`);
    else if (position[column] !== undefined) repeated.push(column);
    else position[column] = i;
  });
  const missing = (["id", "frequency", "recency", "T"] as const).filter((c) => position[c] === undefined);
  if (missing.length || unknown.length || repeated.length) {
    const parts = [
      missing.length ? `missing ${missing.join(", ")}` : "",
      unknown.length ? `unknown column${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}` : "",
      repeated.length ? `${repeated.join(", ")} given twice` : "",
    ].filter(Boolean);
    throw new AppError("invalid_input", `The summary's header must be ${EXPECTED} (found "${header.join(",")}"): ${parts.join("; ")}.`);
  }
  return position;
}

function checkRow(
  cells: string[],
  width: number,
  position: Record<Column, number | undefined>,
  rowNumber: number,
  seen: Map<string, number>,
): SummaryRow | string {
  if (cells.length !== width) return `has ${cells.length} values, the header has ${width}`;
  const cell = (c: Column) => (position[c] === undefined ? undefined : cells[position[c]!]!.trim());
  const problems: string[] = [];
  const id = cell("id")!;
  if (id === "") problems.push("id is empty");
  else if (seen.has(id)) problems.push(`id "${id}" is already on row ${seen.get(id)}`);
  else seen.set(id, rowNumber);

  const number = (c: Column): number | undefined => {
    const raw = cell(c)!;
    if (!NUMBER.test(raw)) {
      problems.push(raw === "" ? `${c} is empty` : `${c} "${raw}" is not a number`);
      return undefined;
    }
    const value = Number(raw);
    if (value < 0) problems.push(`${c} ${raw} is negative`);
    return value;
  };
  const frequency = number("frequency");
  const recency = number("recency");
  const T = number("T");
  let monetaryValue: number | undefined;
  if (position.monetary_value !== undefined && !(cell("monetary_value") === "" && frequency === 0)) monetaryValue = number("monetary_value");

  if (frequency !== undefined && frequency >= 0 && !Number.isInteger(frequency)) problems.push(`frequency ${frequency} is not a whole number of repeat purchases`);
  if (frequency !== undefined && recency !== undefined && frequency > 0 && recency === 0) {
    problems.push(`frequency is ${frequency} but recency is 0: repeat purchases come after the first one`);
  }
  if (frequency === 0 && recency !== undefined && recency > 0) problems.push(`frequency is 0 but recency is ${recency}: without a repeat purchase recency is 0`);
  if (recency !== undefined && T !== undefined && recency > T) problems.push(`recency ${recency} is greater than T ${T}`);

  if (problems.length) return problems.join("; ");
  return { id, frequency: frequency!, recency: recency!, T: T!, ...(position.monetary_value !== undefined ? { monetaryValue: monetaryValue ?? 0 } : {}) };
}
