import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CDNOW_DIR, readCdnowSummary } from "./fixtures/cdnow";
import { dayOfYyyymmdd, summarizePurchases, type Purchase } from "./summarize-purchases";

describe("summarizePurchases", () => {
  it("rebuilds Fader & Hardie's CDNOW summary from the sample's transactions", () => {
    // CDNOW_sample.txt: master id, sample id, YYYYMMDD, CDs, dollars. Calibration ends 1997-09-30, in weeks.
    const purchases: Purchase[] = fs
      .readFileSync(path.join(CDNOW_DIR, "CDNOW_sample.txt"), "utf8")
      .trim()
      .split(/\r?\n/)
      .map((line) => {
        const [, sampleId, date, , dollars] = line.trim().split(/\s+/);
        return { customerId: String(Number(sampleId)), day: dayOfYyyymmdd(date!), amount: Number(dollars) };
      });
    expect(purchases).toHaveLength(6919);
    const ours = new Map(summarizePurchases(purchases, { endDay: dayOfYyyymmdd("19970930"), daysPerUnit: 7 }).map((s) => [s.id, s]));
    const published = readCdnowSummary();
    expect(ours.size).toBe(published.length);
    for (const p of published) {
      const s = ours.get(p.id)!;
      expect(s.frequency).toBe(p.frequency);
      // The published file is rounded to two decimals.
      expect(Math.abs(s.recency - p.recency)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.T - p.T)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(s.monetaryValue - p.monetaryValue)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it("merges same-day purchases, leaves out the first day's spend and anything after the end", () => {
    const day = dayOfYyyymmdd("20240101");
    const rows = summarizePurchases(
      [
        { customerId: "a", day, amount: 100 },
        { customerId: "a", day, amount: 50 },
        { customerId: "a", day: day + 14, amount: 10 },
        { customerId: "a", day: day + 14, amount: 20 },
        { customerId: "a", day: day + 28, amount: 50 },
        { customerId: "a", day: day + 70, amount: 999 },
        { customerId: "b", day: day + 7, amount: 5 },
        { customerId: "c", day: day + 60, amount: 5 },
      ],
      { endDay: day + 42, daysPerUnit: 7 },
    );
    expect(rows).toEqual([
      { id: "a", frequency: 2, recency: 4, T: 6, monetaryValue: 40 },
      { id: "b", frequency: 0, recency: 0, T: 5, monetaryValue: 0 },
    ]);
  });
});
