import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../demo/seeded-random";
import { simulateBgNbdCustomers } from "../predict/simulate-bgnbd";
import { readSummaryCsv } from "../predict/summary-csv";
import type { CustomerHistory } from "./customer-history";
import { FIT_MAX_CUSTOMERS, fitShopValueModel, MIN_REPEAT_CUSTOMERS } from "./shop-value-model";

// CDNOW's calibration summary as shop histories: day 273 is the end of its 39 weeks.
const TODAY = 273;
const cdnow = readSummaryCsv(fs.readFileSync(path.resolve("../shared/data/cdnow/cdnow_customers_summary.csv"), "utf8")).rows;
const asHistory = (rows: typeof cdnow): CustomerHistory[] =>
  rows.map((r) => ({
    customerId: r.id, orders: r.frequency + 1, purchaseDays: r.frequency + 1, revenueMinor: 2000 * (r.frequency + 1), repeatAverageMinor: r.frequency ? 2000 : null,
    firstOrderAt: new Date(0), lastOrderAt: new Date(0), firstDay: Math.round(TODAY - r.T * 7), lastDay: Math.round(TODAY - r.T * 7 + r.recency * 7),
    recencyScore: 3, frequencyScore: 3, monetaryScore: 3,
  }));

function subsample(repeat: number, seed: string) {
  const rng = new SeededRandom(seed);
  const pool = [...cdnow];
  const out: typeof cdnow = [];
  let n = 0;
  while (n < repeat) {
    const row = pool.splice(rng.int(0, pool.length - 1), 1)[0]!;
    out.push(row);
    if (row.frequency > 0) n += 1;
  }
  return out;
}

describe("the shop value model", () => {
  it("fits the CDNOW customers close to the published BG/NBD values, with a narrow interval", () => {
    const { summary, predict } = fitShopValueModel(asHistory(cdnow), TODAY, { margin: 0.4, seed: "cdnow" });
    expect(summary.status).toBe("fitted");
    // Days are whole here, so T and t_x differ from the published weeks by up to half a day.
    expect(summary.bgnbd!.r).toBeCloseTo(0.243, 2);
    expect(summary.bgnbd!.alpha / 4.414).toBeCloseTo(1, 1);
    expect(summary.bgnbd!.a / 0.793).toBeCloseTo(1, 1);
    expect(summary.bgnbd!.b / 2.426).toBeCloseTo(1, 1);
    const { estimate, interval } = summary.expectedPurchases90d!;
    expect(interval![0]).toBeLessThan(estimate);
    expect(interval![1]).toBeGreaterThan(estimate);
    expect((interval![1] - interval![0]) / estimate).toBeLessThan(0.5);
    const first = predict(asHistory(cdnow)[0]!);
    expect(first.valueBasis).toBe("model");
    expect(first.expectedPurchases90dLow!).toBeLessThanOrEqual(first.expectedPurchases90d!);
    expect(first.expectedPurchases90dHigh!).toBeGreaterThanOrEqual(first.expectedPurchases90d!);
  });

  it("refuses to predict below the repeat-customer threshold, and falls back to history", () => {
    const { summary, predict } = fitShopValueModel(asHistory(subsample(MIN_REPEAT_CUSTOMERS - 1, "small")), TODAY, { margin: 0.4, seed: "small" });
    expect(summary.status).toBe("too_few_repeat_customers");
    expect(predict(asHistory(cdnow)[0]!)).toMatchObject({ valueBasis: "history", pAlive: null, predictedValueMinor: Math.round(0.4 * 6000) });
  });

  it("flags a fit whose bootstrap interval is too wide as unstable, without failing on degenerate refits", () => {
    // A subsample with just enough repeat customers whose refits scatter (measured in docs/decisions/005-segments.md).
    const { summary } = fitShopValueModel(asHistory(subsample(50, "t50s1")), TODAY, { margin: 0.4, seed: "s1" });
    expect(summary.status).toBe("unstable");
    expect(summary.message).toMatch(/^The prediction is too uncertain here \(the shop's purchases in the next 90 days could be anywhere from \d+ to \d+\)/);
    const [lo, hi] = summary.expectedPurchases90d!.interval!;
    expect((hi - lo) / summary.expectedPurchases90d!.estimate).toBeGreaterThan(0.5);
  });

  it("fits a large shop on a fixed sample of its customers, close to the fit on all of them", () => {
    // 60,000 customers drawn from CDNOW's published BG/NBD and Gamma-Gamma parameters, 39 weeks observed.
    const simulated = simulateBgNbdCustomers({
      customers: 60_000, bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
      seed: "large-shop", cohortDays: 84, endDay: TODAY, daysPerUnit: 7,
    });
    const shop: CustomerHistory[] = simulated.map((c, i) => {
      const firstDay = Math.round(TODAY - c.T * 7);
      const repeatAverageMinor = c.frequency ? Math.round(c.monetaryValue * 100) : null;
      return {
        purchaseDays: c.frequency + 1, revenueMinor: 2000 + (repeatAverageMinor ?? 0) * c.frequency, repeatAverageMinor,
        firstDay, lastDay: Math.round(firstDay + c.recency * 7), sampleKey: Math.imul(i + 1, 0x9e3779b1) | 0,
      };
    });
    const sampled = fitShopValueModel(shop, TODAY, { margin: 0.4, seed: "large" });
    const full = fitShopValueModel(shop, TODAY, { margin: 0.4, seed: "large", fitMaxCustomers: Infinity });
    expect(sampled.summary.status).toBe("fitted");
    expect(full.summary.status).toBe("fitted");
    expect(sampled.summary.fittedCustomers).toBe(FIT_MAX_CUSTOMERS);
    expect(full.summary.fittedCustomers).toBe(60_000);
    expect(sampled.summary.message).toMatch(/^Fitted on 20,000 of 60,000 customers/);
    const s = sampled.summary.expectedPurchases90d!;
    const f = full.summary.expectedPurchases90d!;
    // The shop's forecast moves by far less than the bootstrap interval both report.
    expect(Math.abs(s.estimate / f.estimate - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.estimate - f.estimate)).toBeLessThan((f.interval![1] - f.interval![0]) / 2);
    expect(s.interval).toEqual(f.interval);
    for (const k of ["r", "alpha", "a", "b"] as const) expect(Math.abs(sampled.summary.bgnbd![k] / full.summary.bgnbd![k] - 1)).toBeLessThan(0.15);
    // Each customer's forecast and value stay close to what the full fit gives them.
    let purchases = 0, purchasesFull = 0, value = 0, valueFull = 0, worst = 0;
    for (const c of shop) {
      const a = sampled.predict(c);
      const b = full.predict(c);
      purchases += a.expectedPurchases90d!;
      purchasesFull += b.expectedPurchases90d!;
      value += a.predictedValueMinor;
      valueFull += b.predictedValueMinor;
      worst = Math.max(worst, Math.abs(a.pAlive! - b.pAlive!));
    }
    expect(Math.abs(purchases / purchasesFull - 1)).toBeLessThan(0.02);
    expect(Math.abs(value / valueFull - 1)).toBeLessThan(0.05);
    expect(worst).toBeLessThan(0.05);
  });
});
