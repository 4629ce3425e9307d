// Ready-made automations an owner can switch on (DESIGN invariant 8: they run only once switched
// on). Each is an automation campaign (campaigns.automation = true, trigger = its key) with one
// variant, aimed at one built-in segment, and always targeted through targetAudience, so consent,
// erasure, suppression, caps and the holdout apply exactly as for any campaign. A trigger that
// itself makes the customer a member (a cart abandoned, a first order) records the membership
// with its reason before targeting; the next segment refresh computes the same.
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { campaigns, segmentMembers, segments, sends, shops, variants } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { BUILTIN_SEGMENTS } from "../segments/builtin-segments";
import { recomputeQuerySegment } from "../segments/recompute-query-segment";
import { targetAudience } from "./target-audience";

export interface AutomationDefinition {
  name: string;
  /** What the owner reads next to the switch. */
  describe: string;
  /** The webhook/ingest event that fires it for one customer; null: it runs over its whole segment when switched on. */
  event: "cart.abandoned" | "order.first" | null;
  segmentKey: string;
  purpose: "marketing" | "surveys";
  /** Minutes between the trigger and the earliest send. */
  delayMinutes: number;
  /**
   * A segment run (event null) queues at most one message per customer per this period (the
   * shop's calendar month or day). The daily ones rely on their segment to say who is due again.
   */
  oncePer?: "month" | "day";
  subject: string;
  body: string;
}

export const AUTOMATIONS = {
  cart_abandoned: {
    name: "Abandoned-cart reminder",
    describe: "Emails a customer who left a cart 4 hours later, unless they ordered in the meantime.",
    event: "cart.abandoned",
    segmentKey: "cart_abandoners",
    purpose: "marketing",
    delayMinutes: 240,
    subject: "You left something in your cart at {{shop_name}}",
    body: "Hello {{first_name | there}},\n\nYour cart is still waiting for you. Come back whenever it suits you.",
  },
  welcome: {
    name: "Welcome",
    describe: "Emails a customer a welcome after their first order, when it arrives live (by the webhook or the API; imports of past orders never do).",
    event: "order.first",
    segmentKey: "lifecycle_new",
    purpose: "marketing",
    delayMinutes: 0,
    subject: "Welcome to {{shop_name}}",
    body: "Hello {{first_name | there}},\n\nThank you for shopping with us. We are glad you are here.",
  },
  win_back: {
    name: "Win-back",
    describe: "Emails your at-risk customers (later than usual for their next order) when you switch it on; at most once a month each.",
    event: null,
    segmentKey: "lifecycle_at_risk",
    purpose: "marketing",
    delayMinutes: 0,
    oncePer: "month",
    subject: "We miss you at {{shop_name}}",
    body: "Hello {{first_name | there}},\n\nIt has been a while. Here is what is new since your last visit.",
  },
  post_purchase_survey: {
    name: "Post-purchase survey",
    describe: "Emails a one-question survey (0–10) a week after a customer's latest order, only to those who said yes to surveys; at most one every 90 days each.",
    event: null,
    segmentKey: "survey_due",
    purpose: "surveys",
    delayMinutes: 0,
    oncePer: "day",
    subject: "How was your order from {{shop_name}}?",
    body: "Hello {{first_name | there}},\n\nHow likely are you to recommend {{shop_name}} to a friend? One tap on the link answers, and you can add a comment:\n\n{{survey_link}}\n\nThank you for your time.",
  },
  replenishment: {
    name: "Reorder reminder",
    describe: "Emails a customer when it has been as long since they bought something as customers of this shop usually wait before buying it again; once per purchase.",
    event: null,
    segmentKey: "replenishment_due",
    purpose: "marketing",
    delayMinutes: 0,
    oncePer: "day",
    subject: "Time to stock up at {{shop_name}}?",
    body: "Hello {{first_name | there}},\n\nIt has been about as long since your order of {{last_order_date}} as our customers usually wait before ordering again. We are here when you need more.",
  },
} as const satisfies Record<string, AutomationDefinition>;

export type AutomationKey = keyof typeof AUTOMATIONS;
export const AUTOMATION_KEYS = Object.keys(AUTOMATIONS) as AutomationKey[];

export interface AutomationState {
  key: AutomationKey;
  name: string;
  describe: string;
  on: boolean;
  campaignId: string | null;
}

/** Every ready-made automation with whether it is switched on in this shop. */
export async function listAutomations(tx: ShopTx): Promise<AutomationState[]> {
  const rows = await tx.select({ id: campaigns.id, trigger: campaigns.trigger, status: campaigns.status }).from(campaigns)
    .where(and(eq(campaigns.automation, true), inArray(campaigns.trigger, AUTOMATION_KEYS)));
  return AUTOMATION_KEYS.map((key) => {
    const row = rows.find((r) => r.trigger === key);
    const on = !!row && (row.status === "approved" || row.status === "sending");
    return { key, name: AUTOMATIONS[key].name, describe: AUTOMATIONS[key].describe, on, campaignId: row?.id ?? null };
  });
}

async function builtinSegmentId(tx: ShopTx, shopId: string, key: string): Promise<string> {
  const builtin = BUILTIN_SEGMENTS.find((s) => s.key === key);
  if (!builtin) throw new Error(`no built-in segment ${key}`);
  // The row exists after the first refresh; before it, the same row the refresh would write.
  await tx.insert(segments).values({ shopId, key, name: builtin.name, kind: "builtin" }).onConflictDoNothing({ target: [segments.shopId, segments.key] });
  const [row] = await tx.select({ id: segments.id }).from(segments).where(eq(segments.key, key));
  return row!.id;
}

/**
 * Switches an automation on (its campaign is created, or resumed, and approved by this owner) or
 * off (paused: nothing more is queued, and what is queued waits). Switching a segment-run
 * automation (win-back, survey, reorder) on targets its segment at once; the worker then runs it
 * daily (lib/campaigns/run-daily-automations.ts).
 */
export async function setAutomation(tx: ShopTx, options: { key: AutomationKey; on: boolean; userId: string | null; now?: Date }): Promise<AutomationState> {
  const def = AUTOMATIONS[options.key];
  if (!def) throw new AppError("invalid_input", "No such automation.", { fields: [{ field: "key", message: "unknown automation" }] });
  const now = options.now ?? new Date();
  const shopId = await currentShopId(tx);
  const [existing] = await tx.select().from(campaigns).where(and(eq(campaigns.automation, true), eq(campaigns.trigger, options.key))).for("update");
  let campaignId = existing?.id;
  if (options.on) {
    if (!existing) {
      const segmentId = await builtinSegmentId(tx, shopId, def.segmentKey);
      const [created] = await tx.insert(campaigns).values({
        shopId, name: def.name, channel: "email", purpose: def.purpose, segmentId, status: "approved", holdoutPct: 10,
        trigger: options.key, automation: true, approvedBy: options.userId, approvedAt: now,
      }).returning({ id: campaigns.id });
      campaignId = created!.id;
      await tx.insert(variants).values({ shopId, campaignId, key: "A", subject: def.subject, body: def.body });
    } else if (existing.status !== "approved" && existing.status !== "sending") {
      await tx.update(campaigns).set({ status: "approved", pausedReason: null, approvedBy: options.userId, approvedAt: now }).where(eq(campaigns.id, existing.id));
    }
    if (def.event === null) await runSegmentAutomation(tx, options.key, now);
  } else if (existing && (existing.status === "approved" || existing.status === "sending")) {
    await tx.update(campaigns).set({ status: "paused", pausedReason: "The owner switched this automation off." }).where(eq(campaigns.id, existing.id));
  }
  const states = await listAutomations(tx);
  return states.find((s) => s.key === options.key) ?? { key: options.key, name: def.name, describe: def.describe, on: false, campaignId: campaignId ?? null };
}

async function liveCampaign(tx: ShopTx, key: AutomationKey) {
  const [row] = await tx.select({ id: campaigns.id, segmentId: campaigns.segmentId }).from(campaigns)
    .where(and(eq(campaigns.automation, true), eq(campaigns.trigger, key), inArray(campaigns.status, ["approved", "sending"])));
  return row ?? null;
}

/**
 * A segment-run automation over its whole segment. A segment computed by its own query (due a
 * survey, due to reorder) is recomputed first, as of `now`, so the run sees today's members; a
 * scored one (at risk) is as the latest refresh left it. Each customer gets at most one message
 * per calendar month (win-back) or day (the others) of the shop, however often this runs.
 */
export async function runSegmentAutomation(tx: ShopTx, key: AutomationKey, now = new Date()) {
  const campaign = await liveCampaign(tx, key);
  if (!campaign) return null;
  const def: AutomationDefinition = AUTOMATIONS[key];
  await recomputeQuerySegment(tx, def.segmentKey, { now });
  const [shop] = await tx.select({ timeZone: shops.timeZone }).from(shops).where(eq(shops.id, await currentShopId(tx)));
  const day = localDay(now, shop?.timeZone ?? "UTC");
  const period = def.oncePer === "day" ? day : day.slice(0, 7);
  return targetAudience(tx, campaign.id, { trigger: `automation:${key}`, now, idempotencyScope: `${key}:${period}` });
}

/** YYYY-MM-DD of the instant in the time zone. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

export interface FiredAutomation {
  automation: AutomationKey;
  runId: string;
  queued: number;
  sendAfter: string;
}

/**
 * Fires the switched-on automations that listen to this event, for one customer. `scope` makes a
 * repeat of the same trigger (the same cart, the same customer) queue nothing twice.
 */
export async function fireAutomations(
  tx: ShopTx,
  event: { type: string; customerId: string; occurredAt: Date; scope: string; now: Date; reasonParams?: Record<string, unknown> },
): Promise<FiredAutomation[]> {
  const fired: FiredAutomation[] = [];
  for (const key of AUTOMATION_KEYS) {
    const def: AutomationDefinition = AUTOMATIONS[key];
    if (def.event !== event.type) continue;
    const campaign = await liveCampaign(tx, key);
    if (!campaign?.segmentId) continue;
    if (key === "cart_abandoned" && (await orderedSince(tx, event.customerId, event.occurredAt))) continue;
    const shopId = await currentShopId(tx);
    await tx.insert(segmentMembers).values({ shopId, segmentId: campaign.segmentId, customerId: event.customerId, reasonParams: event.reasonParams ?? null })
      .onConflictDoNothing();
    const result = await targetAudience(tx, campaign.id, { trigger: `automation:${key}`, now: event.now, customerIds: [event.customerId], idempotencyScope: `${key}:${event.scope}` });
    const sendAfter = new Date(event.now.getTime() + def.delayMinutes * 60_000);
    // The delay: not before the trigger plus the automation's wait (or the end of quiet hours, if later).
    await tx.update(sends).set({ sendAfter: sql`greatest(${sends.sendAfter}, ${sendAfter.toISOString()}::timestamptz)` }).where(eq(sends.runId, result.runId));
    fired.push({ automation: key, runId: result.runId, queued: result.funnel.queued, sendAfter: sendAfter.toISOString() });
  }
  return fired;
}

async function orderedSince(tx: ShopTx, customerId: string, since: Date): Promise<boolean> {
  const [row] = await queryRows<{ ordered: boolean }>(tx, sql`select exists (select 1 from sales o where o.customer_id = ${customerId}::uuid and o.placed_at >= ${since.toISOString()}::timestamptz) as ordered`);
  return !!row?.ordered;
}

/**
 * The worker's hook (lib/campaigns/deliver-send.ts): a reason to skip an automation's message at
 * the moment of sending that targeting could not know. An abandoned-cart reminder is skipped when
 * the customer ordered after it was queued.
 */
export async function automationSkipReason(tx: ShopTx, sendId: string): Promise<"ordered_since" | null> {
  const [row] = await queryRows<{ ordered: boolean }>(tx, sql`
    select exists (select 1 from sales o where o.customer_id = s.customer_id and o.placed_at >= s.created_at) as ordered
      from sends s join campaigns k on k.id = s.campaign_id
     where s.id = ${sendId}::uuid and k.automation and k.trigger = 'cart_abandoned'`);
  return row?.ordered ? "ordered_since" : null;
}
