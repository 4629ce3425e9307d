"use server";
import { revalidatePath } from "next/cache";
import { requireShop } from "@/app/_server/require-shop";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { addMember } from "@/lib/shops/add-member";
import { updateShop } from "@/lib/shops/update-shop";

export interface SettingsState {
  error?: string;
  notice?: string;
  fields?: Record<string, string>;
}

const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

/** Runs an owner-only change; domain errors become form messages, others propagate. */
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

export async function updateShopAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return ownerOnly(async (shopId) => {
    await withShop(shopId, (tx) =>
      updateShop(tx, { name: str(form, "name"), currency: str(form, "currency"), timeZone: str(form, "timeZone"), marginPct: str(form, "marginPct") }),
    );
    return "Settings saved.";
  });
}

export async function addMemberAction(_prev: SettingsState, form: FormData): Promise<SettingsState> {
  return ownerOnly(async (shopId) => {
    const role = str(form, "role") === "owner" ? "owner" : "viewer";
    const { created } = await addMember(shopId, { email: str(form, "email"), role, password: str(form, "password"), name: str(form, "name") || undefined });
    return created ? `Added ${str(form, "email")} as ${role}. Give them their initial password in person.` : `Added ${str(form, "email")} as ${role}; they sign in with their existing password.`;
  });
}
