// What the rule builder may offer: the shop's product categories and its custom attributes that
// are not marked sensitive (sensitive ones are never offered, and refused if sent anyway).
import { asc, eq, isNotNull } from "drizzle-orm";
import { attributeDefinitions, products } from "../db/schema";
import type { ShopTx } from "../db/tenant";

export async function builderOptions(tx: ShopTx) {
  const categories = await tx.selectDistinct({ category: products.category }).from(products).where(isNotNull(products.category)).orderBy(asc(products.category)).limit(500);
  const attributes = await tx
    .select({ key: attributeDefinitions.key, label: attributeDefinitions.label })
    .from(attributeDefinitions)
    .where(eq(attributeDefinitions.sensitive, false))
    .orderBy(asc(attributeDefinitions.label));
  return { categories: categories.map((c) => c.category!), attributes };
}
