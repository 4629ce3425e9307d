// Small builders for integration tests: real rows through the real use cases.
import { randomBytes } from "node:crypto";
import type { Database } from "../lib/db/client";
import { customers, orders } from "../lib/db/schema";
import { withShop } from "../lib/db/tenant";
import { createShop } from "../lib/shops/create-shop";

export const uniqueEmail = (who = "owner") => `${who}-${randomBytes(4).toString("hex")}@example.com`;

export async function makeShop(database: Database, name = "Test shop") {
  const ownerEmail = uniqueEmail();
  const ownerPassword = "correct horse battery";
  const shop = await createShop({ name, ownerEmail, ownerPassword }, { database });
  return { ...shop, ownerEmail, ownerPassword };
}

export async function addCustomer(
  database: Database,
  shopId: string,
  values: { email?: string; firstName?: string; lastName?: string; externalId?: string; orders?: { totalMinor: number; placedAt: Date }[] } = {},
) {
  return withShop(
    shopId,
    async (tx) => {
      const [customer] = await tx
        .insert(customers)
        .values({ shopId, email: values.email ?? uniqueEmail("customer"), firstName: values.firstName, lastName: values.lastName, externalId: values.externalId })
        .returning();
      let n = 0;
      for (const o of values.orders ?? []) {
        n += 1;
        await tx.insert(orders).values({ shopId, customerId: customer!.id, externalId: `${customer!.id}-${n}`, placedAt: o.placedAt, totalMinor: o.totalMinor, currency: "EUR" });
      }
      return customer!;
    },
    database,
  );
}
