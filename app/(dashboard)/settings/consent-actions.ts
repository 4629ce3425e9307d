"use server";
import { revalidatePath } from "next/cache";
import { requireShop } from "@/app/_server/require-shop";
import { publishPolicy } from "@/lib/consent/policies";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { updateRetention } from "@/lib/shops/update-retention";
import type { SettingsState } from "./actions";

const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

async function ownerOnly(run: (shopId: string) => Promise<string>): Promise<SettingsState> {
  try {
    const ctx = await requireShop({ role: "owner" });
    const notice = await run(ctx.shopId);
    revalidatePath("/settings");
    return { notice };
  } catch (e) {
    if (isAppError(e) && ["forbidden", "invalid_input", "conflict"].includes(e.code)) {
      return { error: e.message, fields: Object.fromEntries(e.fields.map((f) => [f.field, f.message])) };
    }
    throw e;
  }
}

export async function publishPolicyAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return ownerOnly(async (shopId) => {
    const policy = await withShop(shopId, (tx) => publishPolicy(tx, { version: str(form, "version"), text: str(form, "text"), effectiveAt: str(form, "effectiveAt") }));
    return `Version ${policy.version} published (SHA-256 ${policy.sha256.slice(0, 12)}…). It can no longer be changed.`;
  });
}

export async function updateRetentionAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return ownerOnly(async (shopId) => {
    await withShop(shopId, (tx) =>
      updateRetention(tx, { marketingMonths: str(form, "marketingMonths"), personalizationMonths: str(form, "personalizationMonths"), otherMonths: str(form, "otherMonths") }),
    );
    return "Retention saved. Older raw events are removed at the next daily purge.";
  });
}
