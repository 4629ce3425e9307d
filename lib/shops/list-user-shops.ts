import { asc, eq } from "drizzle-orm";
import { memberships, shops } from "../db/schema";
import type { UserTx } from "../db/tenant";

/** The shops a signed-in person belongs to, with their role in each (oldest first). */
export async function listUserShops(tx: UserTx) {
  return tx
    .select({ shopId: shops.id, name: shops.name, role: memberships.role })
    .from(memberships)
    .innerJoin(shops, eq(shops.id, memberships.shopId))
    .orderBy(asc(memberships.createdAt));
}
