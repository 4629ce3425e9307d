// The REST API's request and response shapes. The OpenAPI document is generated from these.
import { z } from "zod";

const Money = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d{1,2})?$/)])
  .transform((v) => Math.round(Number(v) * 100))
  .refine((minor) => minor >= 0 && Number.isSafeInteger(minor), "must be an amount of at least 0 with at most two decimals")
  .meta({ description: "Amount in the currency's major unit, e.g. 12.50", example: "12.50" });
const Timestamp = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).meta({ example: "2026-03-01T10:00:00Z" });
const ExternalId = z.string().trim().min(1).max(200);
const Email = z.email().transform((e) => e.toLowerCase());

export const CustomerInputSchema = z
  .object({
    externalId: ExternalId.optional(),
    email: Email.optional(),
    phone: z.string().trim().max(40).optional(),
    firstName: z.string().trim().max(100).optional(),
    lastName: z.string().trim().max(100).optional(),
    timeZone: z.string().max(64).optional(),
    locale: z.string().max(20).optional(),
  })
  .strict()
  .refine((c) => c.externalId || c.email, { message: "give externalId or email", path: ["externalId"] })
  ;

export const OrderItemSchema = z
  .object({
    productExternalId: ExternalId.optional(),
    name: z.string().trim().min(1).max(300),
    category: z.string().trim().max(100).optional(),
    quantity: z.number().int().min(1),
    price: Money,
  })
  .strict();

export const OrderInputSchema = z
  .object({
    externalId: ExternalId,
    customerExternalId: ExternalId.optional(),
    customerEmail: Email.optional(),
    placedAt: Timestamp,
    total: Money,
    currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter currency code such as EUR"),
    channel: z.string().trim().max(40).optional(),
    items: z.array(OrderItemSchema).max(500).optional(),
    /** Where the order stands; cancelled, refunded and failed orders are kept but are not sales. */
    status: z.enum(["paid", "pending", "partially_refunded", "refunded", "cancelled", "failed"]).optional(),
    /** Refunded so far, in minor units. */
    refunded: Money.optional(),
    cancelledAt: Timestamp.optional(),
  })
  .strict()
  .refine((o) => o.customerExternalId || o.customerEmail, { message: "give customerExternalId or customerEmail", path: ["customerExternalId"] })
  ;

export const EVENT_TYPES = ["product.viewed", "cart.updated", "checkout.started", "order.created"] as const;

export const EventInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("order.created"), occurredAt: Timestamp.optional(), order: OrderInputSchema }).strict(),
  ...(["product.viewed", "cart.updated", "checkout.started"] as const).map((type) =>
    z
      .object({
        type: z.literal(type),
        customerExternalId: ExternalId,
        occurredAt: Timestamp,
        productExternalId: ExternalId.optional(),
        cartId: z.string().max(200).optional(),
        total: Money.optional(),
      })
      .strict(),
  ),
]);

export const EventsBatchSchema = z.object({ events: z.array(EventInputSchema).min(1).max(1000) }).strict();

/** A bounce or a complaint reported by the mail or SMS provider: the address is never sent to again on that channel. */
export const SuppressionInputSchema = z
  .object({
    channel: z.enum(["email", "sms"]),
    address: z.string().trim().min(3).max(320).meta({ description: "The email address, or the phone number as sent (E.164)", example: "ana@example.com" }),
    reason: z.enum(["bounce", "complaint"]),
  })
  .strict()
  .refine((s) => s.channel !== "email" || z.email().safeParse(s.address).success, { message: "an email address", path: ["address"] })
  ;

export const SpendInputSchema = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month written like 2026-03"),
    channel: z.string().trim().min(1).max(60),
    amount: Money,
  })
  .strict()
  ;

export const CustomerSchema = z
  .object({
    id: z.uuid(),
    externalId: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    timeZone: z.string().nullable(),
    locale: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  ;
export type CustomerOut = z.infer<typeof CustomerSchema>;

export const CustomerPageSchema = z.object({ data: z.array(CustomerSchema), nextCursor: z.string().nullable() });

export const UpsertResultSchema = z
  .object({ id: z.uuid(), outcome: z.enum(["created", "updated", "unchanged"]) })
  ;

export const EventsResultSchema = z.object({ accepted: z.number().int(), orders: z.array(UpsertResultSchema) });

export const ProblemSchema = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string(), errors: z.array(z.object({ field: z.string(), message: z.string() })) })
  ;
