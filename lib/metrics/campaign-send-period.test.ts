// The fairness report's default period for a campaign: the months of its first and last message
// sent, in the shop's time zone (New York here, so a message sent early on the 1st in UTC still
// belongs to the month before), else the current month.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { campaigns, sends, shops } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { getCampaignSendPeriod } from "./campaign-send-period";

const NOW = new Date("2026-06-15T12:00:00Z");
const TZ = "America/New_York";

describe.each(engines())("a campaign's send period on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let otherShopId: string;
  const ids: Record<string, string> = {};
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  const period = (campaignId: string, shop = shopId) => withShop(shop, (tx) => getCampaignSendPeriod(tx, campaignId, { timeZone: TZ, now: NOW }), database);

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database, "Send period shop")).shopId;
    otherShopId = (await makeShop(database, "Other shop")).shopId;
    const customer = await addCustomer(database, shopId);
    await inShop(async (tx) => {
      await tx.update(shops).set({ timeZone: TZ }).where(eq(shops.id, shopId));
      const made = await tx.insert(campaigns).values(["winter", "quiet"].map((name) => ({ shopId, name, channel: "email" as const, purpose: "marketing" as const, status: "sending" as const })))
        .returning({ id: campaigns.id, name: campaigns.name });
      for (const c of made) ids[c.name] = c.id;
      const send = (key: string, status: "sent" | "delivered" | "queued" | "failed" | "skipped", sentAt: string | null) =>
        ({ shopId, campaignId: ids.winter!, customerId: customer.id, channel: "email" as const, why: "test", idempotencyKey: key, status, sentAt: sentAt ? new Date(sentAt) : null });
      await tx.insert(sends).values([
        send("w1", "delivered", "2026-01-01T03:00:00Z"), // 31 December 2025, 22:00 in New York
        send("w2", "sent", "2026-02-10T15:00:00Z"),
        send("w3", "sent", "2026-03-01T04:30:00Z"), // 28 February, 23:30 in New York
        send("w4", "failed", "2026-04-20T15:00:00Z"), // reached nobody
        send("w5", "queued", null),
      ]);
      // The other campaign only has a message that was skipped.
      await tx.insert(sends).values({ ...send("q1", "skipped", null), campaignId: ids.quiet! });
    });
  });
  afterAll(() => database?.close());

  it("runs from the month of the first message sent to the month of the last, in the shop's time zone", async () => {
    expect(await period(ids.winter!)).toEqual({ fromMonth: "2025-12", toMonth: "2026-02" });
  });

  it("is the current month for a campaign that sent nothing, an unknown id, another shop's campaign or no id at all", async () => {
    const june = { fromMonth: "2026-06", toMonth: "2026-06" };
    expect(await period(ids.quiet!)).toEqual(june);
    expect(await period("00000000-0000-4000-8000-000000000000")).toEqual(june);
    expect(await period(ids.winter!, otherShopId)).toEqual(june);
    expect(await period("not-a-campaign")).toEqual(june);
  });
});
