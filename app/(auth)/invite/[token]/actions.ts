"use server";
// Accepting an invitation: as the signed-in person it was sent to, or by creating the account for
// the invited email. Either way the new shop becomes the current one.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { signIn, signOut } from "@/auth";
import { currentUser, SHOP_COOKIE } from "@/app/_server/require-shop";
import { readEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { acceptInvitation } from "@/lib/shops/accept-invitation";

export interface AcceptState {
  error?: string;
  fields?: Record<string, string>;
  values?: { name?: string };
}

const text = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

async function makeCurrent(shopId: string) {
  (await cookies()).set(SHOP_COOKIE, shopId, { httpOnly: true, sameSite: "lax", secure: readEnv().APP_URL.startsWith("https:"), path: "/" });
}

function failure(e: unknown, values?: AcceptState["values"]): AcceptState {
  if (isAppError(e, "not_found")) return { error: "This invitation is no longer valid: it was used, withdrawn or has expired. Ask the shop's owner for a new one." };
  if (isAppError(e) && ["forbidden", "invalid_input", "conflict"].includes(e.code)) {
    return { error: e.message, fields: Object.fromEntries(e.fields.map((f) => [f.field, f.message])), values };
  }
  throw e;
}

export async function acceptAsMemberAction(_prev: AcceptState, form: FormData): Promise<AcceptState> {
  const token = text(form, "token");
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(`/invite/${token}`)}`);
  let shopId: string;
  try {
    ({ shopId } = await acceptInvitation({ token, user }));
  } catch (e) {
    return failure(e);
  }
  await makeCurrent(shopId);
  redirect("/");
}

export async function createAccountAndAcceptAction(_prev: AcceptState, form: FormData): Promise<AcceptState> {
  const token = text(form, "token");
  const password = text(form, "password");
  const values = { name: text(form, "name") };
  let accepted: { shopId: string; email: string };
  try {
    accepted = await acceptInvitation({ token, newAccount: { name: values.name, password } });
  } catch (e) {
    return failure(e, values);
  }
  await makeCurrent(accepted.shopId);
  await signIn("credentials", { email: accepted.email, password, redirectTo: "/" });
  return {};
}

/** Signed in as someone else: sign out and come back to the invitation. */
export async function signOutToAcceptAction(form: FormData): Promise<void> {
  await signOut({ redirectTo: `/invite/${encodeURIComponent(text(form, "token"))}` });
}
