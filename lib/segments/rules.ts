// The custom segment rule language: AND/OR groups of conditions on a fixed list of fields. It is
// JSON validated here and compiled to one parameterised query (compile-rules.ts). There is no
// field for a sensitive category, and a custom attribute marked sensitive is refused by name.
import { z } from "zod";
import { ChannelSchema, PurposeSchema } from "../consent/schemas";
import { isSensitiveHeader } from "../ingest/columns";

export const NUMBER_FIELDS = {
  orderCount: { label: "order count", unit: "orders", min: 0, max: 1_000_000 },
  totalSpent: { label: "total spent", unit: "in the shop's currency", min: 0, max: 1e12 },
  daysSinceLastOrder: { label: "days since last order", unit: "days", min: 0, max: 36_500 },
  predictedValue: { label: "predicted value", unit: "in the shop's currency", min: 0, max: 1e12 },
  pAlive: { label: "chance still a customer", unit: "between 0 and 1", min: 0, max: 1 },
} as const;
export type NumberField = keyof typeof NUMBER_FIELDS;

export const RULE_EVENT_TYPES = ["product.viewed", "cart.updated", "checkout.started", "cart.abandoned", "order.created"] as const;
/** Each event type as a rule and its reason read it out. */
export const EVENT_WORDS: Record<(typeof RULE_EVENT_TYPES)[number], string> = {
  "product.viewed": "viewed a product",
  "cart.updated": "updated a cart",
  "checkout.started": "started a checkout",
  "cart.abandoned": "left a cart",
  "order.created": "placed an order",
};

const OPS = ["gt", "gte", "lt", "lte", "eq"] as const;
export const OP_WORDS: Record<(typeof OPS)[number], string> = { gt: "more than", gte: "at least", lt: "less than", lte: "at most", eq: "exactly" };

const Text = z.string().trim().min(1, "Enter a value.").max(200, "Keep values under 200 characters.");
const Days = z.number("Enter a number of days.").int("Use a whole number of days.").min(1, "Use at least 1 day.").max(3650, "Use at most 3,650 days.");

const NumberCondition = z
  .strictObject({ field: z.enum(Object.keys(NUMBER_FIELDS) as [NumberField, ...NumberField[]]), op: z.enum(OPS), value: z.number("Enter a number.") })
  .superRefine((c, ctx) => {
    const f = NUMBER_FIELDS[c.field];
    if (!Number.isFinite(c.value) || c.value < f.min || c.value > f.max) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `${f.label} must be between ${f.min} and ${f.max} (${f.unit}).` });
    }
  });

export const ConditionSchema = z.discriminatedUnion(
  "field",
  [
    NumberCondition,
    z.strictObject({ field: z.literal("categoryBought"), value: Text, withinDays: Days.optional() }),
    z.strictObject({ field: z.literal("eventSeen"), event: z.enum(RULE_EVENT_TYPES), withinDays: Days }),
    z.strictObject({ field: z.literal("consent"), channel: ChannelSchema, purpose: PurposeSchema.default("marketing") }),
    z.strictObject({ field: z.enum(["timeZone", "locale"]), op: z.enum(["is", "isNot"]), value: Text }),
    z.strictObject({
      field: z.literal("attribute"),
      key: z.string().trim().min(1).max(100).refine((k) => !isSensitiveHeader(k), {
        message: "This attribute names a sensitive category; segments cannot use it.",
      }),
      op: z.enum(["is", "isNot"]),
      value: Text,
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `Unknown field. Use one of: ${[...Object.values(NUMBER_FIELDS).map((f) => f.label), "category bought", "event seen", "consent", "time zone", "locale", "custom attribute"].join(", ")}.`
        : undefined,
  },
);
export type Condition = z.infer<typeof ConditionSchema>;

export interface RuleGroup {
  match: "all" | "any";
  conditions: (Condition | RuleGroup)[];
}

export const MAX_DEPTH = 3;
export const MAX_CONDITIONS = 30;

// An item is a group when it has "match", else a condition; dispatching on that (instead of a
// union) keeps each error on the item's own fields, so the owner is told what to fix.
const ItemSchema: z.ZodType<Condition | RuleGroup> = z.unknown().transform((value, ctx) => {
  const schema: z.ZodType<Condition | RuleGroup> = value && typeof value === "object" && "match" in value ? RuleGroupSchema : ConditionSchema;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  return z.NEVER;
});

export const RuleGroupSchema: z.ZodType<RuleGroup> = z.lazy(() =>
  z.strictObject({
    match: z.enum(["all", "any"], "Say whether all or any of the conditions must hold."),
    conditions: z.array(ItemSchema).min(1, "A group needs at least one condition."),
  }),
);

export const SegmentInputSchema = z.strictObject({
  name: z.string().trim().min(1, "Give the segment a name.").max(80, "Keep the name under 80 characters."),
  description: z.string().trim().max(500).optional(),
  rules: RuleGroupSchema,
});
export type SegmentInput = z.infer<typeof SegmentInputSchema>;

export const isGroup = (c: Condition | RuleGroup): c is RuleGroup => "match" in c;

/** Conditions in reading order, with a label a person can find ("condition 2 in group 1"). */
export function leaves(group: RuleGroup): Condition[] {
  return group.conditions.flatMap((c) => (isGroup(c) ? leaves(c) : [c]));
}

export function depth(group: RuleGroup): number {
  return 1 + Math.max(0, ...group.conditions.map((c) => (isGroup(c) ? depth(c) : 0)));
}
