"use server";
// Owner actions on one customer: a fresh preference page link (to answer a customer who asks),
// and erasure at the customer's request. Owners only; a viewer's request is refused.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireShop } from "@/app/_server/require-shop";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { getCustomer } from "@/lib/customers/get-customer";
import { eraseCustomer } from "@/lib/privacy/erase-customer";
import { preferencesUrl } from "@/lib/privacy/message-links";

export interface LinkState {
  url?: string;
  error?: string;
}

const Id = z.uuid();

export async function createPreferenceLinkAction(_prev: LinkState, form: FormData): Promise<LinkState> {
  const { shopId } = await requireShop({ role: "owner" });
  const customerId = Id.safeParse(form.get("customerId"));
  if (!customerId.success) return { error: "This customer is not known." };
  try {
    const { customer } = await withShop(shopId, (tx) => getCustomer(tx, customerId.data, { eventLimit: 0 }));
    if (customer.erasedAt) return { error: "This customer was erased: there is nothing to show them." };
    return { url: preferencesUrl({ shopId, customerId: customer.id }) };
  } catch (e) {
    if (isAppError(e, "not_found")) return { error: "This customer is not known." };
    throw e;
  }
}

export interface EraseState {
  error?: string;
  done?: string;
}

export async function eraseCustomerAction(_prev: EraseState, form: FormData): Promise<EraseState> {
  const { shopId, userId } = await requireShop({ role: "owner" });
  const customerId = Id.safeParse(form.get("customerId"));
  if (!customerId.success) return { error: "This customer is not known." };
  if (form.get("confirm") !== "on") return { error: "Tick the box to confirm the customer asked to be erased." };
  try {
    const result = await withShop(shopId, (tx) => eraseCustomer(tx, customerId.data, { by: "owner", userId }));
    revalidatePath(`/customers/${customerId.data}`);
    return { done: result.alreadyErased ? "This customer was already erased." : `Erased. ${result.withdrawn} consent${result.withdrawn === 1 ? "" : "s"} withdrawn, ${result.stoppedMessages} queued message${result.stoppedMessages === 1 ? "" : "s"} stopped.` };
  } catch (e) {
    if (isAppError(e, "not_found")) return { error: "This customer is not known." };
    throw e;
  }
}
