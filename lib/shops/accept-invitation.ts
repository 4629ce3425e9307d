// The invited person's side: the link's token finds the invitation (and nothing else: the
// transaction may read only the row with that token's hash), and accepting it makes them a
// member. A signed-in person accepts with the account of the invited email; a person without an
// account creates one (the link reached their mailbox, so the email is theirs). A token that is
// unknown, used, revoked or expired finds nothing, all alike.
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, type Database } from "../db/client";
import { invitations, memberships, shops, users } from "../db/schema";
import { scopeToShop, withInvitationToken } from "../db/tenant";
import { AppError, notFound } from "../errors";
import { hashPassword, PasswordSchema } from "../auth/password";
import { fieldErrors, type Role } from "./schemas";
import { hashInvitationToken, invitationIsOpen } from "./invitations";

export interface InvitationView {
  shopId: string;
  shopName: string;
  email: string;
  role: Role;
  expiresAt: Date;
  /** Whether an account exists for the invited email (shown only to whoever holds the link). */
  accountExists: boolean;
}

const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export async function findInvitation(token: string, options: { database?: Database; now?: Date } = {}): Promise<InvitationView | null> {
  if (!TokenSchema.safeParse(token).success) return null;
  const database = options.database ?? (await getDatabase());
  const now = options.now ?? new Date();
  const [row] = await withInvitationToken(
    hashInvitationToken(token),
    (tx) =>
      tx
        .select({ invitation: invitations, shopName: shops.name })
        .from(invitations)
        .innerJoin(shops, eq(shops.id, invitations.shopId))
        .where(eq(invitations.tokenHash, hashInvitationToken(token))),
    database,
  );
  if (!row || !invitationIsOpen(row.invitation, now)) return null;
  const [account] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, row.invitation.email));
  const { shopId, email, role, expiresAt } = row.invitation;
  return { shopId, shopName: row.shopName, email, role, expiresAt, accountExists: Boolean(account) };
}

export const NewAccountSchema = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(120, "Use at most 120 characters."),
  password: PasswordSchema,
});

export type Acceptance =
  | { token: string; user: { id: string; email: string } }
  | { token: string; newAccount: { name: string; password: string } };

/** Makes the person a member of the invitation's shop, once; answers the shop and the person. */
export async function acceptInvitation(input: Acceptance, options: { database?: Database; now?: Date } = {}): Promise<{ shopId: string; userId: string; email: string }> {
  const database = options.database ?? (await getDatabase());
  const now = options.now ?? new Date();
  const invitation = await findInvitation(input.token, { database, now });
  if (!invitation) throw notFound("Invitation");

  let passwordHash: string | null = null;
  let name: string | null = null;
  if ("user" in input) {
    if (input.user.email.toLowerCase() !== invitation.email) {
      throw new AppError("forbidden", `This invitation is for ${invitation.email}; you are signed in as ${input.user.email}.`);
    }
  } else {
    const parsed = NewAccountSchema.safeParse(input.newAccount);
    if (!parsed.success) throw new AppError("invalid_input", "Please fix the highlighted fields.", { fields: fieldErrors(parsed.error) });
    passwordHash = await hashPassword(parsed.data.password);
    name = parsed.data.name;
  }

  return database.db.transaction(async (tx) => {
    let userId: string;
    if ("user" in input) userId = input.user.id;
    else {
      const [created] = await tx
        .insert(users)
        .values({ email: invitation.email, name, passwordHash, emailVerified: now })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      if (!created) {
        throw new AppError("conflict", `An account for ${invitation.email} exists already: sign in to accept the invitation.`, {
          fields: [{ field: "email", message: "Sign in instead." }],
        });
      }
      userId = created.id;
    }
    const scoped = await scopeToShop(tx, invitation.shopId);
    // Claiming the row is the check: of two clicks at once, one wins and the other finds nothing.
    const claimed = await scoped
      .update(invitations)
      .set({ acceptedAt: now, acceptedBy: userId })
      .where(and(eq(invitations.tokenHash, hashInvitationToken(input.token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
      .returning({ role: invitations.role });
    if (claimed.length === 0) throw notFound("Invitation");
    await scoped.insert(memberships).values({ shopId: invitation.shopId, userId, role: claimed[0]!.role }).onConflictDoNothing();
    return { shopId: invitation.shopId, userId, email: invitation.email };
  });
}
