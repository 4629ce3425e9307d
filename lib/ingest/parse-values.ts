// Turning the text of a cell into a value, by the owner's settings: how numbers are written
// (1,234.50 or 1.234,50), whether dates put the day first, and which time zone a date without
// one is in. Each parser returns null for an empty cell and throws a sentence for a bad one.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { z } from "zod";
import { CountrySchema, CurrencySchema, TimeZoneSchema } from "../shops/locale-schemas";

const NumberFormat = z.enum(["1,234.56", "1.234,56"]);
const DateOrder = z.enum(["day-first", "month-first"]);
const TimeZone = TimeZoneSchema;
const Currency = CurrencySchema;
const Country = CountrySchema;

/** What an owner may set for one import; anything left out comes from the shop. */
export const ParseSettingsOverridesSchema = z
  .object({ numberFormat: NumberFormat, dateOrder: DateOrder, timeZone: TimeZone, currency: Currency, country: Country })
  .partial();

export const ParseSettingsSchema = z.object({
  numberFormat: NumberFormat.default("1,234.56"),
  dateOrder: DateOrder.default("day-first"),
  timeZone: TimeZone.default("UTC"),
  currency: Currency.default("EUR"),
  /** The shop's country: phone numbers written without a country code are read as its numbers. */
  country: Country.optional(),
});
export type ParseSettings = z.infer<typeof ParseSettingsSchema>;

export class CellError extends Error {}

const blank = (text: string | undefined) => text === undefined || text.trim() === "";

/** What spreadsheets and pivot tables write for "no value"; such a cell counts as empty, never as an id. */
const PLACEHOLDERS = new Set(["(blank)", "blank", "(empty)", "n/a", "#n/a", "na", "null", "none", "nil", "undefined", "-", "--", "?", "unknown"]);

/**
 * The text of an identifying cell (an id, a phone): trimmed, without the apostrophe spreadsheets
 * and Shopify's export put in front to keep a value as text ('0123, '+44…), and null for an empty
 * cell or a placeholder such as "(blank)".
 */
export function plainText(text: string | undefined): string | null {
  if (text === undefined) return null;
  const t = text.trim().replace(/^'/, "").trim();
  if (t === "" || PLACEHOLDERS.has(t.toLowerCase())) return null;
  return t;
}

/** A phone number in E.164 (+441632960123); a number without a country code is read as the shop country's. */
export function parsePhone(text: string | undefined, settings: Pick<ParseSettings, "country">): string | null {
  const t = plainText(text);
  if (t === null) return null;
  const phone = parsePhoneNumberFromString(t, settings.country as CountryCode | undefined);
  if (phone?.isPossible()) return phone.number;
  if (!settings.country && !t.startsWith("+") && !t.startsWith("00")) {
    throw new CellError(`"${t}" has no country code: write it as +44 20 7946 0958, or set the shop's country in Settings so numbers are read as its numbers.`);
  }
  throw new CellError(`"${t}" is not a phone number${settings.country ? ` in ${settings.country} or with a country code` : ""}.`);
}

/** An amount in minor units (cents). Currency symbols and spaces are allowed around it. */
export function parseAmount(text: string | undefined, settings: Pick<ParseSettings, "numberFormat">): number | null {
  return readAmount(text, settings, 2);
}

/**
 * A unit price in minor units, which may have up to four decimals (wholesale prices such as 0.085):
 * the answer can be a fraction of a cent, so a line's amount is quantity × price rounded once.
 */
export function parseUnitPrice(text: string | undefined, settings: Pick<ParseSettings, "numberFormat">): number | null {
  return readAmount(text, settings, 4);
}

// The two ways of writing amounts, compiled once: a file has a million of them.
const AMOUNT_PATTERNS = {
  "1,234.56": { group: ",", decimal: ".", pattern: /^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/ },
  "1.234,56": { group: ".", decimal: ",", pattern: /^(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/ },
} as const;
// Currency codes and symbols, spaces and apostrophes (Swiss grouping) around or inside an amount.
const AMOUNT_CODE = /^[A-Z]{3}\s*|\s*[A-Z]{3}$/g;
const AMOUNT_NOISE = /[€$£¥\s\u00a0']/g;
// Most cells are already plain (12.50, 1999): they skip the clean-up.
const PLAIN_AMOUNT = /^-?\d+([.,]\d+)?$/;

function readAmount(text: string | undefined, settings: Pick<ParseSettings, "numberFormat">, decimals: number): number | null {
  if (blank(text)) return null;
  let t = text!.trim();
  if (!PLAIN_AMOUNT.test(t)) t = t.replace(AMOUNT_CODE, "").replace(AMOUNT_NOISE, "");
  let negative = false;
  if (t.startsWith("(") && t.endsWith(")")) {
    negative = true;
    t = t.slice(1, -1);
  }
  if (t.startsWith("-")) {
    negative = !negative;
    t = t.slice(1);
  }
  const { group, decimal, pattern } = AMOUNT_PATTERNS[settings.numberFormat];
  if (!pattern.test(t)) {
    throw new CellError(`"${text!.trim()}" is not an amount written like ${settings.numberFormat === "1,234.56" ? "1,234.50" : "1.234,50"}.`);
  }
  const [whole, fraction = ""] = (t.includes(group) ? t.split(group).join("") : t).split(decimal);
  if (fraction.length > decimals && /[1-9]/.test(fraction.slice(decimals))) {
    throw new CellError(`"${text!.trim()}" has more than ${decimals === 2 ? "two" : decimals} decimals.`);
  }
  // Whole cents, plus the sub-cent digits as a fraction (integer arithmetic, so 0.085 is exactly 8.5).
  const cents = fraction.padEnd(decimals, "0").slice(0, decimals);
  const minor = Number(whole) * 100 + Number(cents.slice(0, 2)) + (decimals > 2 ? Number(cents.slice(2)) / 10 ** (decimals - 2) : 0);
  if (!Number.isSafeInteger(Math.floor(minor))) throw new CellError(`"${text!.trim()}" is too large.`);
  return negative ? -minor : minor;
}

export function parseInteger(text: string | undefined): number | null {
  if (blank(text)) return null;
  const t = text!.trim();
  if (!/^-?\d+$/.test(t)) throw new CellError(`"${t}" is not a whole number.`);
  return Number(t);
}

// Making a formatter costs far more than using one; an import reads every date in one zone.
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** Offset of a time zone from UTC at an instant, in minutes. */
function offsetMinutes(timeZone: string, at: number): number {
  if (timeZone === "UTC") return 0;
  const parts = zoneFormat(timeZone).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - at) / 60_000);
}

/** The instant at which a wall-clock time happens in a time zone. */
export function zonedTimeToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  let at = guess - offsetMinutes(timeZone, guess) * 60_000;
  at = guess - offsetMinutes(timeZone, at) * 60_000; // second pass settles daylight-saving edges
  return new Date(at);
}

const DATE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?$/i;
const DATE_SLASH = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i;

/** A date or date-time. A value without a zone is read in the settings' time zone. */
export function parseDate(text: string | undefined, settings: Pick<ParseSettings, "dateOrder" | "timeZone">): Date | null {
  if (blank(text)) return null;
  const t = text!.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0, s = 0;
  let zone: string | undefined;
  const iso = DATE_ISO.exec(t);
  const slash = iso ? null : DATE_SLASH.exec(t);
  if (iso) {
    [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    [h, mi, s] = [Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
    zone = iso[7];
  } else if (slash) {
    const [a, b] = [Number(slash[1]), Number(slash[2])];
    [d, mo] = settings.dateOrder === "day-first" ? [a, b] : [b, a];
    y = Number(slash[3]);
    // Two-digit years (12/1/10, as spreadsheets write them) are this century unless that is in the future.
    if (slash[3]!.length === 2) y += 2000 + y > new Date().getUTCFullYear() + 1 ? 1900 : 2000;
    [h, mi, s] = [Number(slash[4] ?? 0), Number(slash[5] ?? 0), Number(slash[6] ?? 0)];
    const ampm = slash[7]?.toLowerCase();
    if (ampm === "pm" && h < 12) h += 12;
    if (ampm === "am" && h === 12) h = 0;
  } else {
    throw new CellError(`"${t}" is not a date we can read (use 2024-03-31 or 31/03/2024, with an optional time).`);
  }
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new CellError(`"${t}" is not a real date.`);
  }
  if (zone) {
    const offset = /^(z|utc)$/i.test(zone) ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - offset * 60_000);
  }
  return zonedTimeToUtc(y, mo, d, h, mi, s, settings.timeZone);
}

const YES = new Set(["yes", "y", "true", "1", "subscribed", "opted in", "opt in", "granted", "accepted"]);
const NO = new Set(["no", "n", "false", "0", "unsubscribed", "not subscribed", "opted out", "opt out", "withdrawn", "declined", "never subscribed", "pending"]);

/** Yes / no from the ways platforms write it. Anything else is an error, never a silent yes. */
export function parseYesNo(text: string | undefined): boolean | null {
  if (blank(text)) return null;
  const t = text!.trim().toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  throw new CellError(`"${text!.trim()}" is neither yes nor no.`);
}

/** A calendar month as YYYY-MM-01, from 2024-03, 2024-03-15, 03/2024 or March 2024. */
export function parseMonth(text: string | undefined): string | null {
  if (blank(text)) return null;
  const t = text!.trim();
  let m = /^(\d{4})-(\d{1,2})(?:-\d{1,2})?$/.exec(t);
  if (m) return month(Number(m[1]), Number(m[2]), t);
  m = /^(\d{1,2})[/.](\d{4})$/.exec(t);
  if (m) return month(Number(m[2]), Number(m[1]), t);
  const named = new Date(`1 ${t} 00:00 UTC`);
  if (/^[a-z]+\.? \d{4}$/i.test(t) && !Number.isNaN(named.getTime())) return month(named.getUTCFullYear(), named.getUTCMonth() + 1, t);
  throw new CellError(`"${t}" is not a month (use 2024-03).`);
}

function month(y: number, m: number, t: string): string {
  if (m < 1 || m > 12 || y < 1970 || y > 2200) throw new CellError(`"${t}" is not a real month.`);
  return `${y}-${String(m).padStart(2, "0")}-01`;
}
