// Every CSV the app serves is written here, so that no cell can run as a formula when an owner
// opens the file in a spreadsheet: customers' names, emails and rejected import cells are written
// by strangers, and "=HYPERLINK(…)" or "@SUM(…)" would otherwise run on the owner's machine.
import Papa from "papaparse";

// Spreadsheets treat a cell starting with one of these as a formula (tab and CR too, as some
// applications strip them and read what follows).
const FORMULA_START = /^[=+\-@\t\r]/;
// A cell made only of digits, spaces and + - . , ( ) / cannot name a function, a cell or another
// program: it is a signed amount or a phone number ("-12.50", "+44 20 7946 0958"). Left as it is,
// it reads and re-imports as the same value.
const NUMBER_OR_PHONE = /^[+-][\d\s().,/+-]*\d[\d\s().,/+-]*$/;

/** The cell as it is safe to write: a leading single quote makes a spreadsheet show it as text. */
export function escapeFormula(cell: string): string {
  if (!FORMULA_START.test(cell) || NUMBER_OR_PHONE.test(cell)) return cell;
  return `'${cell}`;
}

export type CsvCell = string | number | null | undefined;

/** A CSV document (RFC 4180 quoting, CRLF line ends) with every cell escaped. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const cell = (v: CsvCell) => (v === null || v === undefined ? "" : escapeFormula(String(v)));
  return Papa.unparse({ fields: header.map(cell), data: rows.map((r) => r.map(cell)) }, { newline: "\r\n", escapeFormulae: false });
}
