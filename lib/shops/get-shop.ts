import { shops } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";

export type Shop = typeof shops.$inferSelect;

/** The scoped shop itself; row-level security leaves exactly one row visible. */
export async function getShop(tx: ShopTx): Promise<Shop> {
  const [shop] = await tx.select().from(shops).limit(1);
  if (!shop) throw notFound("Shop");
  return shop;
}
