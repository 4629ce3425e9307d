// The dashboard's figures on a hand-built shop, each one recomputed here in plain code from the
// rows the test wrote (not by the SQL under test), on both engines; month buckets across both DST
// changes of Europe/London; and shops with nothing to show, where every figure says "no data".
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Database } from "../db/client";
import { customers, orders, shops, spend } from "../db/schema";
import { withShop } from "../db/tenant";
import { refreshSegments } from "../segments/refresh-segments";
import { getShopMetrics, type ShopMetrics } from "./get-shop-metrics";
import { formatMoney } from "../format";
import { overviewCards, overviewCardsText } from "./overview-cards";

/** The verdict words the card should carry for the shop's overall CLTV:CAC, by the published rule (3 and 1). */
function cltvCacVerdictWords(m: ShopMetrics): string {
  const r = m.acquisition.overall.cltvToCac;
  if (r.status !== "ok") return "";
  return r.ratio >= 3 ? "healthy" : r.ratio >= 1 ? "thin margin for the cost" : "losing money on each new customer";
}

const now = new Date("2026-06-15T12:00:00Z");
const TZ = "Europe/London";
const MARGIN_BP = 3000;

interface Sale { at: string; net: number; channel: string; total?: number; status?: "paid" | "cancelled" }
interface Grant { at: string; channel: "email" | "sms"; action: "grant" | "withdraw" }
interface Person { key: string; sales: Sale[]; consent: Grant[]; erased?: boolean }

// 31 March 23:30 UTC is already 1 April in London (summer time); 31 October 23:30 UTC is still
// 31 October there (winter time): the two DST sides of a month boundary.
const people: Person[] = [
  { key: "A", sales: [{ at: "2026-03-31T23:30:00Z", net: 10000, channel: "web" }, { at: "2026-05-10T09:00:00Z", net: 5000, channel: "web" }], consent: [{ at: "2026-04-02T10:00:00Z", channel: "email", action: "grant" }] },
  { key: "B", sales: [{ at: "2026-04-15T10:00:00Z", net: 15000, total: 20000, channel: "search" }, { at: "2026-05-01T10:00:00Z", net: 0, total: 9000, channel: "search", status: "cancelled" }], consent: [] },
  {
    key: "C",
    sales: [{ at: "2026-04-20T10:00:00Z", net: 8000, channel: "search" }, { at: "2026-06-01T10:00:00Z", net: 4000, channel: "web" }],
    consent: [{ at: "2026-04-20T10:05:00Z", channel: "email", action: "grant" }, { at: "2026-05-01T08:00:00Z", channel: "sms", action: "grant" }, { at: "2026-05-15T08:00:00Z", channel: "email", action: "withdraw" }],
  },
  { key: "D", sales: [{ at: "2026-05-05T10:00:00Z", net: 3000, channel: "web" }], consent: [], erased: true },
  { key: "E", sales: [{ at: "2025-10-31T23:30:00Z", net: 6000, channel: "pos" }, { at: "2026-01-10T10:00:00Z", net: 6000, channel: "pos" }], consent: [{ at: "2025-11-01T09:00:00Z", channel: "sms", action: "grant" }] },
  { key: "F", sales: [], consent: [{ at: "2026-02-01T09:00:00Z", channel: "email", action: "grant" }] },
];
const spendRows = [
  { channel: "search", month: "2026-04-01", amountMinor: 30000 },
  { channel: "search", month: "2026-05-01", amountMinor: 10000 },
  { channel: "print", month: "2026-04-01", amountMinor: 5000 },
  { channel: "paid_social", month: "2026-06-01", amountMinor: 7000 },
];

// ---- The expected figures, from the fixtures above in plain code ----
const londonMonth = (iso: string) => {
  const p = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, year: "numeric", month: "2-digit" }).formatToParts(new Date(iso));
  return `${p.find((x) => x.type === "year")!.value}-${p.find((x) => x.type === "month")!.value}`;
};
const salesOf = (p: Person) => p.sales.filter((s) => s.status !== "cancelled").sort((a, b) => a.at.localeCompare(b.at));
const buyers = people.filter((p) => salesOf(p).length > 0);
const cohortOf = (p: Person) => londonMonth(salesOf(p)[0]!.at);
const channelOf = (p: Person) => salesOf(p)[0]!.channel;
const revenueOf = (p: Person) => salesOf(p).reduce((s, x) => s + x.net, 0);
const cltv = (ps: Person[]) => Math.round((MARGIN_BP / 10000) * ps.reduce((s, p) => s + revenueOf(p), 0) / ps.length);
const months = (from: string, to: string) => {
  const out: string[] = [];
  for (let [y, m] = from.split("-").map(Number) as [number, number]; `${y}-${String(m).padStart(2, "0")}` <= to; m === 12 ? ((y += 1), (m = 1)) : (m += 1)) out.push(`${y}-${String(m).padStart(2, "0")}`);
  return out;
};
const monthEnd = (month: string) => {
  // The first instant of the next month in London, found by stepping hours: no library's arithmetic.
  const next = months(month, "9999-12")[1]!;
  let t = Date.parse(`${next}-01T00:00:00Z`) - 3 * 3600_000;
  while (londonMonth(new Date(t).toISOString()) !== next) t += 60_000;
  return Math.min(t, now.getTime());
};

describe.each(engines())("shop metrics on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let metrics: ShopMetrics;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    await withShop(shopId, async (tx) => {
      await tx.update(shops).set({ timeZone: TZ, marginBp: MARGIN_BP }).where(eq(shops.id, shopId));
      for (const p of people) {
        const [c] = await tx.insert(customers).values({ shopId, email: `${p.key.toLowerCase()}-${shopId.slice(0, 8)}@example.com` }).returning();
        ids.set(p.key, c!.id);
        let n = 0;
        for (const s of p.sales) {
          n += 1;
          const total = s.total ?? s.net;
          await tx.insert(orders).values({
            shopId, customerId: c!.id, externalId: `${p.key}-${n}`, placedAt: new Date(s.at), totalMinor: total,
            refundedMinor: s.status === "cancelled" ? 0 : total - s.net, status: s.status ?? "paid", currency: "EUR", channel: s.channel,
          });
        }
        if (p.consent.length > 0) {
          await recordConsentEvents(tx, p.consent.map((g) => ({
            customerId: c!.id, channel: g.channel, purpose: "marketing" as const, action: g.action, method: "preference_page" as const, actorType: "customer" as const, occurredAt: new Date(g.at),
          })));
        }
      }
      await tx.insert(spend).values(spendRows.map((s) => ({ shopId, ...s })));
    }, database);
    await refreshSegments(shopId, { database, trigger: "manual", now });
    // Erased after the refresh, as the privacy page does it: their orders still count as sales.
    await withShop(shopId, (tx) => tx.update(customers).set({ erasedAt: now, email: null }).where(eq(customers.id, ids.get("D")!)), database);
    metrics = await withShop(shopId, (tx) => getShopMetrics(tx, { now }), database);
  });
  afterAll(() => database?.close());

  it("puts each customer in the month of their first order in the shop's time zone, across both DST changes", () => {
    expect(cohortOf(people[0]!)).toBe("2026-04"); // 23:30 UTC on 31 March
    expect(cohortOf(people[4]!)).toBe("2025-10"); // 23:30 UTC on 31 October
    expect(metrics.range).toMatchObject({ from: "2025-10", to: "2026-06", channel: null });
    expect(metrics.customerValue.byCohort.map((g) => g.key)).toEqual([...new Set(buyers.map(cohortOf))].sort());
    expect(metrics.retention.cohorts.map((c) => [c.cohort, c.customers])).toEqual([["2025-10", 1], ["2026-04", 3], ["2026-05", 1]]);
  });

  it("gives historical CLTV as margin × net revenue per customer, overall, by channel and by cohort", () => {
    const v = metrics.customerValue;
    expect(v.overall.historical).toEqual({ status: "ok", n: 5, cltvMinor: cltv(buyers), revenueMinor: 57000, marginBp: MARGIN_BP });
    expect(cltv(buyers)).toBe(3420);
    const byChannel = Object.fromEntries(v.byChannel.map((g) => [g.key, g.historical.status === "ok" ? [g.historical.n, g.historical.cltvMinor] : null]));
    const channels = [...new Set(buyers.map(channelOf))];
    expect(byChannel).toEqual(Object.fromEntries(channels.map((ch) => { const ps = buyers.filter((p) => channelOf(p) === ch); return [ch, [ps.length, cltv(ps)]]; })));
    const byCohort = Object.fromEntries(v.byCohort.map((g) => [g.key, g.historical.status === "ok" ? g.historical.cltvMinor : null]));
    expect(byCohort).toEqual({ "2025-10": 3600, "2026-04": 4200, "2026-05": 900 });
  });

  it("says why there is no predicted CLTV when the shop has too few repeat customers for the model", () => {
    const predicted = metrics.customerValue.overall.predicted;
    expect(predicted.status).toBe("no_data");
    if (predicted.status === "no_data") expect(predicted.hint).toMatch(/ordered on more than one day; predictions need at least 50/);
  });

  it("divides spend by the customers each channel acquired, with CLTV:CAC, its verdict and payback", () => {
    const a = metrics.acquisition;
    const totalSpend = spendRows.reduce((s, r) => s + r.amountMinor, 0);
    expect(a.overall.cac).toEqual({ status: "ok", n: buyers.length, spendMinor: totalSpend, cacMinor: Math.round(totalSpend / buyers.length) });
    const search = a.byChannel.find((c) => c.channel === "search")!;
    const searchers = buyers.filter((p) => channelOf(p) === "search");
    const searchCac = 40000 / searchers.length;
    expect(search.cac).toEqual({ status: "ok", n: 2, spendMinor: 40000, cacMinor: 20000 });
    const ratio = cltv(searchers) / searchCac;
    expect(search.cltvToCac).toMatchObject({ status: "ok", verdict: "losing_money", cltvMinor: 4050 });
    if (search.cltvToCac.status === "ok") expect(search.cltvToCac.ratio).toBeCloseTo(ratio, 9);
    const tenure = searchers.reduce((s, p) => s + (now.getTime() - Date.parse(salesOf(p)[0]!.at)) / 86400_000 / (365.2425 / 12), 0);
    const monthlyMargin = (0.3 * searchers.reduce((s, p) => s + revenueOf(p), 0)) / tenure;
    expect(search.payback.status).toBe("ok");
    if (search.payback.status === "ok") expect(search.payback.months).toBeCloseTo(searchCac / monthlyMargin, 6);
    // Spend with no customer of that channel, and customers with no spend: no data, not 0 or Infinity.
    for (const ch of ["print", "paid_social", "web", "pos"]) expect(a.byChannel.find((c) => c.channel === ch)?.cac.status).toBe("no_data");
    const byMonth = Object.fromEntries(a.byMonth.map((m) => [m.month, m.cac.status === "ok" ? m.cac.cacMinor : m.cac.status]));
    expect(byMonth).toMatchObject({ "2025-10": "no_data", "2026-04": Math.round(35000 / 3), "2026-05": 10000, "2026-06": "no_data" });
    const june = a.byMonth.find((m) => m.month === "2026-06")!;
    expect(june).toMatchObject({ spendMinor: 7000, newCustomers: 0 });
  });

  it("fills the retention heat map with the share of each cohort ordering in each later month", () => {
    for (const row of metrics.retention.cohorts) {
      const cohort = buyers.filter((p) => cohortOf(p) === row.cohort);
      expect(row.cells.map((c) => c.month)).toEqual(months(row.cohort, "2026-06"));
      for (const cell of row.cells) {
        const active = cohort.filter((p) => salesOf(p).some((s) => londonMonth(s.at) === cell.month)).length;
        expect(cell).toMatchObject({ customers: active, share: active / cohort.length, partial: cell.month === "2026-06" });
      }
    }
    expect(metrics.retention.cohorts[1]!.cells.map((c) => c.customers)).toEqual([3, 1, 1]);
  });

  it("gives the repeat-purchase rate with its 95 % Wilson interval (3 of 5: 0.2307 to 0.8824)", () => {
    const r = metrics.retention.repeatRate;
    expect(r).toMatchObject({ status: "ok", n: 5, count: buyers.filter((p) => salesOf(p).length >= 2).length, rate: 0.6 });
    if (r.status === "ok") {
      expect(r.interval.low).toBeCloseTo(0.2307, 4);
      expect(r.interval.high).toBeCloseTo(0.8824, 4);
    }
  });

  it("words the Overview cards from the same figures, each with its n and interval", () => {
    const cards = Object.fromEntries(overviewCards(metrics).map((c) => [c.key, c]));
    const totalSpend = spendRows.reduce((s, r) => s + r.amountMinor, 0);
    expect(cards.cac).toMatchObject({ value: formatMoney(Math.round(totalSpend / buyers.length), metrics.shop.currency), n: `n = ${buyers.length} new customers` });
    // 3 of 5 came back: Wilson 0.2307 to 0.8824.
    expect(cards.repeat_rate).toMatchObject({ value: "60 %", n: "n = 5 customers", interval: "95 % interval 23 % to 88 %" });
    expect(cards.predicted_cltv!.value).toBeUndefined();
    expect(cards.predicted_cltv!.empty?.text).toMatch(/predictions need at least 50/);
    expect(cards.cltv_cac!.note?.text).toBe(cltvCacVerdictWords(metrics));
    expect(overviewCardsText(Object.values(cards))).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("counts customers per lifecycle stage from the last refresh", () => {
    const churn = metrics.retention.churnByLifecycle;
    expect(churn.status).toBe("ok");
    if (churn.status !== "ok") return;
    expect(churn.stages.reduce((s, x) => s + x.customers, 0)).toBe(churn.n);
    // Fewer than 20 gaps: the default 30-day rhythm; active ≤ 45 days since the last order, at risk ≤ 90, lapsed ≤ 180.
    const stage = Object.fromEntries(churn.stages.map((s) => [s.stage, s.customers]));
    expect(stage).toMatchObject({ new: 0, loyal: 0, churned: 0, at_risk: 1, lapsed: 1 });
    expect(churn.churned).toMatchObject({ count: 0, rate: 0 });
  });

  it("compares opted-in with not-opted-in customers, says it is not causal, and leaves out the erased", () => {
    const c = metrics.retention.optInComparison;
    expect(c.status).toBe("ok");
    if (c.status !== "ok") return;
    expect(c.caveat).toBe("not causal");
    const current = (p: Person) => (["email", "sms"] as const).some((ch) => p.consent.filter((g) => g.channel === ch).at(-1)?.action === "grant");
    const opted = buyers.filter((p) => !p.erased && current(p));
    const others = buyers.filter((p) => !p.erased && !current(p));
    expect(c.optedIn).toMatchObject({ n: opted.length, revenuePerCustomerMinor: Math.round(opted.reduce((s, p) => s + revenueOf(p), 0) / opted.length) });
    expect(c.notOptedIn).toMatchObject({ n: others.length, revenuePerCustomerMinor: 15000 });
    // One customer on one side: too few to test a difference, and it says so.
    expect(c.repeatDifference).toMatchObject({ enough: false });
    expect(c.revenueDifference).toMatchObject({ enough: false });
  });

  it("replays the consent ledger for the share of customers with a marketing grant at each month's end", () => {
    const expected = months("2025-10", "2026-06").map((month) => {
      const end = monthEnd(month);
      const known = people.filter((p) => !p.erased && [...p.sales.map((s) => s.at), ...p.consent.map((g) => g.at)].some((at) => Date.parse(at) < end));
      const granted = (ch: "email" | "sms") => known.filter((p) => p.consent.filter((g) => g.channel === ch && Date.parse(g.at) < end).at(-1)?.action === "grant").length;
      return { month, customers: known.length, email: granted("email"), sms: granted("sms") };
    });
    expect(metrics.consentRate.map((m) => ({ month: m.month, customers: m.customers, email: m.channels.email.granted, sms: m.channels.sms.granted }))).toEqual(expected);
    expect(expected.find((m) => m.month === "2026-05")).toEqual({ month: "2026-05", customers: 5, email: 2, sms: 2 });
    expect(metrics.consentRate.at(-1)).toMatchObject({ partial: true });
    expect(metrics.consentRate[0]!.channels.push).toEqual({ granted: 0, rate: 0 });
  });

  it("takes a range of months and an acquisition channel", async () => {
    const filtered = await withShop(shopId, (tx) => getShopMetrics(tx, { now, from: "2026-04", to: "2026-05", channel: "search" }), database);
    expect(filtered.range.months).toEqual(["2026-04", "2026-05"]);
    expect(filtered.customerValue.overall.historical).toMatchObject({ n: 2, cltvMinor: 4050 });
    expect(filtered.retention.cohorts.map((c) => c.cohort)).toEqual(["2026-04"]);
    expect(filtered.acquisition.overall.cac).toMatchObject({ n: 2, spendMinor: 40000 });
    await expect(withShop(shopId, (tx) => getShopMetrics(tx, { now, from: "2026-05", to: "2026-04" }), database)).rejects.toThrow(/range/);
  });

  it("moves a customer to March when the shop's time zone is UTC", async () => {
    await withShop(shopId, (tx) => tx.update(shops).set({ timeZone: "UTC" }).where(eq(shops.id, shopId)), database);
    const utc = await withShop(shopId, (tx) => getShopMetrics(tx, { now }), database);
    await withShop(shopId, (tx) => tx.update(shops).set({ timeZone: TZ }).where(eq(shops.id, shopId)), database);
    expect(utc.retention.cohorts.map((c) => [c.cohort, c.customers])).toEqual([["2025-10", 1], ["2026-03", 1], ["2026-04", 2], ["2026-05", 1]]);
  });
});

/** Every number in the figures is finite: no NaN, Infinity or division by zero reached the page. */
function numbers(value: unknown, path = "$"): [string, number][] {
  if (typeof value === "number") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
  return [];
}

describe.each(engines())("shop metrics with nothing to show on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it("answers no data, with a hint, for a shop with no orders, spend or consent", async () => {
    const { shopId } = await makeShop(database);
    const m = await withShop(shopId, (tx) => getShopMetrics(tx, { now }), database);
    expect(m.range).toMatchObject({ from: "2026-06", to: "2026-06" });
    for (const figure of [m.customerValue.overall.historical, m.customerValue.overall.predicted, m.acquisition.overall.cac, m.acquisition.overall.cltvToCac, m.acquisition.overall.payback, m.retention.repeatRate, m.retention.churnByLifecycle, m.retention.optInComparison]) {
      expect(figure.status).toBe("no_data");
      if (figure.status === "no_data") expect(figure.hint.length).toBeGreaterThan(20);
    }
    expect(m.retention.cohorts).toEqual([]);
    expect(m.consentRate).toEqual([{ month: "2026-06", customers: 0, channels: { email: { granted: 0, rate: null }, sms: { granted: 0, rate: null }, push: { granted: 0, rate: null } }, partial: true }]);
    expect(numbers(m).filter(([, v]) => !Number.isFinite(v))).toEqual([]);
    expect(m.nps.overall.n).toBe(0);
    expect(m.optOuts.total.delivered).toBe(0);
    expect(m.campaignRevenue.status).toBe("no_data");

    // Every Overview card says "no data yet" and where to start, never a number made of nothing.
    const cards = overviewCards(m);
    expect(cards.map((c) => c.key)).toEqual(["predicted_cltv", "cac", "cltv_cac", "nps", "opt_out_rate", "consent_rate", "campaign_revenue", "repeat_rate"]);
    for (const card of cards) {
      expect(card.value, card.label).toBeUndefined();
      expect(card.empty?.text.length, card.label).toBeGreaterThan(20);
      expect(card.empty?.href, card.label).toMatch(/^\//);
      expect(card.explain.length, card.label).toBeGreaterThan(40);
    }
    expect(overviewCardsText(cards)).not.toMatch(/NaN|Infinity|undefined/);
  });

  it("gives one customer's figures, and no CAC without spend", async () => {
    const { shopId } = await makeShop(database);
    await withShop(shopId, async (tx) => {
      const [c] = await tx.insert(customers).values({ shopId, email: "solo@example.com" }).returning();
      await tx.insert(orders).values({ shopId, customerId: c!.id, externalId: "solo-1", placedAt: new Date("2026-06-02T10:00:00Z"), totalMinor: 2500, currency: "EUR" });
    }, database);
    const m = await withShop(shopId, (tx) => getShopMetrics(tx, { now }), database);
    expect(m.customerValue.overall.historical).toEqual({ status: "ok", n: 1, cltvMinor: 1000, revenueMinor: 2500, marginBp: 4000 });
    expect(m.acquisition.overall.cac.status).toBe("no_data");
    expect(m.retention.repeatRate).toMatchObject({ status: "ok", n: 1, count: 0, rate: 0 });
    expect(m.retention.optInComparison.status).toBe("no_data");
    expect(m.retention.cohorts).toEqual([{ cohort: "2026-06", customers: 1, cells: [{ monthsSince: 0, month: "2026-06", customers: 1, share: 1, partial: true }] }]);
    expect(numbers(m).filter(([, v]) => !Number.isFinite(v))).toEqual([]);
  });

  it("gives no CAC for spend in a month without new customers", async () => {
    const { shopId } = await makeShop(database);
    await withShop(shopId, (tx) => tx.insert(spend).values({ shopId, channel: "search", month: "2026-06-01", amountMinor: 5000 }), database);
    const m = await withShop(shopId, (tx) => getShopMetrics(tx, { now }), database);
    expect(m.acquisition.byMonth).toEqual([{ month: "2026-06", spendMinor: 5000, newCustomers: 0, cac: expect.objectContaining({ status: "no_data" }) }]);
    expect(m.acquisition.overall.cac.status).toBe("no_data");
    expect(m.acquisition.byChannel.map((c) => [c.channel, c.cac.status, c.cltvToCac.status, c.payback.status])).toEqual([["search", "no_data", "no_data", "no_data"]]);
  });
});
