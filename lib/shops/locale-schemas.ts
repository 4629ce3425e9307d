// Where a shop is and what it counts in: currency, country and time zone, checked against what the
// runtime knows (ISO 4217, ISO 3166-1, the IANA zones). Used by the shop's settings and by imports.
import { z } from "zod";

const currencies = new Set(Intl.supportedValuesOf("currency"));
export const CurrencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter currency code such as EUR.")
  .refine((c) => currencies.has(c), "This is not a currency code we know; use one such as EUR, GBP or USD.");

const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
/** ISO 3166-1 alpha-2, e.g. GB; phone numbers without a country code are read as this country's. */
export const CountrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as GB, DE or US.")
  .refine((c) => {
    try {
      return regions.of(c) !== undefined;
    } catch {
      return false;
    }
  }, "This is not a country code we know; use one such as GB, DE or US.");

export const countryName = (code: string) => regions.of(code) ?? code;

export const TimeZoneSchema = z.string().trim().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "Use a time zone such as Europe/London.");
