import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../demo/seeded-random";
import { readSummaryCsv } from "../predict/summary-csv";
import type { CustomerHistory } from "./customer-history";
import { fitShopValueModel, MIN_REPEAT_CUSTOMERS } from "./shop-value-model";

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
});
