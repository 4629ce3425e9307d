// A campaign's life, as the owner drives it: draft → approved (by an owner) → sending → done, and
// paused / resumed in between (DESIGN invariant 8: a person decides). Each use case runs in the
// caller's shop transaction. Approving a campaign without a schedule (or whose time has come)
// targets its audience in the same transaction, so an approval either queues its messages or
// changes nothing; a scheduled one is targeted by the worker when due (targetDueCampaigns).
import { and, asc, eq, isNotNull, lte, sql } from "drizzle-orm";
import type { z } from "zod";
import { queryRows } from "../db/client";
import { campaigns, segments, variants } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { currentShopId } from "../db/tenant";
import { AppError, notFound, type FieldError } from "../errors";
import type { Role } from "../shops/schemas";
import { validateSegmentInput } from "../segments/validate-rules";
import { CampaignInputSchema, type CampaignInput } from "./schemas";
import { targetAudience, type TargetingResult } from "./target-audience";

export interface Actor {
  userId: string;
  role: Role;
}

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.join(".") || "campaign", message: i.message }));
}

const LABELS: Record<string, string> = { name: "Name", channel: "Channel", purpose: "Purpose", segmentId: "Segment", rules: "Narrowing rules", holdoutPct: "Holdout", scheduledAt: "Schedule", costMinor: "Cost", offer: "Offer", variants: "Messages" };

/** "variants.1.body" → "Variant B, message": the sentence names fields as the form does. */
function fieldLabel(field: string): string {
  const v = /^variants\.(\d)\.(\w+)$/.exec(field);
  if (v) return `Variant ${"ABCD"[Number(v[1])] ?? Number(v[1]) + 1}, ${v[2] === "body" ? "message" : v[2]}`;
  return LABELS[field] ?? field;
}

const notSaved = (fields: FieldError[]) =>
  new AppError("invalid_input", `The campaign was not saved: ${fields.map((f) => `${fieldLabel(f.field)}: ${f.message}`).join(" ")}`, { fields });

/** Shape, segment, narrowing rules and every template's merge fields; throws invalid_input naming the fields. */
async function parseCampaignInput(tx: ShopTx, input: unknown): Promise<CampaignInput> {
  const parsed = CampaignInputSchema.safeParse(input);
  if (!parsed.success) {
    throw notSaved(fieldErrors(parsed.error));
  }
  const c = parsed.data;
  const fields: FieldError[] = [];
  const [segment] = await tx.select({ id: segments.id }).from(segments).where(eq(segments.id, c.segmentId));
  if (!segment) fields.push({ field: "segmentId", message: "There is no such segment in this shop; choose one from the list." });
  if (c.rules) {
    // The same checks as a saved segment: known, non-sensitive attributes and a bounded tree.
    try {
      await validateSegmentInput(tx, { name: "narrowing", rules: c.rules });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      fields.push(...(e.fields.length ? e.fields.map((f) => ({ field: `rules: ${f.field}`, message: f.message })) : [{ field: "rules", message: e.message }]));
    }
  }
  c.variants.forEach((v, i) => {
    if (c.channel === "email" && !v.subject) fields.push({ field: `variants.${i}.subject`, message: "An email needs a subject." });
  });
  if (fields.length) throw notSaved(fields);
  return c;
}

const VARIANT_KEYS = ["A", "B", "C", "D"] as const;

async function writeVariants(tx: ShopTx, shopId: string, campaignId: string, input: CampaignInput) {
  await tx.delete(variants).where(eq(variants.campaignId, campaignId));
  await tx.insert(variants).values(input.variants.map((v, i) => ({
    shopId, campaignId, key: VARIANT_KEYS[i]!, subject: input.channel === "email" ? v.subject ?? null : null, body: v.body, weight: v.weight,
  })));
}

const columns = (c: CampaignInput) => ({
  name: c.name, channel: c.channel, purpose: c.purpose, segmentId: c.segmentId, rules: (c.rules ?? null) as Record<string, unknown> | null,
  holdoutPct: c.holdoutPct, scheduledAt: c.scheduledAt ?? null, costMinor: c.costMinor, offer: c.offer,
});

function requireOwner(actor: Actor, what: string) {
  if (actor.role !== "owner") throw new AppError("forbidden", `Only an owner of this shop can ${what} a campaign.`);
}

async function lockCampaign(tx: ShopTx, campaignId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(campaignId)) throw notFound("Campaign");
  const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update");
  if (!c) throw notFound("Campaign");
  return c;
}

export async function createCampaign(tx: ShopTx, actor: Actor, input: unknown): Promise<{ id: string }> {
  requireOwner(actor, "create");
  const c = await parseCampaignInput(tx, input);
  const shopId = await currentShopId(tx);
  const [row] = await tx.insert(campaigns).values({ shopId, ...columns(c) }).returning({ id: campaigns.id });
  await writeVariants(tx, shopId, row!.id, c);
  return { id: row!.id };
}

/** Only a draft can be edited: an approved campaign's audience and messages are what the owner approved. */
export async function updateCampaignDraft(tx: ShopTx, actor: Actor, campaignId: string, input: unknown): Promise<{ id: string }> {
  requireOwner(actor, "edit");
  const current = await lockCampaign(tx, campaignId);
  if (current.status !== "draft") throw new AppError("conflict", `The campaign is ${current.status}; only a draft can be edited. Create a new campaign instead.`);
  const c = await parseCampaignInput(tx, input);
  await tx.update(campaigns).set(columns(c)).where(eq(campaigns.id, campaignId));
  await writeVariants(tx, current.shopId, campaignId, c);
  return { id: campaignId };
}

export interface ApprovalResult {
  status: "approved" | "sending";
  /** The targeting done on approval; null when the campaign waits for its schedule. */
  targeting: TargetingResult | null;
}

export async function approveCampaign(tx: ShopTx, actor: Actor, campaignId: string, options: { now?: Date } = {}): Promise<ApprovalResult> {
  requireOwner(actor, "approve");
  const now = options.now ?? new Date();
  const c = await lockCampaign(tx, campaignId);
  if (c.status !== "draft") throw new AppError("conflict", `The campaign is already ${c.status}; only a draft can be approved.`);
  await tx.update(campaigns).set({ status: "approved", approvedBy: actor.userId, approvedAt: now, pausedReason: null }).where(eq(campaigns.id, campaignId));
  if (c.scheduledAt && c.scheduledAt > now) return { status: "approved", targeting: null };
  const targeting = await targetAudience(tx, campaignId, { trigger: "approval", now });
  return { status: "sending", targeting };
}

export async function pauseCampaign(tx: ShopTx, actor: Actor, campaignId: string): Promise<void> {
  requireOwner(actor, "pause");
  const c = await lockCampaign(tx, campaignId);
  if (c.status === "paused") return; // pressing twice changes nothing
  if (c.status !== "approved" && c.status !== "sending") throw new AppError("conflict", `The campaign is ${c.status}; only an approved or sending campaign can be paused.`);
  await tx.update(campaigns).set({ status: "paused", pausedReason: "Paused by an owner." }).where(eq(campaigns.id, campaignId));
}

/** Back to sending when it was targeted already, else to approved (its schedule or the worker targets it). */
export async function resumeCampaign(tx: ShopTx, actor: Actor, campaignId: string): Promise<void> {
  requireOwner(actor, "resume");
  const c = await lockCampaign(tx, campaignId);
  if (c.status === "approved" || c.status === "sending") return;
  if (c.status !== "paused") throw new AppError("conflict", `The campaign is ${c.status}; only a paused campaign can be resumed.`);
  const [run] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from campaign_runs where campaign_id = ${campaignId}::uuid`);
  await tx.update(campaigns).set({ status: (run?.n ?? 0) > 0 ? "sending" : "approved", pausedReason: null }).where(eq(campaigns.id, campaignId));
}

/** Done once nothing of it is left to send (no message queued or in a worker's hands). */
export async function markCampaignDone(tx: ShopTx, actor: Actor, campaignId: string): Promise<void> {
  requireOwner(actor, "finish");
  const c = await lockCampaign(tx, campaignId);
  if (c.status === "done") return;
  if (c.status !== "sending" && c.status !== "paused") throw new AppError("conflict", `The campaign is ${c.status}; only a campaign that has sent can be marked done.`);
  const [left] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from sends where campaign_id = ${campaignId}::uuid and status in ('queued', 'sending')`);
  if ((left?.n ?? 0) > 0) throw new AppError("conflict", `${left!.n} message${left!.n === 1 ? " is" : "s are"} still waiting to be sent; pause the campaign or wait until they are sent.`);
  await tx.update(campaigns).set({ status: "done" }).where(eq(campaigns.id, campaignId));
}

/**
 * Targets the approved campaigns whose schedule has come (called by the worker at the start of each
 * pass). SKIP LOCKED lets two workers share the work; one targeted here is sending afterwards, so
 * no other pass targets it again.
 */
export async function targetDueCampaigns(tx: ShopTx, options: { now?: Date } = {}): Promise<{ campaignId: string; result: TargetingResult }[]> {
  const now = options.now ?? new Date();
  const due = await tx.select({ id: campaigns.id }).from(campaigns)
    .where(and(eq(campaigns.status, "approved"), eq(campaigns.automation, false), isNotNull(campaigns.scheduledAt), lte(campaigns.scheduledAt, now)))
    .orderBy(asc(campaigns.scheduledAt)).for("update", { skipLocked: true });
  const out: { campaignId: string; result: TargetingResult }[] = [];
  for (const { id } of due) {
    try {
      // A savepoint per campaign: one that cannot be targeted (its segment deleted meanwhile) does not hold up the others.
      const result = await tx.transaction((sp) => targetAudience(sp as ShopTx, id, { trigger: "schedule", now }));
      out.push({ campaignId: id, result });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      await tx.update(campaigns).set({ status: "paused", pausedReason: `Not sent at its scheduled time: ${e.message}` }).where(eq(campaigns.id, id));
    }
  }
  return out;
}
