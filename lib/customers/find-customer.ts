// Finds one customer from what an owner has at hand: Regulars' id, the platform's id (as in the
// import file) or the email address. Another shop's customer is not found.
import { eq, type SQL } from "drizzle-orm";
import { z } from "zod";
import { customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";

export async function findCustomerId(tx: ShopTx, ref: string): Promise<string> {
  const key = ref.trim();
  const by = async (where: SQL) => (await tx.select({ id: customers.id }).from(customers).where(where).limit(1))[0]?.id;
  const id =
    (z.uuid().safeParse(key).success ? await by(eq(customers.id, key)) : undefined) ??
    (await by(eq(customers.externalId, key))) ??
    (key.includes("@") ? await by(eq(customers.email, key.toLowerCase())) : undefined) ??
    // Ids from spreadsheets are sometimes typed with the apostrophe that kept them as text.
    (key.startsWith("'") ? await by(eq(customers.externalId, key.slice(1))) : undefined);
  if (!id) throw notFound("Customer");
  return id;
}
