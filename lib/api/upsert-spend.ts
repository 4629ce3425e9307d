import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { spend } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import type { Outcome } from "./api-context";
import type { SpendInputSchema } from "./schemas";

/** Sets a channel's marketing spend for a month. */
export async function upsertSpend(tx: ShopTx, input: z.output<typeof SpendInputSchema>): Promise<{ outcome: Outcome }> {
  const shopId = await currentShopId(tx);
  const month = `${input.month}-01`;
  const channel = input.channel.toLowerCase().replace(/\s+/g, "_");
  const [before] = await tx.select().from(spend).where(and(eq(spend.channel, channel), eq(spend.month, month)));
  if (before?.amountMinor === input.amount) return { outcome: "unchanged" };
  await tx
    .insert(spend)
    .values({ shopId, channel, month, amountMinor: input.amount })
    .onConflictDoUpdate({ target: [spend.shopId, spend.channel, spend.month], set: { amountMinor: input.amount, updatedAt: new Date() } });
  return { outcome: before ? "updated" : "created" };
}
