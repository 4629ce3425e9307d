// What approving a campaign would do, before anyone approves it: the funnel per step, a sample of
// customers with their decision and its reason, and the message a chosen customer would get. It is
// the real targeting (target-audience.ts) run inside a savepoint that is always rolled back, so the
// preview and the approval can never disagree on who is in, and a preview writes nothing.
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { campaigns, variants } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { funnelSteps, type FunnelStep } from "./funnel-steps";
import { renderMessage, renderSms, type RenderedMessage } from "./message-template";
import { loadMessageValues } from "./message-values";
import { customerPurchases, loadRecommender } from "./recommend-products";
import { OUTCOME_WORDS, targetAudience, type Outcome, type TargetingResult } from "./target-audience";

export const PREVIEW_SAMPLE = 20;

export interface PreviewCustomer {
  customerId: string;
  name: string;
  outcome: Outcome;
  reason: string;
  variantKey: string | null;
}

export interface CampaignPreview {
  funnel: TargetingResult["funnel"];
  steps: FunnelStep[];
  arms: TargetingResult["arms"];
  sampleRatio: TargetingResult["sampleRatio"];
  sample: PreviewCustomer[];
  /** The message for the chosen customer (or the first in the sample who would get one). */
  message: {
    customerId: string;
    name: string;
    variantKey: string;
    outcome: Outcome;
    channel: "email" | "sms" | "push";
    email: RenderedMessage | null;
    sms: string | null;
  } | null;
}

class RollBack extends Error {
  constructor(readonly preview: CampaignPreview) {
    super("preview rolled back");
  }
}

const PLACEHOLDER_LINKS = { preferencesUrl: "[link to their preference page, made at sending]", unsubscribeUrl: "[one-click unsubscribe link, made at sending]" };

export async function previewCampaign(
  tx: ShopTx,
  campaignId: string,
  options: { now?: Date; customerId?: string; variantKey?: string } = {},
): Promise<CampaignPreview> {
  const now = options.now ?? new Date();
  if (options.customerId !== undefined && !/^[0-9a-f-]{36}$/i.test(options.customerId)) {
    throw new AppError("invalid_input", "Choose a customer from the sample to preview their message.", { fields: [{ field: "customerId", message: "Not a customer id." }] });
  }
  try {
    await tx.transaction(async (sp) => {
      const scoped = sp as ShopTx;
      const result = await targetAudience(scoped, campaignId, { trigger: "preview", now, preview: true });
      const sample = await queryRows<{ customer_id: string; name: string; outcome: Outcome; variant_key: string | null }>(
        scoped,
        // A spread over the outcomes: the first few of each, in a fixed (hashed) order.
        sql`select d.customer_id, d.outcome, case when d.outcome = 'queued' then v.key end as variant_key,
                   coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.phone, 'Unnamed customer') as name
              from (select d.*, row_number() over (partition by d.outcome order by md5(d.customer_id::text)) as rn
                      from campaign_decisions d where d.run_id = ${result.runId}::uuid) d
              join customers c on c.id = d.customer_id
              left join variants v on v.id = d.variant_id
             order by d.rn, d.outcome limit ${PREVIEW_SAMPLE}`,
      );
      const chosenId = options.customerId ?? sample.find((s) => s.outcome === "queued")?.customer_id ?? sample[0]?.customer_id;
      let message: CampaignPreview["message"] = null;
      if (chosenId) {
        const [d] = await queryRows<{ name: string; outcome: Outcome | null; variant_id: string | null; why: string | null; channel: "email" | "sms" | "push" }>(
          scoped,
          sql`select coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email, c.phone, 'Unnamed customer') as name,
                     d.outcome, d.variant_id, s.why, k.channel
                from customers c
                join campaigns k on k.id = ${campaignId}::uuid
                left join campaign_decisions d on d.run_id = ${result.runId}::uuid and d.customer_id = c.id
                left join sends s on s.run_id = ${result.runId}::uuid and s.customer_id = c.id
               where c.id = ${chosenId}::uuid`,
        );
        if (!d || !d.outcome) throw new AppError("invalid_input", "That customer is not in this campaign's audience; choose one from the sample.", { fields: [{ field: "customerId", message: "Not in the audience." }] });
        const all = await scoped.select().from(variants).where(eq(variants.campaignId, campaignId)).orderBy(variants.key);
        const variant = (options.variantKey ? all.find((v) => v.key === options.variantKey) : undefined) ?? all.find((v) => v.id === d.variant_id) ?? all[0];
        const values = await loadMessageValues(scoped, chosenId);
        // {{recommended_products}} as the worker fills it (lib/campaigns/recommend-products.ts).
        if (variant && values && /\{\{\s*recommended_products/i.test(variant.body)) {
          values.recommendedProducts = (await loadRecommender(scoped, { now })).recommend(await customerPurchases(scoped, chosenId));
        }
        // {{survey_link}}: each message gets its own signed link at sending; the preview says so.
        if (values) {
          const [k] = await scoped.select({ purpose: campaigns.purpose }).from(campaigns).where(eq(campaigns.id, campaignId));
          if (k?.purpose === "surveys") values.surveyUrl = "[link to their survey, made at sending]";
        }
        if (variant && values) {
          const why = d.why ?? `(Not sent to this customer: ${OUTCOME_WORDS[d.outcome]}.)`;
          const footer = { ...PLACEHOLDER_LINKS, why };
          message = {
            customerId: chosenId, name: d.name, variantKey: variant.key, outcome: d.outcome, channel: d.channel,
            email: d.channel === "email" ? renderMessage({ subject: variant.subject, body: variant.body }, values, footer) : null,
            sms: d.channel === "sms" ? renderSms({ body: variant.body }, values, footer) : null,
          };
        }
      }
      throw new RollBack({
        funnel: result.funnel,
        steps: funnelSteps(result.funnel),
        arms: result.arms,
        sampleRatio: result.sampleRatio,
        sample: sample.map((s) => ({ customerId: s.customer_id, name: s.name, outcome: s.outcome, reason: OUTCOME_WORDS[s.outcome], variantKey: s.variant_key })),
        message,
      });
    });
  } catch (e) {
    if (e instanceof RollBack) return e.preview;
    throw e;
  }
  throw new Error("unreachable: a preview always rolls back");
}
