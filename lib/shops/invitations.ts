// An owner invites a person by email and role; the person joins by accepting the emailed link
// (accept-invitation.ts). The owner is told the same whether or not an account exists for that
// email, so inviting cannot be used to find out who uses Regulars. The link's token is shown to
// no one but the mail and is stored only as a hash.
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { invitations, memberships, users } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError, notFound } from "../errors";
import { EmailSchema } from "../auth/password";
import { fieldErrors, RoleSchema, type Role } from "./schemas";

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export const InviteMemberSchema = z.object({ email: EmailSchema, role: RoleSchema });

export const hashInvitationToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  /** The secret for the link; it is never stored and never shown again. */
  token: string;
  expiresAt: Date;
}

export async function inviteMember(
  tx: ShopTx,
  input: { email: string; role: string },
  options: { invitedBy: string; now?: Date },
): Promise<CreatedInvitation> {
  const parsed = InviteMemberSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", "The invitation was not sent.", { fields: fieldErrors(parsed.error) });
  const { email, role } = parsed.data;
  const now = options.now ?? new Date();

  // Members of this shop are on the owner's own Settings page, so saying so reveals nothing.
  const [member] = await tx.select({ id: users.id }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(users.email, email));
  if (member) {
    throw new AppError("conflict", `${email} is already a member of this shop.`, { fields: [{ field: "email", message: "Already a member of this shop." }] });
  }
  // Inviting the same person again replaces the earlier link: only the newest one works.
  await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));

  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const [row] = await tx
    .insert(invitations)
    .values({ shopId: await currentShopId(tx), email, role, tokenHash: hashInvitationToken(token), invitedBy: options.invitedBy, createdAt: now, expiresAt })
    .returning({ id: invitations.id });
  return { id: row!.id, email, role, token, expiresAt };
}

/** Invitations not yet accepted or revoked, newest first; expired ones say so. */
export async function listPendingInvitations(tx: ShopTx, now = new Date()) {
  const rows = await tx
    .select({ id: invitations.id, email: invitations.email, role: invitations.role, createdAt: invitations.createdAt, expiresAt: invitations.expiresAt })
    .from(invitations)
    .where(and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .orderBy(desc(invitations.createdAt));
  return rows.map((r) => ({ ...r, expired: r.expiresAt <= now }));
}

/** Revokes a pending invitation: its link stops working at once. */
export async function revokeInvitation(tx: ShopTx, id: string, now = new Date()): Promise<{ email: string }> {
  if (!z.uuid().safeParse(id).success) throw notFound("Invitation");
  const [row] = await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .returning({ email: invitations.email });
  if (!row) throw notFound("Invitation");
  return row;
}

/** Whether an invitation can still be accepted at `now`. */
export const invitationIsOpen = (i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date) =>
  i.acceptedAt === null && i.revokedAt === null && i.expiresAt > now;
