"use server";
// Inviting a person to the shop and withdrawing an invitation. The owner is told the same whether
// or not the person already has an account.
import { revalidatePath } from "next/cache";
import { requireShop } from "@/app/_server/require-shop";
import { withShop } from "@/lib/db/tenant";
import { readEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail/send-mail";
import { getShop } from "@/lib/shops/get-shop";
import { invitationEmail } from "@/lib/shops/invitation-email";
import { inviteMember, revokeInvitation } from "@/lib/shops/invitations";

export interface InviteState {
  error?: string;
  notice?: string;
  fields?: Record<string, string>;
  /** The accept link, shown only when this server cannot send email. */
  link?: string;
}

const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

function failure(e: unknown): InviteState {
  if (isAppError(e) && ["forbidden", "invalid_input", "conflict", "not_found"].includes(e.code)) {
    return { error: e.message, fields: Object.fromEntries(e.fields.map((f) => [f.field, f.message])) };
  }
  throw e;
}

export async function inviteMemberAction(_prev: InviteState, form: FormData): Promise<InviteState> {
  let sent: { email: string; url: string; mail: Parameters<typeof sendMail>[0] };
  try {
    const ctx = await requireShop({ role: "owner" });
    const env = readEnv();
    sent = await withShop(ctx.shopId, async (tx) => {
      const invitation = await inviteMember(tx, { email: str(form, "email"), role: str(form, "role") }, { invitedBy: ctx.userId });
      const url = new URL(`/invite/${invitation.token}`, env.APP_URL).toString();
      const content = invitationEmail({ shopName: (await getShop(tx)).name, inviter: ctx.email, role: invitation.role, url, expiresAt: invitation.expiresAt });
      return { email: invitation.email, url, mail: { to: invitation.email, ...content } };
    });
  } catch (e) {
    return failure(e);
  }
  revalidatePath("/settings");
  try {
    const delivery = await sendMail(sent.mail);
    if (delivery.via === "smtp") return { notice: `Invitation sent to ${sent.email}.` };
    return {
      notice: `Invitation sent to ${sent.email}. This server has no email set up (SMTP_URL), so the email was saved in .data/outbox: pass this link on yourself.`,
      link: sent.url,
    };
  } catch (e) {
    console.error(`[invitations] sending to ${sent.email} failed:`, e);
    return { error: `The invitation to ${sent.email} is saved, but the email could not be sent. Check the mail settings (SMTP_URL) and invite again: a new link replaces this one.` };
  }
}

export async function revokeInvitationAction(_prev: InviteState, form: FormData): Promise<InviteState> {
  try {
    const ctx = await requireShop({ role: "owner" });
    const { email } = await withShop(ctx.shopId, (tx) => revokeInvitation(tx, str(form, "id")));
    revalidatePath("/settings");
    return { notice: `Invitation to ${email} withdrawn: its link no longer works.` };
  } catch (e) {
    return failure(e);
  }
}
