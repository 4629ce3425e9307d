import { describe, expect, it } from "vitest";
import { generateDemoData, isDemoSale, summarizeDemoData } from "./generate-demo-data";

const now = new Date("2026-11-24T15:30:00Z");
const demo = generateDemoData({ seed: "regulars-demo", now });

describe("the generated demo shop", () => {
  it("is the same for the same seed and day, and different for another seed", () => {
    const again = generateDemoData({ seed: "regulars-demo", now: new Date("2026-11-24T08:00:00Z") });
    expect(again.orders).toEqual(demo.orders);
    expect(again.consentEvents).toEqual(demo.consentEvents);
    expect(generateDemoData({ seed: "another", now }).orders[0]).not.toEqual(demo.orders[0]);
  });

  it("has at least 3,000 customers with unique ids and emails at reserved example domains", () => {
    expect(demo.customers.length).toBeGreaterThanOrEqual(3000);
    expect(new Set(demo.customers.map((c) => c.externalId)).size).toBe(demo.customers.length);
    expect(new Set(demo.customers.map((c) => c.email)).size).toBe(demo.customers.length);
    expect(demo.customers.every((c) => /@example\.(com|org|net)$/.test(c.email))).toBe(true);
  });

  it("covers two years and nothing lies in the future", () => {
    const times = [...demo.orders.map((o) => o.placedAt), ...demo.events.map((e) => e.occurredAt), ...demo.consentEvents.map((e) => e.occurredAt)].map((d) => d.getTime());
    expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
    expect(now.getTime() - Math.min(...demo.orders.map((o) => o.placedAt.getTime()))).toBeGreaterThan(700 * 86_400_000);
  });

  it("looks like real repeat buying: many one-time buyers and a few regulars", () => {
    const perCustomer = new Map<string, number>();
    for (const o of demo.orders) perCustomer.set(o.customerExternalId, (perCustomer.get(o.customerExternalId) ?? 0) + 1);
    const counts = [...perCustomer.values()].sort((a, b) => b - a);
    const oneTime = counts.filter((c) => c === 1).length / counts.length;
    expect(oneTime).toBeGreaterThan(0.4);
    expect(oneTime).toBeLessThan(0.6);
    expect(counts[Math.floor(counts.length * 0.05)]).toBeGreaterThanOrEqual(10);
  });

  it("makes every order's items add up to its total, from a catalogue of about 40 products", () => {
    expect(demo.products.length).toBeGreaterThanOrEqual(35);
    expect(new Set(demo.products.map((p) => p.category)).size).toBeGreaterThanOrEqual(5);
    for (const o of demo.orders) {
      expect(o.items.length).toBeGreaterThan(0);
      expect(o.items.reduce((s, i) => s + i.quantity * i.priceMinor, 0)).toBe(o.totalMinor);
    }
  });

  it("has a few online orders returned or cancelled, as a real shop does, and none in the café", () => {
    const web = demo.orders.filter((o) => o.channel === "web");
    const share = (status: string) => web.filter((o) => o.status === status).length / web.length;
    expect(share("refunded")).toBeGreaterThan(0.005);
    expect(share("partially_refunded")).toBeGreaterThan(0.005);
    expect(share("cancelled")).toBeGreaterThan(0.002);
    expect(share("paid")).toBeGreaterThan(0.9);
    expect(demo.orders.filter((o) => o.channel !== "web").every((o) => o.status === "paid")).toBe(true);
    for (const o of demo.orders) {
      expect(o.refundedMinor).toBeLessThanOrEqual(o.totalMinor);
      if (o.status === "partially_refunded") expect(o.refundedMinor).toBeGreaterThan(0);
      expect(o.cancelledAt !== null).toBe(o.status === "cancelled");
    }
  });

  it("leaves most customers without consent, and every withdrawal follows a grant in time order", () => {
    const withConsent = new Set(demo.consentEvents.map((e) => e.customerExternalId));
    expect(withConsent.size / demo.customers.length).toBeLessThan(0.5);
    const last = new Map<string, { action: string; at: number }>();
    for (const e of demo.consentEvents) {
      const key = `${e.customerExternalId}/${e.channel}/${e.purpose}`;
      const before = last.get(key);
      if (e.action === "withdraw") expect(before?.action).toBe("grant");
      if (before) expect(e.occurredAt.getTime()).toBeGreaterThanOrEqual(before.at);
      last.set(key, { action: e.action, at: e.occurredAt.getTime() });
      const policy = demo.policyVersions.filter((p) => p.effectiveAt <= e.occurredAt).at(-1);
      expect(e.policyVersion).toBe(policy?.version);
    }
    expect(demo.consentEvents.some((e) => e.action === "withdraw")).toBe(true);
    expect(new Set(demo.consentEvents.map((e) => e.policyVersion))).toEqual(new Set(["v1", "v2"]));
  });

  it("has cart abandoners this week, monthly spend per channel and a plausible NPS", () => {
    const week = now.getTime() - 7 * 86_400_000;
    expect(demo.events.filter((e) => e.type === "cart.abandoned" && e.occurredAt.getTime() > week).length).toBeGreaterThan(20);
    expect(new Set(demo.spend.map((s) => s.month)).size).toBe(24);
    expect(new Set(demo.spend.map((s) => s.channel))).toEqual(new Set(["web", "marketplace", "pos"]));
    const scores = demo.surveyResponses.map((r) => r.score);
    const nps = (100 * (scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length)) / scores.length;
    expect(nps).toBeGreaterThan(10);
    expect(nps).toBeLessThan(50);
  });

  it("summarises windows as the half-open interval (now − N days, now]", () => {
    const summary = summarizeDemoData(demo, now);
    for (const w of summary.windows) {
      const since = now.getTime() - w.days * 86_400_000;
      const orders = demo.orders.filter((o) => o.placedAt.getTime() > since && o.placedAt.getTime() <= now.getTime() && isDemoSale(o));
      expect(w.orders).toBe(orders.length);
      expect(w.activeCustomers).toBe(new Set(orders.map((o) => o.customerExternalId)).size);
    }
    expect(summary.windows.map((w) => w.orders)).toEqual([...summary.windows.map((w) => w.orders)].sort((a, b) => a - b));
  });
});
