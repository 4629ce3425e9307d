import { describe, expect, it } from "vitest";
import { lifecycleThresholds } from "./lifecycle";
import { describeFacts, describePrediction, memberReason, type ReasonContext, type ReasonSegment, type ScoreFacts } from "./reason-sentences";
import type { RuleGroup } from "./rules";

const DAY = 86_400_000;
const COMPUTED = new Date("2026-06-01T12:00:00Z");
const TODAY = Math.floor(COMPUTED.getTime() / DAY);

/** Rita: ten weekly orders, the last 3 days ago, €200 spent. */
const rita: ScoreFacts = {
  orders: 10, purchaseDays: 10, revenueMinor: 20_000,
  firstOrderAt: new Date(COMPUTED.getTime() - 66 * DAY), lastOrderAt: new Date(COMPUTED.getTime() - 3 * DAY),
  firstDay: TODAY - 66, lastDay: TODAY - 3, today: TODAY,
  recencyScore: 5, frequencyScore: 5, monetaryScore: 5,
  pAlive: 0.934, expectedPurchases90d: 4.26, predictedValueMinor: 123_456, valueBasis: "model",
};
const olli: ScoreFacts = {
  ...rita, orders: 1, purchaseDays: 1, revenueMinor: 5_000, firstOrderAt: new Date(COMPUTED.getTime() - 100 * DAY), lastOrderAt: new Date(COMPUTED.getTime() - 100 * DAY),
  firstDay: TODAY - 100, lastDay: TODAY - 100, recencyScore: 2, frequencyScore: 1, monetaryScore: 2, pAlive: 1, expectedPurchases90d: 0.31, predictedValueMinor: 1_990,
};

const ctx: ReasonContext = {
  currency: "EUR",
  lifecycle: lifecycleThresholds(null, 0),
  model: { margin: 0.4, message: "Only 2 customers have ordered on more than one day; predictions need at least 50. Values shown are history: margin × spend to date." },
};
const builtin = (key: string): ReasonSegment => ({ key, kind: "builtin", rules: null, computedAt: COMPUTED });

describe("reason sentences", () => {
  it("say what we count, with plurals, money in the shop's currency and days as people say them", () => {
    expect(describeFacts(rita, "EUR")).toBe("10 orders, last one 3 days ago, €200.00 spent");
    expect(describeFacts(olli, "EUR")).toBe("1 order, 3 months ago, €50.00 spent");
    expect(describeFacts({ ...olli, lastDay: TODAY, firstDay: TODAY }, "GBP")).toBe("1 order, today, £50.00 spent");
    expect(describeFacts({ ...rita, orders: 1_250, revenueMinor: 123_456_789, lastDay: TODAY - 1 }, "USD")).toBe("1,250 orders, last one 1 day ago, US$1,234,567.89 spent");
    expect(describeFacts({ ...rita, lastDay: TODAY - 400 }, "EUR")).toBe("10 orders, last one 13 months ago, €200.00 spent");
  });

  it("read every built-in segment's reason from the scores and the shop's rhythm", () => {
    const facts = "10 orders, last one 3 days ago, €200.00 spent";
    const reasons = Object.fromEntries(
      ["lifecycle_new", "lifecycle_loyal", "lifecycle_active", "lifecycle_at_risk", "lifecycle_lapsed", "lifecycle_churned", "rfm_champions", "rfm_lost", "frequent_buyers", "one_time_buyers", "valuable_lapsing"]
        .map((key) => [key, memberReason(builtin(key), null, rita, ctx)]),
    );
    expect(reasons).toEqual({
      lifecycle_new: `${facts} — first order less than 30 days ago.`,
      lifecycle_loyal: `${facts} — 4 or more orders and ordering at the usual rhythm (customers here typically reorder every 30 days).`,
      lifecycle_active: `${facts} — ordering at the usual rhythm (customers here typically reorder every 30 days).`,
      lifecycle_at_risk: `${facts} — the next order is later than usual (customers here typically reorder every 30 days).`,
      lifecycle_lapsed: `${facts} — no order for more than three times the usual gap (customers here typically reorder every 30 days).`,
      lifecycle_churned: `${facts} — no order for more than six times the usual gap (customers here typically reorder every 30 days); probably gone.`,
      rfm_champions: `${facts} — among your most recent, most frequent and highest-spending customers (recency 5/5, frequency 5/5, spend 5/5).`,
      rfm_lost: `${facts} — one small order, long ago (recency 5/5, frequency 5/5, spend 5/5).`,
      frequent_buyers: `${facts} — orders about every 7 days, more often than most customers (typically every 30 days).`,
      one_time_buyers: `${facts} — has not ordered again yet.`,
      valuable_lapsing: `${facts} — in your top 20 % by value, but the next order is later than usual (customers here typically reorder every 30 days).`,
    });
    const shopRhythm = { ...ctx, lifecycle: lifecycleThresholds(12.4, 40) };
    expect(memberReason(builtin("lifecycle_active"), null, rita, shopRhythm)).toBe(`${facts} — ordering at the usual rhythm (customers here typically reorder every 12 days).`);
  });

  it("say what the model predicts, in words before numbers", () => {
    expect(describePrediction(rita, ctx)).toBe(
      "Bought on 10 different days in 2 months, last 3 days ago: likely active (93 % chance still a customer), about 4.3 orders expected in the next 90 days, worth about €1,234.56 in margin over the next 12 months.",
    );
    expect(describePrediction({ ...rita, pAlive: 0.31 }, ctx)).toMatch(/: may have stopped buying \(31 % chance still a customer\)/);
    expect(describePrediction({ ...rita, pAlive: 0.12 }, ctx)).toMatch(/: has probably stopped buying \(12 % chance still a customer\)/);
    expect(describePrediction(olli, ctx)).toBe(
      "One purchase so far, 3 months ago: too early to tell if they will come back; customers like this place about 0.3 orders in the next 90 days, worth about €19.90 in margin over the next 12 months.",
    );
    expect(describePrediction({ ...rita, valueBasis: "history", pAlive: null, expectedPurchases90d: null, predictedValueMinor: 8_000 }, ctx)).toBe(
      `Value from history: €200.00 spent × 40 % margin = €80.00. ${ctx.model.message}`,
    );
    expect(memberReason(builtin("top_value"), null, rita, ctx)).toBe(`In your top 20 % by value. ${describePrediction(rita, ctx)}`);
    expect(memberReason(builtin("churn_risk"), null, rita, ctx)).toBe(describePrediction(rita, ctx));
    expect(memberReason(builtin("likely_buyers"), null, rita, { ...ctx, currency: "CHF" })).toMatch(/worth about CHF.1,234.56 in margin/);
  });

  it("read the parameters of carts, browsing and categories", () => {
    const cart = (at: string) => memberReason(builtin("cart_abandoners"), { cartAt: at }, null, ctx);
    expect(cart("2026-05-30T11:00:00Z")).toBe("Left a cart 2 days ago and has not ordered since.");
    expect(cart("2026-05-31T11:59:59.999999+00:00")).toBe("Left a cart 1 day ago and has not ordered since.");
    expect(cart("2026-06-01T09:00:00+02:00")).toBe("Left a cart today and has not ordered since.");
    expect(memberReason(builtin("browsed_not_bought"), { products: 1 }, null, ctx)).toBe("Viewed 1 product in the last 30 days without ordering.");
    expect(memberReason(builtin("browsed_not_bought"), { products: 2 }, null, ctx)).toBe("Viewed 2 products in the last 30 days without ordering.");
    expect(memberReason(builtin("category_affinity"), { items: 10, of: 12, category: "Coffee" }, rita, ctx)).toBe("10 of 12 items bought were Coffee.");
  });

  it("name the conditions of a custom rule that held, in reading order, with the customer's values", () => {
    const rules: RuleGroup = {
      match: "any",
      conditions: [
        { field: "orderCount", op: "gte", value: 5 },
        { field: "totalSpent", op: "gt", value: 100 },
        { match: "all", conditions: [{ field: "daysSinceLastOrder", op: "lt", value: 10 }, { field: "pAlive", op: "gt", value: 0.5 }] },
        { field: "predictedValue", op: "gt", value: 10 },
        { field: "categoryBought", value: "Coffee", withinDays: 30 },
        { field: "eventSeen", event: "cart.abandoned", withinDays: 7 },
        { field: "consent", channel: "email", purpose: "marketing" },
        { field: "timeZone", op: "is", value: "Europe/Berlin" },
        { field: "locale", op: "isNot", value: "fr" },
        { field: "attribute", key: "tier", op: "isNot", value: "gold" },
      ],
    };
    const custom: ReasonSegment = { key: "custom_x", kind: "custom", rules, computedAt: COMPUTED };
    const all = { held: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], values: { "8": "Europe/Berlin", "9": null, "10": "silver" } };
    expect(memberReason(custom, all, { ...rita, revenueMinor: 123_456_7 }, ctx)).toBe(
      "Matches your rule: 10 orders; spent 12,345.67 EUR; last order 3 days ago; 93 % chance still a customer; value 1,234.56 EUR; bought from Coffee in the last 30 days; " +
        "left a cart in the last 7 days; agreed to marketing by email; time zone Europe/Berlin; language not set; tier silver.",
    );
    expect(memberReason(custom, { held: [0, 4] }, olli, ctx)).toBe("Matches your rule: 1 order; value 19.90 EUR.");
    // A customer without scores: counts and money are zero; what needs an order is left out.
    expect(memberReason(custom, { held: [0, 1, 2, 3, 5] }, null, ctx)).toBe("Matches your rule: 0 orders; spent 0.00 EUR; bought from Coffee in the last 30 days.");
    // No prediction: the chance is not named.
    expect(memberReason(custom, { held: [3] }, { ...rita, pAlive: null }, ctx)).toBe("Matches your rule: .");
  });

  it("keep a sentence stored before reasons were parameters", () => {
    expect(memberReason(builtin("rfm_champions"), { sentence: "10 orders, … as it was." }, rita, ctx)).toBe("10 orders, … as it was.");
  });
});
