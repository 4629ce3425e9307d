import { asc, eq } from "drizzle-orm";
import { memberships, users } from "../db/schema";
import type { ShopTx } from "../db/tenant";

export async function listMembers(tx: ShopTx) {
  return tx
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .orderBy(asc(memberships.createdAt));
}
