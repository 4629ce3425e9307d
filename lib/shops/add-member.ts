// Adds a person to a shop with a role directly, without their say: only for setting up the demo
// shop's viewer. In the dashboard, owners invite people instead and they accept (invitations.ts).
// A new person gets an account with the given password; an existing one keeps theirs.
import { eq } from "drizzle-orm";
import { getDatabase, type Database } from "../db/client";
import { memberships, users } from "../db/schema";
import { scopeToShop } from "../db/tenant";
import { AppError } from "../errors";
import { hashPassword } from "../auth/password";
import { AddMemberSchema, fieldErrors, type AddMemberInput } from "./schemas";

export async function addMember(shopId: string, input: AddMemberInput, database?: Database): Promise<{ userId: string; created: boolean }> {
  const parsed = AddMemberSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", "The member could not be added.", { fields: fieldErrors(parsed.error) });
  const { email, role, password, name } = parsed.data;
  const { db } = database ?? (await getDatabase());
  const passwordHash = await hashPassword(password);

  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
    const userId =
      existing?.id ??
      (await tx.insert(users).values({ email, name: name ?? null, passwordHash }).returning({ id: users.id }))[0]!.id;
    const scoped = await scopeToShop(tx, shopId);
    const inserted = await scoped
      .insert(memberships)
      .values({ shopId, userId, role })
      .onConflictDoNothing()
      .returning({ userId: memberships.userId });
    if (inserted.length === 0) {
      throw new AppError("conflict", "This person is already a member of the shop.", {
        fields: [{ field: "email", message: "Already a member of this shop." }],
      });
    }
    return { userId, created: !existing };
  });
}
