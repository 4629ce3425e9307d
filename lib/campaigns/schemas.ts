// What an owner may write into a campaign: checked here before anything is saved, so a wrong field
// is a sentence naming it, not a database error.
import { z } from "zod";
import { AppError } from "../errors";
import { RuleGroupSchema } from "../segments/rules";
import { parseTemplate } from "./message-template";

export const CAMPAIGN_CHANNELS = ["email", "sms"] as const;
export const CAMPAIGN_PURPOSES = ["marketing", "personalization", "surveys"] as const;
export const MAX_VARIANTS = 4;

export const VariantInputSchema = z.object({
  subject: z.string().trim().max(200, "Keep the subject under 200 characters.").nullish(),
  body: z.string().trim().min(1, "Write the message.").max(5000, "Keep the message under 5,000 characters."),
  weight: z.coerce.number().int("A weight is a whole number.").min(1, "A weight is at least 1.").max(100, "A weight is at most 100.").default(1),
}).superRefine((v, ctx) => {
  // Merge fields are checked when the variant is saved, so a typo is the owner's error now, not a customer's later.
  for (const [what, template] of [["subject", v.subject ?? ""], ["body", v.body]] as const) {
    try {
      parseTemplate(template, what);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      ctx.addIssue({ code: "custom", path: [what], message: e.message });
    }
  }
});

export const CampaignInputSchema = z.object({
  name: z.string().trim().min(1, "Give the campaign a name.").max(120, "Keep the name under 120 characters."),
  channel: z.enum(CAMPAIGN_CHANNELS, "Choose email or text message."),
  purpose: z.enum(CAMPAIGN_PURPOSES, "Choose what the message is for."),
  segmentId: z.uuid("Choose a segment."),
  rules: RuleGroupSchema.nullish(),
  holdoutPct: z.coerce.number().int("The holdout is a whole percentage.").min(0, "The holdout is 0 % or more.").max(50, "Hold out at most 50 %.").default(10),
  scheduledAt: z.coerce.date("The schedule is not a date and time.").nullish(),
  costMinor: z.coerce.number().int("The cost is a whole number of cents.").min(0, "The cost cannot be negative.").default(0),
  /** The message carries a discount or coupon; the fairness report counts who gets offers by it. */
  offer: z.boolean("Say whether the message is an offer.").default(false),
  variants: z.array(VariantInputSchema).min(1, "Write at least one message.").max(MAX_VARIANTS, `At most ${MAX_VARIANTS} variants.`),
});

export type CampaignInput = z.infer<typeof CampaignInputSchema>;
