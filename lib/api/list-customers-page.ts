// Customers for the API, a page at a time. The cursor is the last id of the previous page, so
// pages stay stable while customers are added.
import { asc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError, notFound } from "../errors";
import type { CustomerOut } from "./schemas";

const toOut = (c: typeof customers.$inferSelect): CustomerOut => ({
  id: c.id, externalId: c.externalId, email: c.email, phone: c.phone, firstName: c.firstName, lastName: c.lastName,
  timeZone: c.timeZone, locale: c.locale, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
});

export async function listCustomersPage(tx: ShopTx, input: { cursor?: string | null; limit?: string | null }) {
  const limit = input.limit ? Number(input.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new AppError("invalid_input", "limit must be a whole number from 1 to 200.", { fields: [{ field: "limit", message: "from 1 to 200" }] });
  }
  let after: string | null = null;
  if (input.cursor) {
    const decoded = Buffer.from(input.cursor, "base64url").toString();
    if (!z.uuid().safeParse(decoded).success) throw new AppError("invalid_input", "cursor is not one this API gave out.", { fields: [{ field: "cursor", message: "unknown cursor" }] });
    after = decoded;
  }
  const rows = await tx.select().from(customers).where(after ? gt(customers.id, after) : undefined).orderBy(asc(customers.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  return { data: page.map(toOut), nextCursor: rows.length > limit ? Buffer.from(page.at(-1)!.id).toString("base64url") : null };
}

export async function getApiCustomer(tx: ShopTx, id: string): Promise<CustomerOut> {
  if (!z.uuid().safeParse(id).success) throw notFound("Customer");
  const [row] = await tx.select().from(customers).where(eq(customers.id, id));
  if (!row) throw notFound("Customer");
  return toOut(row);
}
