// A bounce or a complaint reported by the mail or SMS provider (POST /api/v1/suppressions): the
// address is never sent to again on that channel — targeting leaves it out ("suppressed"), the
// workers check it again at sending — and messages already queued to it are skipped at once.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Outcome } from "../api/api-context";
import type { SuppressionInputSchema } from "../api/schemas";
import { queryRows } from "../db/client";
import { sends, suppressions } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { parsePhone } from "../ingest/parse-values";
import { getShop } from "../shops/get-shop";

export async function suppressAddress(tx: ShopTx, input: z.output<typeof SuppressionInputSchema>): Promise<{ outcome: Outcome; address: string; stoppedMessages: number }> {
  const shopId = await currentShopId(tx);
  // Stored as targeting compares it: emails in lower case, phones in E.164 as customers' phones are.
  const address = input.channel === "email" ? input.address.toLowerCase() : (parsePhone(input.address, { country: (await getShop(tx)).country ?? undefined }) ?? input.address);
  const inserted = await tx.insert(suppressions).values({ shopId, channel: input.channel, address, reason: input.reason }).onConflictDoNothing().returning({ address: suppressions.address });
  const matching = input.channel === "email" ? sql`lower(c.email) = ${address}` : sql`c.phone = ${address}`;
  const queued = await queryRows<{ id: string }>(
    tx,
    sql`select s.id from sends s join customers c on c.id = s.customer_id where s.channel = ${input.channel} and s.status = 'queued' and ${matching}`,
  );
  if (queued.length > 0) {
    await tx.update(sends).set({ status: "skipped", skipReason: "suppressed" }).where(and(eq(sends.status, "queued"), inArray(sends.id, queued.map((q) => q.id))));
  }
  return { outcome: inserted.length > 0 ? "created" : "unchanged", address, stoppedMessages: queued.length };
}
