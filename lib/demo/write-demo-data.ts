// Writes a generated demo shop through a shop-scoped transaction, in multi-row batches: embedded
// PGlite runs on one thread, so few large statements beat many small ones.
import { createHash, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { campaigns, customers, events, orderItems, orders, policyVersions, products, sends, shops, spend, surveyResponses, variants } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { ConsentEventInput } from "../consent/schemas";
import { demoCampaigns } from "./demo-campaigns";
import type { DemoShop } from "./generate-demo-data";

const BATCH = 1000;

async function insertAll<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

export async function writeDemoData(tx: ShopTx, demo: DemoShop, onProgress?: (step: string) => void): Promise<void> {
  const shopId = await currentShopId(tx);
  await tx.update(shops).set(demo.shop).where(eq(shops.id, shopId));

  const productIds = new Map(demo.products.map((p) => [p.externalId, randomUUID()]));
  await insertAll(demo.products, (b) => tx.insert(products).values(b.map((p) => ({ ...p, id: productIds.get(p.externalId)!, shopId }))));

  const customerIds = new Map(demo.customers.map((c) => [c.externalId, randomUUID()]));
  await insertAll(demo.customers, (b) =>
    tx.insert(customers).values(b.map((c) => ({ ...c, id: customerIds.get(c.externalId)!, shopId, updatedAt: c.createdAt }))),
  );
  onProgress?.(`${demo.customers.length} customers`);

  const orderRows = demo.orders.map((o) => ({ id: randomUUID(), o }));
  await insertAll(orderRows, (b) =>
    tx.insert(orders).values(
      b.map(({ id, o }) => ({
        id, shopId, externalId: o.externalId, customerId: customerIds.get(o.customerExternalId)!,
        placedAt: o.placedAt, totalMinor: o.totalMinor, currency: o.currency, channel: o.channel, createdAt: o.placedAt,
        status: o.status, refundedMinor: o.refundedMinor, cancelledAt: o.cancelledAt,
      })),
    ),
  );
  const itemRows = orderRows.flatMap(({ id, o }) =>
    o.items.map((it) => ({
      shopId, orderId: id, productId: productIds.get(it.productExternalId) ?? null,
      name: it.name, category: it.category, quantity: it.quantity, priceMinor: it.priceMinor,
    })),
  );
  await insertAll(itemRows, (b) => tx.insert(orderItems).values(b));
  onProgress?.(`${demo.orders.length} orders with ${itemRows.length} items`);

  await insertAll(demo.events, (b) =>
    tx.insert(events).values(b.map((e) => ({ shopId, customerId: customerIds.get(e.customerExternalId)!, type: e.type, occurredAt: e.occurredAt, payload: e.payload }))),
  );
  await insertAll(demo.spend, (b) => tx.insert(spend).values(b.map((s) => ({ ...s, shopId }))));
  await insertAll(demo.surveyResponses, (b) =>
    tx.insert(surveyResponses).values(b.map((r) => ({ shopId, customerId: customerIds.get(r.customerExternalId)!, score: r.score, comment: r.comment, respondedAt: r.respondedAt }))),
  );
  onProgress?.(`${demo.events.length} events, ${demo.spend.length} spend rows, ${demo.surveyResponses.length} survey answers`);

  const policies = await tx
    .insert(policyVersions)
    .values(demo.policyVersions.map((p) => ({ ...p, shopId, sha256: createHash("sha256").update(p.text).digest("hex") })))
    .returning();
  const policy = new Map(policies.map((p) => [p.version, p]));
  const consent = demo.consentEvents.map((e): ConsentEventInput => {
    const common = {
      customerId: customerIds.get(e.customerExternalId)!,
      channel: e.channel,
      purpose: e.purpose,
      policyVersionId: policy.get(e.policyVersion)!.id,
      policySha256: policy.get(e.policyVersion)!.sha256,
      actorType: "customer" as const,
      occurredAt: e.occurredAt,
    };
    if (e.method === "one_click_unsubscribe") return { ...common, action: "withdraw", method: "one_click_unsubscribe", evidence: { sendId: null } };
    if (e.method === "preference_page") return { ...common, action: e.action, method: "preference_page", page: "/p", evidence: {} };
    return { ...common, action: e.action, method: "checkout", page: "/checkout", evidence: { form: "checkout" } };
  });
  const ledger = await recordConsentEvents(tx, consent, { now: demo.generatedAt });
  onProgress?.(`${consent.length} consent events under ${policies.length} policy versions`);

  // Past messages, each with its why and its consent receipt (the id and hash of the grant it relied on).
  let sent = 0;
  for (const c of demoCampaigns(demo)) {
    const [campaign] = await tx
      .insert(campaigns)
      .values({ shopId, name: c.name, channel: c.channel, purpose: c.purpose, status: "done", holdoutPct: 0, approvedAt: new Date(c.sentAt.getTime() - 3_600_000), createdAt: new Date(c.sentAt.getTime() - 86_400_000) })
      .returning({ id: campaigns.id });
    const [variant] = await tx.insert(variants).values({ shopId, campaignId: campaign!.id, key: "a", subject: c.subject, body: c.body }).returning({ id: variants.id });
    await insertAll(c.sends, (b) =>
      tx.insert(sends).values(
        b.map((r) => ({
          shopId, campaignId: campaign!.id, variantId: variant!.id, customerId: customerIds.get(r.customerExternalId)!, channel: c.channel,
          status: "sent" as const, why: r.why, consentEventId: ledger[r.grantIndex]!.id, consentHash: ledger[r.grantIndex]!.hash,
          idempotencyKey: `${campaign!.id}:${r.customerExternalId}`, queuedAt: c.sentAt, sentAt: c.sentAt,
        })),
      ),
    );
    sent += c.sends.length;
  }
  onProgress?.(`${sent} past messages, each with why and its consent receipt`);
}
