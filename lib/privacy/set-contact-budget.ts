// The customer's own contact budget: at most N messages a week (0: none at all), or no limit of
// their own (null; the shop's frequency cap still applies). Campaigns take the strictest limit.
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError, notFound } from "../errors";

export const MAX_CONTACT_BUDGET = 14;

export const ContactBudgetSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "" || v === "none") return null;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > MAX_CONTACT_BUDGET) {
      ctx.addIssue({ code: "custom", message: `Choose a number of messages a week from 0 to ${MAX_CONTACT_BUDGET}, or no limit.` });
      return z.NEVER;
    }
    return n;
  });

export async function setContactBudget(tx: ShopTx, customerId: string, budget: string): Promise<{ budget: number | null }> {
  const parsed = ContactBudgetSchema.safeParse(budget);
  if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "Choose a contact budget.");
  const [row] = await tx
    .update(customers)
    .set({ contactBudgetPerWeek: parsed.data, updatedAt: new Date() })
    .where(and(eq(customers.id, customerId), isNull(customers.erasedAt)))
    .returning({ id: customers.id });
  if (!row) throw notFound("Customer");
  return { budget: parsed.data };
}
