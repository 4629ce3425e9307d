"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireShop } from "@/app/_server/require-shop";
import { AUTOMATION_KEYS, setAutomation, type AutomationKey } from "@/lib/campaigns/automations";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import type { SettingsState } from "./actions";

async function asOwner(run: (ctx: { shopId: string; userId: string }) => Promise<SettingsState>): Promise<SettingsState> {
  try {
    const ctx = await requireShop({ role: "owner" });
    const state = await run(ctx);
    revalidatePath("/settings");
    return state;
  } catch (e) {
    if (isAppError(e) && ["forbidden", "invalid_input", "conflict", "not_found"].includes(e.code)) return { error: e.message };
    throw e;
  }
}

export async function rotateWebhookSecretAction(_prev: SettingsState): Promise<SettingsState> {
  return asOwner(async ({ shopId }) => {
    const { secret, expiresPrevious } = await withShop(shopId, (tx) => rotateWebhookSecret(tx));
    const grace = expiresPrevious ? ` The previous secret keeps working until ${expiresPrevious.toISOString().replace("T", " ").slice(0, 16)} UTC.` : "";
    return { notice: `New secret created. Copy it now: it is not shown again.${grace}`, secret };
  });
}

const ToggleSchema = z.object({ key: z.enum(AUTOMATION_KEYS as [AutomationKey, ...AutomationKey[]]), on: z.enum(["on", "off"]) });

export async function setAutomationAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return asOwner(async ({ shopId, userId }) => {
    const parsed = ToggleSchema.safeParse({ key: form.get("key"), on: form.get("on") });
    if (!parsed.success) return { error: "Choose an automation and whether to switch it on or off." };
    const state = await withShop(shopId, (tx) => setAutomation(tx, { key: parsed.data.key, on: parsed.data.on === "on", userId }));
    return { notice: `${state.name} is ${state.on ? "on" : "off"}.` };
  });
}
