import { asc, eq, sql } from "drizzle-orm";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCustomer, makeShop } from "../../test/factories";
import { engines } from "../../test/databases";
import type { Database } from "../db/client";
import { attributeDefinitions, customerScores, customers, events, orderItems, orders, segments } from "../db/schema";
import { queryRows } from "../db/client";
import { withShop, type ShopTx } from "../db/tenant";
import { generateDemoData } from "../demo/generate-demo-data";
import { writeDemoData } from "../demo/write-demo-data";
import { isAppError } from "../errors";
import { deleteCustomSegment, previewSegment, saveCustomSegment } from "./custom-segments";
import { customerSegments, getRefreshState, listSegmentMembers, loadReasonContext, segmentMembersCsv } from "./read-segments";
import { describePrediction, scoreFacts, scoreFactsColumns, type ScoreFactsRow } from "./reason-sentences";
import { refreshSegments } from "./refresh-segments";
import { fitShopClv } from "./shop-clv-fit";
import { aliveVsRecency, valueHistogram } from "./value-charts";
import { MIN_REPEAT_CUSTOMERS } from "./shop-value-model";

const NOW = new Date("2026-06-01T12:00:00Z");

/** Every scored customer's prediction in words, as the customer page shows it. */
async function predictionSentences(tx: ShopTx): Promise<Map<string, string>> {
  const ctx = await loadReasonContext(tx);
  const rows = await queryRows<ScoreFactsRow & { customer_id: string }>(tx, sql`select cs.customer_id, ${scoreFactsColumns(ctx.timeZone)} from customer_scores cs`);
  return new Map(rows.map((r) => [r.customer_id, describePrediction(scoreFacts(r)!, ctx)]));
}
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

describe.each(engines())("segments on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  // Members with their reasons as the segment page reads them (rendered from the stored parameters).
  const membersOf = async (shopId: string, key: string) =>
    withShop(shopId, async (tx) => {
      const [segment] = await tx.select().from(segments).where(eq(segments.key, key));
      const { members } = await listSegmentMembers(tx, segment!.id);
      const rows = members.map((m) => ({ email: m.email, reason: m.reason })).sort((a, b) => (a.email ?? "").localeCompare(b.email ?? ""));
      return { size: segment!.size, rows };
    }, database);

  it("leaves every segment empty, with the reason, for a shop with no orders", async () => {
    const { shopId } = await makeShop(database);
    await addCustomer(database, shopId, { email: "no-orders@example.com" });
    const result = await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    expect(result.customers).toBe(0);
    expect(result.segments.length).toBeGreaterThanOrEqual(25);
    expect(result.segments.every((s) => s.size === 0)).toBe(true);
    expect(result.summary.model).toMatchObject({ status: "no_orders", message: "No orders yet: there is nothing to predict from." });
    const state = await withShop(shopId, getRefreshState, database);
    expect(state.last?.status).toBe("done");
    expect(JSON.stringify(state.last?.summary)).not.toMatch(/NaN|Infinity/);
  });

  describe("a small shop", () => {
    let shopId: string;
    let rita: string;
    beforeAll(async () => {
      ({ shopId } = await makeShop(database));
      // Rita: ten weekly orders, the last 3 days ago, always coffee.
      const r = await addCustomer(database, shopId, {
        email: "rita@example.com", firstName: "Rita",
        orders: Array.from({ length: 10 }, (_, i) => ({ totalMinor: 2000, placedAt: daysAgo(3 + 7 * i) })),
      });
      rita = r.id;
      await withShop(shopId, async (tx) => {
        const ritaOrders = await tx.select().from(orders).where(eq(orders.customerId, rita));
        await tx.insert(orderItems).values(ritaOrders.map((o) => ({ shopId, orderId: o.id, name: "Flat white", category: "Coffee", quantity: 1, priceMinor: 2000 })));
      }, database);
      await addCustomer(database, shopId, { email: "olli@example.com", orders: [{ totalMinor: 5000, placedAt: daysAgo(100) }] });
      await addCustomer(database, shopId, {
        email: "lena@example.com",
        orders: [200, 230, 260].map((d) => ({ totalMinor: 3000, placedAt: daysAgo(d) })),
      });
      // Carl left a cart two days ago, after his last order; Bea only browses.
      const carl = await addCustomer(database, shopId, { email: "carl@example.com", orders: [{ totalMinor: 1500, placedAt: daysAgo(20) }] });
      const bea = await addCustomer(database, shopId, { email: "bea@example.com" });
      await withShop(shopId, (tx) =>
        tx.insert(events).values([
          { shopId, customerId: carl.id, type: "cart.updated", occurredAt: daysAgo(2), payload: {} },
          { shopId, customerId: bea.id, type: "product.viewed", occurredAt: daysAgo(5), payload: { productExternalId: "P1" } },
          { shopId, customerId: bea.id, type: "product.viewed", occurredAt: daysAgo(4), payload: { productExternalId: "P2" } },
          { shopId, customerId: bea.id, type: "product.viewed", occurredAt: daysAgo(40), payload: { productExternalId: "P3" } },
        ]), database);
      await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    });

    it("uses a default rhythm until the shop has 20 gaps between orders, and says so", async () => {
      const state = await withShop(shopId, getRefreshState, database);
      // Rita's 9 weekly gaps and Lena's 2 monthly ones: 11 gaps, too few.
      expect(state.last?.summary?.lifecycle).toMatchObject({ basis: "default", gaps: 11, medianGapDays: 30, activeDays: 45, atRiskDays: 90, lapsedDays: 180 });
    });

    it("puts each customer in the lifecycle stage their last order says, with a reason", async () => {
      expect((await membersOf(shopId, "lifecycle_loyal")).rows).toEqual([
        { email: "rita@example.com", reason: "10 orders, last one 3 days ago, €200.00 spent — 4 or more orders and ordering at the usual rhythm (customers here typically reorder every 30 days)." },
      ]);
      expect((await membersOf(shopId, "lifecycle_new")).rows.map((r) => r.email)).toEqual(["carl@example.com"]);
      expect((await membersOf(shopId, "lifecycle_lapsed")).rows.map((r) => r.email)).toEqual(["olli@example.com"]);
      expect((await membersOf(shopId, "lifecycle_churned")).rows).toEqual([
        { email: "lena@example.com", reason: "3 orders, last one 7 months ago, €90.00 spent — no order for more than six times the usual gap (customers here typically reorder every 30 days); probably gone." },
      ]);
    });

    it("finds cart abandoners, browsers, one-time buyers and category fans", async () => {
      expect((await membersOf(shopId, "cart_abandoners")).rows).toEqual([{ email: "carl@example.com", reason: "Left a cart 2 days ago and has not ordered since." }]);
      expect((await membersOf(shopId, "browsed_not_bought")).rows).toEqual([{ email: "bea@example.com", reason: "Viewed 2 products in the last 30 days without ordering." }]);
      expect((await membersOf(shopId, "one_time_buyers")).rows.map((r) => r.email)).toEqual(["carl@example.com", "olli@example.com"]);
      expect((await membersOf(shopId, "category_affinity")).rows).toEqual([{ email: "rita@example.com", reason: "10 of 10 items bought were Coffee." }]);
      expect((await membersOf(shopId, "frequent_buyers")).rows.map((r) => r.email)).toEqual(["rita@example.com"]);
    });

    it("scores RFM in quintiles where equal values share a score, and names the group", async () => {
      const scores = await withShop(shopId, (tx) =>
        tx.select({ email: customers.email, r: customerScores.recencyScore, f: customerScores.frequencyScore, m: customerScores.monetaryScore, group: customerScores.rfmGroup })
          .from(customerScores).innerJoin(customers, eq(customers.id, customerScores.customerId)).orderBy(asc(customers.email)), database);
      // Four customers with orders: percent ranks 0, 1/3, 2/3, 1 → scores 1, 2, 4, 5; Carl and Olli tie on one order.
      expect(scores).toEqual([
        { email: "carl@example.com", r: 4, f: 1, m: 1, group: "promising" },
        { email: "lena@example.com", r: 1, f: 4, m: 4, group: "cant_lose" },
        { email: "olli@example.com", r: 2, f: 1, m: 2, group: "about_to_sleep" },
        { email: "rita@example.com", r: 5, f: 5, m: 5, group: "champions" },
      ]);
      const champions = await membersOf(shopId, "rfm_champions");
      expect(champions.rows[0]?.reason).toBe(
        "10 orders, last one 3 days ago, €200.00 spent — among your most recent, most frequent and highest-spending customers (recency 5/5, frequency 5/5, spend 5/5).",
      );
    });

    it("falls back to history for value with too few repeat customers, and says why", async () => {
      const { score, segments: mine } = await withShop(shopId, (tx) => customerSegments(tx, rita), database);
      expect(score).toMatchObject({ valueBasis: "history", pAlive: null, predictedValueMinor: 8000 }); // 40 % of €200
      expect(score?.predictionReason).toBe(
        `Value from history: €200.00 spent × 40 % margin = €80.00. Only 2 customers have ordered on more than one day; predictions need at least ${MIN_REPEAT_CUSTOMERS}. Values shown are history: margin × spend to date.`,
      );
      expect((await membersOf(shopId, "churn_risk")).size).toBe(0);
      expect(mine.map((s) => s.key)).toEqual(["lifecycle_loyal", "rfm_champions", "frequent_buyers", "category_affinity", "top_value"]);
      expect(mine.every((s) => s.reason.length > 20)).toBe(true);
    });

    it("saves a custom segment with members and reasons, previews it, exports it, and keeps it on refresh", async () => {
      const input = { name: "Coffee regulars", rules: { match: "all", conditions: [{ field: "categoryBought", value: "coffee" }, { field: "orderCount", op: "gte", value: 5 }] } };
      const preview = await withShop(shopId, (tx) => previewSegment(tx, input, { now: NOW }), database);
      expect(preview).toMatchObject({ size: 1, customers: 5, sample: [{ name: "Rita", reason: "Matches your rule: bought from coffee; 10 orders." }] });

      const saved = await withShop(shopId, (tx) => saveCustomSegment(tx, input, { now: NOW }), database);
      expect(saved.size).toBe(1);
      await refreshSegments(shopId, { database, trigger: "manual", now: NOW });
      const page = await withShop(shopId, (tx) => listSegmentMembers(tx, saved.id), database);
      expect(page.members.map((m) => [m.email, m.reason])).toEqual([["rita@example.com", "Matches your rule: bought from coffee; 10 orders."]]);

      const csv = Papa.parse<string[]>((await withShop(shopId, (tx) => segmentMembersCsv(tx, saved.id), database)).trim()).data;
      expect(csv[0]).toEqual(["customer_id", "email", "first_name", "last_name", "reason", "computed_at"]);
      expect(csv.slice(1).map((r) => [r[1], r[4], r[5]])).toEqual([["rita@example.com", "Matches your rule: bought from coffee; 10 orders.", NOW.toISOString()]]);

      // An "any" group names only what matched; customers without orders can match rules that do not need them.
      const anyInput = { name: "Browsers or lapsed", rules: { match: "any", conditions: [{ field: "eventSeen", event: "product.viewed", withinDays: 7 }, { field: "daysSinceLastOrder", op: "gt", value: 150 }] } };
      const any = await withShop(shopId, (tx) => previewSegment(tx, anyInput, { now: NOW }), database);
      expect(any.sample.map((s) => s.reason).sort()).toEqual(["Matches your rule: last order 200 days ago.", "Matches your rule: viewed a product in the last 7 days."]);

      // Fractions compare as numbers, whatever the column's type.
      const fractional = { name: "Fractions", rules: { match: "all", conditions: [{ field: "orderCount", op: "gt", value: 9.5 }, { field: "totalSpent", op: "gte", value: 199.995 }] } };
      expect((await withShop(shopId, (tx) => previewSegment(tx, fractional, { now: NOW }), database)).sample.map((s) => s.name)).toEqual(["Rita"]);

      // Money in whole cents: Rita spent exactly 200.00, and 199.99 + 0.01 is not 200.0000000001.
      const exact = (op: string, value: number) => ({ name: "Exact", rules: { match: "all", conditions: [{ field: "totalSpent", op, value }] } });
      expect((await withShop(shopId, (tx) => previewSegment(tx, exact("eq", 200), { now: NOW }), database)).size).toBe(1);
      expect((await withShop(shopId, (tx) => previewSegment(tx, exact("eq", 19.99 + 180.01), { now: NOW }), database)).size).toBe(1);
      expect((await withShop(shopId, (tx) => previewSegment(tx, exact("gt", 199.999), { now: NOW }), database)).size).toBe(1);
      expect((await withShop(shopId, (tx) => previewSegment(tx, exact("gte", 200.01), { now: NOW }), database)).size).toBe(0);

      // Deleting while a refresh runs: the delete waits for it, and both succeed.
      const refreshing = refreshSegments(shopId, { database, trigger: "manual", now: NOW });
      await withShop(shopId, (tx) => deleteCustomSegment(tx, saved.id), database);
      await expect(refreshing).resolves.toMatchObject({ customers: 4 });
      expect((await withShop(shopId, (tx) => tx.select().from(segments).where(eq(segments.id, saved.id)), database))).toEqual([]);
    });

    it("refuses a rule on an attribute marked sensitive, saving nothing", async () => {
      await withShop(shopId, (tx) =>
        tx.insert(attributeDefinitions).values([
          { shopId, key: "loyalty_tier", label: "Loyalty tier" },
          { shopId, key: "diet", label: "Diet", sensitive: true },
        ]), database);
      const before = await withShop(shopId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(segments), database);
      const attempt = withShop(shopId, (tx) =>
        saveCustomSegment(tx, { name: "Vegans", rules: { match: "all", conditions: [{ field: "attribute", key: "loyalty_tier", op: "is", value: "gold" }, { field: "attribute", key: "diet", op: "is", value: "vegan" }] } }),
      database);
      await expect(attempt).rejects.toSatisfy((e: unknown) => isAppError(e, "invalid_input") && e.message === 'The segment was not saved: rule 2, key: "Diet" is marked sensitive; segments cannot use it.');
      const after = await withShop(shopId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(segments), database);
      expect(after).toEqual(before);
    });

    it("shows another shop's segment to no one", async () => {
      const other = await makeShop(database);
      const [segment] = await withShop(shopId, (tx) => tx.select().from(segments).limit(1), database);
      const seen = await withShop(other.shopId, (tx) => tx.select().from(segments).where(eq(segments.id, segment!.id)), database);
      expect(seen).toEqual([]);
      await expect(withShop(other.shopId, (tx) => deleteCustomSegment(tx, segment!.id), database)).rejects.toSatisfy((e: unknown) => isAppError(e, "not_found"));
    });
  });

  it("fits the value model on a shop with enough repeat customers, with intervals and no NaN anywhere", async () => {
    const { shopId } = await makeShop(database);
    const demo = generateDemoData({ seed: "segments-test", now: NOW, customers: 600 });
    await withShop(shopId, (tx) => writeDemoData(tx, demo), database);
    const result = await refreshSegments(shopId, { database, trigger: "cli", now: NOW });
    const model = result.summary.model;
    expect(model.status).toBe("fitted");
    expect(model.repeatCustomers).toBeGreaterThanOrEqual(MIN_REPEAT_CUSTOMERS);
    const [lo, hi] = model.expectedPurchases90d!.interval!;
    expect(lo).toBeLessThanOrEqual(model.expectedPurchases90d!.estimate);
    expect(hi).toBeGreaterThanOrEqual(model.expectedPurchases90d!.estimate);

    const scores = await withShop(shopId, (tx) => tx.select().from(customerScores), database);
    expect(scores.length).toBe(result.customers);
    const sentences = await withShop(shopId, predictionSentences, database);
    for (const s of scores) {
      expect(s.valueBasis).toBe("model");
      expect(s.pAlive).toBeGreaterThanOrEqual(0);
      expect(s.pAlive).toBeLessThanOrEqual(1);
      expect(Number.isFinite(s.expectedPurchases90d)).toBe(true);
      expect(s.expectedPurchases90dLow!).toBeLessThanOrEqual(s.expectedPurchases90dHigh!);
      expect(s.predictedValueMinor).toBeGreaterThanOrEqual(0);
      expect(sentences.get(s.customerId)).not.toMatch(/NaN|undefined|Infinity/);
    }
    // A repeat customer long gone is less likely alive than one who just bought.
    const repeat = scores.filter((s) => s.purchaseDays >= 3);
    const recent = repeat.reduce((a, b) => (a.lastOrderAt > b.lastOrderAt ? a : b));
    const oldest = repeat.reduce((a, b) => (a.lastOrderAt < b.lastOrderAt ? a : b));
    expect(recent.pAlive!).toBeGreaterThan(oldest.pAlive!);
    expect(sentences.get(recent.customerId)).toMatch(/^Bought on \d+ different days in .+, last .+: (likely|probably) active \(\d+ % chance still a customer\), about \d+\.\d orders expected in the next 90 days, worth about €[\d,.]+ in margin over the next 12 months\.$/);
    const sizes = new Map(result.segments.map((s) => [s.key, s.size]));
    // The top fifth by value (percent rank under 20 %; ties could only add a few).
    expect(sizes.get("top_value")).toBeGreaterThanOrEqual(Math.floor(result.customers * 0.2));
    expect(sizes.get("top_value")).toBeLessThanOrEqual(Math.ceil(result.customers * 0.2) + 2);
    expect(sizes.get("likely_buyers")).toBeGreaterThan(0);

    // The charts: every scored customer in one value band of a round width; repeat customers' P(alive).
    const histogram = await withShop(shopId, (tx) => valueHistogram(tx), database);
    expect(histogram.n).toBe(result.customers);
    expect(histogram.basis).toBe("model");
    expect(histogram.bins.reduce((sum, b) => sum + b.customers, 0)).toBe(result.customers);
    const width = histogram.bins[0]!.toMinor;
    expect(String(width)).toMatch(/^(1|2|25|5)0*$/);
    expect(histogram.bins.length).toBeLessThanOrEqual(12);
    const alive = await withShop(shopId, (tx) => aliveVsRecency(tx, { now: NOW }), database);
    expect(alive.n).toBe(scores.filter((s) => s.purchaseDays > 1).length);
    expect(alive.points.every((p) => p.pAlive >= 0 && p.pAlive <= 1 && p.daysSinceLast >= 0)).toBe(true);

    // `clv fit --shop` fits the same model on the same orders, and names customers by the shop's ids.
    const clv = await withShop(shopId, (tx) => fitShopClv(tx, { now: NOW, horizon: 90 / 7 }), database);
    expect(clv.bgnbd).toEqual(model.bgnbd);
    expect(clv.customers).toHaveLength(result.customers);
    const byId = new Map(clv.customers.map((c) => [c.id, c]));
    const someone = await withShop(shopId, (tx) => tx.select({ externalId: customers.externalId, expected: customerScores.expectedPurchases90d, pAlive: customerScores.pAlive })
      .from(customerScores).innerJoin(customers, eq(customers.id, customerScores.customerId)).limit(20), database);
    for (const s of someone) {
      expect(byId.get(s.externalId!)?.expectedPurchases).toBeCloseTo(s.expected!, 9);
      expect(byId.get(s.externalId!)?.pAlive).toBeCloseTo(s.pAlive!, 9);
    }
    expect(sizes.get("churn_risk")).toBeGreaterThan(0);
  });
});
