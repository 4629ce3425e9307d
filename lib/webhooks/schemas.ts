// The webhook's body, {type, timestamp, data}, with one data shape per event type (DESIGN
// "Contracts"). Customers and orders take the REST API's shapes, so a webhook order is the same
// as an API or CSV one.
import { z } from "zod";
import { CustomerInputSchema, OrderInputSchema } from "../api/schemas";

const ExternalId = z.string().trim().min(1).max(200);
const Money = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d{1,2})?$/)])
  .transform((v) => Math.round(Number(v) * 100))
  .refine((minor) => minor >= 0 && Number.isSafeInteger(minor), "must be an amount of at least 0 with at most two decimals");
const Timestamp = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const CartItemSchema = z.object({
  productExternalId: ExternalId.optional(),
  name: z.string().trim().max(300).optional(),
  quantity: z.number().int().min(1).optional(),
  price: Money.optional(),
});

export const CartDataSchema = z.object({
  customerExternalId: ExternalId,
  cartId: z.string().trim().min(1).max(200),
  total: Money,
  items: z.array(CartItemSchema).max(500),
});

export const ProductViewDataSchema = z.object({ customerExternalId: ExternalId, productExternalId: ExternalId }).strict();

export const CampaignTriggerDataSchema = z
  .object({ campaignId: z.uuid("must be the campaign's id (a UUID)"), customers: z.array(ExternalId).min(1).max(1000) })
  .strict();

const envelope = <T extends string, S extends z.ZodType>(type: T, data: S) =>
  z.object({ type: z.literal(type), timestamp: Timestamp, data }).strict();

export const WEBHOOK_EVENT_TYPES = ["customer.created", "customer.updated", "order.created", "checkout.started", "cart.abandoned", "product.viewed", "campaign.trigger"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WebhookEventSchema = z.discriminatedUnion("type", [
  envelope("customer.created", CustomerInputSchema),
  envelope("customer.updated", CustomerInputSchema),
  envelope("order.created", OrderInputSchema),
  envelope("checkout.started", CartDataSchema),
  envelope("cart.abandoned", CartDataSchema),
  envelope("product.viewed", ProductViewDataSchema),
  envelope("campaign.trigger", CampaignTriggerDataSchema),
], { error: (issue) => (issue.code === "invalid_union" ? `must be one of ${WEBHOOK_EVENT_TYPES.join(", ")}` : undefined) });
export type WebhookEvent = z.output<typeof WebhookEventSchema>;
