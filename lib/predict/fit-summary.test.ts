import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases, bgNbdPAlive } from "./bgnbd";
import { DEFAULT_HORIZON, fitSummary } from "./fit-summary";
import { CDNOW_DIR } from "./fixtures/cdnow";
import { gammaGammaExpectedAverageValue } from "./gamma-gamma";
import { readSummaryCsv } from "./summary-csv";

const read = (file: string) => readSummaryCsv(fs.readFileSync(path.join(CDNOW_DIR, file), "utf8")).rows;

describe("fitSummary", () => {
  it("fits both models on a summary with spend and predicts every customer", () => {
    const rows = read("cdnow_customers_summary_with_transactions.csv");
    const result = fitSummary(rows, { horizon: 39 });
    const { logLikelihood, ...params } = result.bgnbd;
    expect(Math.abs(logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    expect(params.r).toBeCloseTo(0.243, 3);
    expect(result.gammaGamma!.p.toFixed(2)).toBe("6.25");
    expect(result.gammaGamma!.q.toFixed(2)).toBe("3.74");
    expect(result.customers).toHaveLength(2357);
    expect(result.customers[0]!.id).toBe("1");
    expect(result.customers[0]!.expectedPurchases).toBeCloseTo(1.226, 3);
    rows.forEach((row, i) => {
      const c = result.customers[i]!;
      expect(c.id).toBe(row.id);
      expect(c.expectedPurchases).toBe(bgNbdConditionalExpectedPurchases(params, 39, row));
      expect(c.pAlive).toBe(bgNbdPAlive(params, row));
      expect(c.expectedAvgValue).toBe(gammaGammaExpectedAverageValue(result.gammaGamma!, row.frequency, row.monetaryValue!));
    });
  });

  it("without monetary_value fits no spend model, and looks a year ahead by default", () => {
    const rows = read("cdnow_customers_summary.csv");
    const result = fitSummary(rows);
    expect(DEFAULT_HORIZON).toBe(52);
    expect(result.gammaGamma).toBeNull();
    expect(result.customers.every((c) => c.expectedAvgValue === null)).toBe(true);
    expect(result.customers[0]!.expectedPurchases).toBe(bgNbdConditionalExpectedPurchases(result.bgnbd, 52, rows[0]!));
    expect(result.customers[0]!.expectedPurchases).toBeGreaterThan(1.226);
  });

  it("refuses what cannot be fitted", () => {
    expect(() => fitSummary([])).toThrow("There are no customers to fit.");
    expect(() => fitSummary([{ id: "1", frequency: 0, recency: 0, T: 10 }])).toThrow(/No customer has a repeat purchase/);
    const rows = read("cdnow_customers_summary.csv");
    expect(() => fitSummary(rows, { horizon: 0 })).toThrow("The horizon must be a positive number, not 0.");
    expect(() => fitSummary(rows.map((r) => ({ ...r, monetaryValue: 0 })))).toThrow(/no repeat customer has a positive value/);
  });
});
