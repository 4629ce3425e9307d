import { z } from "zod";
import { EmailSchema, PasswordSchema } from "../auth/password";
import { CountrySchema, CurrencySchema, TimeZoneSchema } from "./locale-schemas";

export { CountrySchema, CurrencySchema, TimeZoneSchema };

export const RoleSchema = z.enum(["owner", "viewer"]);
export type Role = z.infer<typeof RoleSchema>;

export const ShopNameSchema = z.string().trim().min(1, "Enter the shop's name.").max(120, "Use at most 120 characters.");

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
  /** Days after a campaign's message in which an order counts as its result; left as it is when not given. */
  attributionDays: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Use a whole number of days.")
    .min(1, "The attribution window is between 1 and 90 days.")
    .max(90, "The attribution window is between 1 and 90 days.")
    .optional(),
});
export type UpdateShopInput = z.input<typeof UpdateShopSchema>;

/** Turns zod issues into per-field messages for forms and JSON errors. */
export function fieldErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
}
