import { z } from "zod";
import { EmailSchema, PasswordSchema } from "../auth/password";

export const RoleSchema = z.enum(["owner", "viewer"]);
export type Role = z.infer<typeof RoleSchema>;

export const ShopNameSchema = z.string().trim().min(1, "Enter the shop's name.").max(120, "Use at most 120 characters.");

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

export const CreateShopSchema = z.object({
  name: ShopNameSchema,
  ownerEmail: EmailSchema,
  ownerPassword: PasswordSchema,
  ownerName: z.string().trim().max(120).optional(),
  currency: CurrencySchema.default("EUR"),
  country: CountrySchema.optional(),
  timeZone: TimeZoneSchema.default("UTC"),
});
export type CreateShopInput = z.input<typeof CreateShopSchema>;

export const AddMemberSchema = z.object({
  email: EmailSchema,
  role: RoleSchema,
  password: PasswordSchema,
  name: z.string().trim().max(120).optional(),
});
export type AddMemberInput = z.input<typeof AddMemberSchema>;

export const UpdateShopSchema = z.object({
  name: ShopNameSchema,
  currency: CurrencySchema,
  /** Empty clears it. */
  country: z.union([z.literal("").transform(() => null), CountrySchema]).optional(),
  timeZone: TimeZoneSchema,
  marginPct: z.coerce.number().min(0, "Margin is between 0 and 100 %.").max(100, "Margin is between 0 and 100 %."),
});
export type UpdateShopInput = z.input<typeof UpdateShopSchema>;

/** Turns zod issues into per-field messages for forms and JSON errors. */
export function fieldErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
}
