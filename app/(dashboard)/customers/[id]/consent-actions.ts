"use server";
// An owner withdraws consent on the customer's behalf (never grants); viewers are refused.
import { randomUUID } from "node:crypto";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { requireShop } from "@/app/_server/require-shop";
import type { WithdrawState } from "@/components/consent/withdraw-on-behalf-form";
import { withdrawOnBehalf } from "@/lib/consent/withdraw-on-behalf";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";

const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

export async function withdrawOnBehalfAction(_prev: WithdrawState, form: FormData): Promise<WithdrawState> {
  try {
    const { shopId, userId } = await requireShop({ role: "owner" });
    const given = (await headers()).get("x-request-id");
    const requestId = given && /^[\x21-\x7e]{1,100}$/.test(given) ? given : randomUUID();
    const customerId = str(form, "customerId");
    const events = await withShop(shopId, (tx) =>
      withdrawOnBehalf(tx, { customerId, channel: str(form, "channel"), purpose: str(form, "purpose"), note: str(form, "note") }, { userId, requestId }),
    );
    revalidatePath(`/customers/${customerId}`);
    revalidatePath("/consent");
    if (events.length === 0) return { notice: "Nothing to withdraw: the customer had not granted that." };
    return { notice: `Withdrawn: ${events.map((e) => `${e.channel} ${e.purpose}`).join(", ")}. The consent log records it with your note.` };
  } catch (e) {
    if (isAppError(e) && ["forbidden", "invalid_input", "not_found"].includes(e.code)) {
      return { error: e.message, fields: Object.fromEntries(e.fields.map((f) => [f.field, f.message])) };
    }
    throw e;
  }
}
