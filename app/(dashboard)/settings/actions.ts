"use server";
import { revalidatePath } from "next/cache";
import { requireShop } from "@/app/_server/require-shop";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { updateShop } from "@/lib/shops/update-shop";
import { createApiKey, revokeApiKey } from "@/lib/shops/api-keys";

export interface SettingsState {
  error?: string;
  notice?: string;
  fields?: Record<string, string>;
  /** A new API key, shown once. */
  secret?: string;
}

const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

/** Runs an owner-only change; domain errors become form messages, others propagate. */
async function ownerOnly(run: (shopId: string) => Promise<string | SettingsState>): Promise<SettingsState> {
  try {
    const ctx = await requireShop({ role: "owner" });
    const done = await run(ctx.shopId);
    revalidatePath("/settings");
    return typeof done === "string" ? { notice: done } : done;
  } catch (e) {
    if (isAppError(e) && ["forbidden", "invalid_input", "conflict"].includes(e.code)) {
      return { error: e.message, fields: Object.fromEntries(e.fields.map((f) => [f.field, f.message])) };
    }
    throw e;
  }
}

export async function updateShopAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return ownerOnly(async (shopId) => {
    await withShop(shopId, (tx) =>
      updateShop(tx, {
        name: str(form, "name"), currency: str(form, "currency"), country: str(form, "country"), timeZone: str(form, "timeZone"), marginPct: str(form, "marginPct"),
        attributionDays: str(form, "attributionDays"),
      }),
    );
    return "Settings saved.";
  });
}

export async function createApiKeyAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return ownerOnly(async (shopId) => {
    const { key } = await withShop(shopId, (tx) => createApiKey(tx, str(form, "name")));
    return { notice: "Key created. Copy it now: it is not shown again.", secret: key };
  });
}

export async function revokeApiKeyAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return ownerOnly(async (shopId) => {
    await withShop(shopId, (tx) => revokeApiKey(tx, str(form, "id")));
    return "Key revoked: requests with it are now refused.";
  });
}
