// The consent ledger's event catalog: a closed set of methods, each with its own evidence schema,
// as one discriminated union. An event that does not fit is refused before it reaches the ledger.
import { z } from "zod";

export const ChannelSchema = z.enum(["email", "sms", "push"]);
export const PurposeSchema = z.enum(["marketing", "personalization", "surveys"]);
export const ConsentActionSchema = z.enum(["grant", "withdraw"]);
export const ActorTypeSchema = z.enum(["customer", "owner", "system", "import"]);
export type Channel = z.infer<typeof ChannelSchema>;
export type Purpose = z.infer<typeof PurposeSchema>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in hex");

const base = {
  customerId: z.uuid(),
  channel: ChannelSchema,
  purpose: PurposeSchema,
  action: ConsentActionSchema,
  policyVersionId: z.uuid().nullable().default(null),
  policySha256: Sha256.nullable().default(null),
  gpc: z.boolean().default(false),
  actorId: z.string().nullable().default(null),
  requestId: z.string().nullable().default(null),
  page: z.string().nullable().default(null),
  occurredAt: z.date(),
};

export const ConsentEventInputSchema = z.discriminatedUnion("method", [
  // A box the customer ticked (never pre-ticked) at checkout or sign-up.
  z.object({ ...base, method: z.literal("checkout"), actorType: z.literal("customer"), evidence: z.object({ form: z.string() }) }),
  // A choice on the preference page; `erasure` marks the withdrawals an "Erase me" made.
  z.object({ ...base, method: z.literal("preference_page"), actorType: z.literal("customer"), evidence: z.object({ erasure: z.literal(true).optional() }).default({}) }),
  z.object({ ...base, method: z.literal("one_click_unsubscribe"), action: z.literal("withdraw"), actorType: z.literal("customer"), evidence: z.object({ sendId: z.uuid().nullable() }) }),
  z.object({ ...base, method: z.literal("gpc"), action: z.literal("withdraw"), gpc: z.literal(true), actorType: z.literal("customer"), evidence: z.object({}).default({}) }),
  // Evidence column of an imported file: which file (by hash) and which row.
  z.object({ ...base, method: z.literal("import"), actorType: z.literal("import"), evidence: z.object({ fileSha256: Sha256, fileName: z.string(), row: z.number().int().positive(), column: z.string(), source: z.string().max(200).optional() }) }),
  z.object({ ...base, method: z.literal("api"), actorType: z.literal("system"), evidence: z.object({ apiKeyId: z.uuid() }) }),
  // A withdrawal an owner enters on a customer's behalf (e.g. asked in the shop). Owners cannot grant.
  z.object({ ...base, method: z.literal("owner_on_behalf"), action: z.literal("withdraw"), actorType: z.literal("owner"), evidence: z.object({ note: z.string().max(500) }) }),
]);

export type ConsentEventInput = z.input<typeof ConsentEventInputSchema>;
export type ConsentEvent = z.output<typeof ConsentEventInputSchema>;
export type ConsentMethod = ConsentEvent["method"];
