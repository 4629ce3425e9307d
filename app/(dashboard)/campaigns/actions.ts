"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { approveCampaign, createCampaign, markCampaignDone, pauseCampaign, resumeCampaign, updateCampaignDraft, type Actor } from "@/lib/campaigns/campaign-lifecycle";
import { MAX_VARIANTS } from "@/lib/campaigns/schemas";
import { withShop, type ShopTx } from "@/lib/db/tenant";
import { isAppError, type FieldError } from "@/lib/errors";

export type CampaignFormState = { error: string; fields: FieldError[]; values: Record<string, string> } | null;

const text = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

/** The form's fields as the use case's input; the schedule is entered in UTC, the cost in the shop's currency. */
function campaignInput(form: FormData) {
  const variants = [];
  for (let i = 0; i < MAX_VARIANTS; i++) {
    if (!form.has(`variants.${i}.body`)) continue;
    variants.push({ subject: text(form, `variants.${i}.subject`) || null, body: text(form, `variants.${i}.body`), weight: text(form, `variants.${i}.weight`) || 1 });
  }
  const schedule = text(form, "scheduledAt");
  const cost = text(form, "cost").replace(",", ".");
  return {
    name: text(form, "name"),
    channel: text(form, "channel"),
    purpose: text(form, "purpose"),
    segmentId: text(form, "segmentId"),
    holdoutPct: text(form, "holdoutPct") || 10,
    scheduledAt: schedule ? `${schedule.length === 16 ? `${schedule}:00` : schedule}Z` : null,
    costMinor: cost ? Math.round(Number(cost) * 100) : 0,
    offer: form.get("offer") === "on",
    variants,
  };
}

/** A refusal as the form shows it: the message, the fields it names and what the owner typed. */
function formError(e: unknown, form: FormData): CampaignFormState {
  if (!isAppError(e)) throw e;
  const values = Object.fromEntries([...form.entries()].filter(([k, v]) => typeof v === "string" && !k.startsWith("$")).map(([k, v]) => [k, v as string]));
  return { error: e.message, fields: e.fields, values };
}

export async function createCampaignAction(_prev: CampaignFormState, form: FormData): Promise<CampaignFormState> {
  const ctx = await requireShop();
  let id: string;
  try {
    ({ id } = await withShop(ctx.shopId, (tx) => createCampaign(tx, { userId: ctx.userId, role: ctx.role }, campaignInput(form))));
  } catch (e) {
    return formError(e, form);
  }
  revalidatePath("/campaigns");
  redirect(`/campaigns/${id}`);
}

export async function updateCampaignAction(campaignId: string, _prev: CampaignFormState, form: FormData): Promise<CampaignFormState> {
  const ctx = await requireShop();
  try {
    await withShop(ctx.shopId, (tx) => updateCampaignDraft(tx, { userId: ctx.userId, role: ctx.role }, campaignId, campaignInput(form)));
  } catch (e) {
    return formError(e, form);
  }
  revalidatePath("/campaigns");
  revalidatePath(`/campaigns/${campaignId}`);
  redirect(`/campaigns/${campaignId}`);
}

export type CampaignActionState = { error: string } | { ok: string } | null;

async function act(campaignId: string, done: string, fn: (tx: ShopTx, actor: Actor, id: string) => Promise<unknown>): Promise<CampaignActionState> {
  const ctx = await requireShop();
  try {
    await withShop(ctx.shopId, (tx) => fn(tx, { userId: ctx.userId, role: ctx.role }, campaignId));
  } catch (e) {
    if (isAppError(e)) return { error: e.message };
    throw e;
  }
  revalidatePath("/campaigns");
  revalidatePath(`/campaigns/${campaignId}`);
  return { ok: done };
}

export async function campaignAction(campaignId: string, _prev: CampaignActionState, form: FormData): Promise<CampaignActionState> {
  switch (form.get("do")) {
    case "approve": return act(campaignId, "Approved.", (tx, actor, id) => approveCampaign(tx, actor, id));
    case "pause": return act(campaignId, "Paused.", pauseCampaign);
    case "resume": return act(campaignId, "Resumed.", resumeCampaign);
    case "done": return act(campaignId, "Marked done.", markCampaignDone);
    default: return { error: "Choose approve, pause, resume or done." };
  }
}
