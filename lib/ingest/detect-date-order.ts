// Whether a file writes dates day-first (31/12/2024) or month-first (12/31/2024). One date such as
// 12/1/10 cannot tell, so the file's date columns are read until a value can: a first part above
// 12 means day-first, a second part above 12 means month-first. A file that never tells is read
// the way the shop's country writes dates.
import type { ColumnMapping } from "./columns";
import type { ParseSettings } from "./parse-values";
import { readCsvRecords, type TextEncoding } from "./read-csv";

type DateOrder = ParseSettings["dateOrder"];

const DATE_FIELDS = new Set(["placedAt", "cancelledAt", "occurredAt"]);
const SLASHED = /^\s*(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}\b/;

/** Countries whose people write the month first. */
const MONTH_FIRST_COUNTRIES = new Set(["US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI", "UM"]);

/** What one date value says about the order of its parts, if anything. */
export function dateOrderOf(text: string | undefined): DateOrder | null {
  const m = text ? SLASHED.exec(text) : null;
  if (!m) return null;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a > 12 && b <= 12) return "day-first";
  if (b > 12 && a <= 12) return "month-first";
  return null;
}

export function countryDateOrder(country: string | null | undefined): DateOrder {
  return country && MONTH_FIRST_COUNTRIES.has(country.toUpperCase()) ? "month-first" : "day-first";
}

/** Reads the file's date columns until one value settles the order; without one, the country's order. */
export async function detectDateOrder(path: string, encoding: TextEncoding, columns: ColumnMapping, country: string | null | undefined): Promise<DateOrder> {
  const indexes = columns.fields.flatMap((f, i) => (f && DATE_FIELDS.has(f) ? [i] : []));
  if (indexes.length > 0) {
    for await (const record of readCsvRecords(path, encoding)) {
      if ("header" in record) continue;
      for (const i of indexes) {
        const value = record.values[i]?.trim();
        if (!value) continue;
        // Dates written year first (2024-12-31) have no such question: no need to read on.
        if (!SLASHED.test(value)) return countryDateOrder(country);
        const order = dateOrderOf(value);
        if (order) return order;
      }
    }
  }
  return countryDateOrder(country);
}
