// The preview form's fields, read the same way from a GET (preview) and a POST (start import).
import { ParseSettingsOverridesSchema } from "@/lib/ingest/parse-values";

type Read = (key: string) => string | undefined;

/** Column i's chosen field travels as m<i>; "" ignores the column, absent keeps the recognition. */
export function mappingFromForm(header: string[], read: Read): Record<string, string> {
  const mapping: Record<string, string> = {};
  header.forEach((h, i) => {
    const v = read(`m${i}`);
    if (v !== undefined && v !== "auto") mapping[h] = v;
  });
  return mapping;
}

export function settingsFromForm(read: Read) {
  // An unusable value (say a misspelt time zone) falls back to the shop's setting.
  const parsed = ParseSettingsOverridesSchema.safeParse({
    numberFormat: read("numberFormat") || undefined,
    // "auto": the order the file's own dates show (decided when the import runs).
    dateOrder: read("dateOrder") === "auto" ? undefined : read("dateOrder") || undefined,
    timeZone: read("timeZone") || undefined,
  });
  return parsed.success ? parsed.data : {};
}
