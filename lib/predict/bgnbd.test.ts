import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdLogLikelihoodWithGradient,
  bgNbdPAlive,
  collapseObservations,
  fitBgNbd,
  type BgNbdParams,
} from "./bgnbd";
import { CDNOW_DIR, readCdnowSummary, readLifetimesReference } from "./fixtures/cdnow";
import { simulateBgNbdCustomers } from "./simulate-bgnbd";

/** cdnow_customers_summary.csv: ID,frequency,recency,T. */
function readSummary() {
  const [header, ...lines] = fs.readFileSync(path.join(CDNOW_DIR, "cdnow_customers_summary.csv"), "utf8").trim().split("\n");
  expect(header).toBe("ID,frequency,recency,T");
  return lines.map((line) => {
    const [id, frequency, recency, T] = line.split(",").map(Number);
    return { id: id!, frequency: frequency!, recency: recency!, T: T! };
  });
}

const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("BG/NBD on CDNOW (Fader, Hardie & Lee 2005)", () => {
  const rows = readSummary();
  const fit = fitBgNbd(rows);

  it("fits the published parameters and log-likelihood", () => {
    expect(rows).toHaveLength(2357);
    expect(fit.converged).toBe(true);
    for (const key of ["r", "alpha", "a", "b"] as const) expect(relative(fit.params[key], PUBLISHED[key])).toBeLessThan(0.005);
    expect(Math.abs(fit.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
  });

  it("reaches the same maximum as lifetimes' likelihood maximised by scipy", () => {
    const reference = readLifetimesReference().maximumLikelihood.bgnbd;
    for (const key of ["r", "alpha", "a", "b"] as const) expect(relative(fit.params[key], reference[key])).toBeLessThan(1e-5);
    expect(fit.logLikelihood).toBeCloseTo(reference.logLikelihood, 4);
  });

  it("expects 1.226 repeat purchases in the next 39 weeks from customer 1 (x = 2, t_x = 30.43, T = 38.86)", () => {
    expect(rows[0]).toEqual({ id: 1, frequency: 2, recency: 30.43, T: 38.86 });
    expect(bgNbdConditionalExpectedPurchases(fit.params, 39, rows[0]!)).toBeCloseTo(1.226, 3);
  });

  it("forecasts about 4,160 cumulative repeat purchases by week 78", () => {
    // As Fader & Hardie do: each customer is a new customer from their first purchase, so by the end
    // of week 78 (1998-06-30) they are expected to make E[X(t)] repeat purchases, t being the time from
    // their first purchase to then. T runs to 1997-09-30, exactly 273 days = 39 weeks earlier, so
    // t = T + 39; the forecast is the sum over the 2,357 customers.
    const forecast = rows.reduce((sum, row) => sum + bgNbdExpectedPurchases(fit.params, row.T + 39), 0);
    expect(Math.abs(forecast - 4160)).toBeLessThan(5);
    // The calibration period's own repeat purchases, 2,457, are the forecast's value at week 39.
    const byWeek39 = rows.reduce((sum, row) => sum + bgNbdExpectedPurchases(fit.params, row.T), 0);
    expect(Math.abs(byWeek39 - 2457) / 2457).toBeLessThan(0.02);
  });
});

describe("BG/NBD against lifetimes at the published parameters, customer by customer", () => {
  const reference = readLifetimesReference();
  const customers = readCdnowSummary();
  const params = reference.bgnbd.params;

  it("has the same log-likelihood", () => {
    expect(params).toEqual(PUBLISHED);
    expect(bgNbdLogLikelihood(params, customers)).toBeCloseTo(reference.bgnbd.logLikelihood, 6);
  });

  it("has the same expected purchases in 39, 52 and 520 weeks and P(alive) for all 2,357 customers", () => {
    expect(reference.customers.id).toEqual(customers.map((c) => c.id));
    let worst = 0;
    customers.forEach((c, i) => {
      const pairs: [number, number][] = [
        [bgNbdConditionalExpectedPurchases(params, 39, c), reference.customers.expectedPurchases39[i]!],
        [bgNbdConditionalExpectedPurchases(params, 52, c), reference.customers.expectedPurchases52[i]!],
        [bgNbdConditionalExpectedPurchases(params, 520, c), reference.customers.expectedPurchases520[i]!],
        [bgNbdPAlive(params, c), reference.customers.pAlive[i]!],
      ];
      for (const [ours, theirs] of pairs) worst = Math.max(worst, relative(ours, theirs));
    });
    // Three significant digits is 5e-4; the same formulas on the same numbers agree far closer.
    expect(worst).toBeLessThan(1e-8);
  });

  it("has the same expected purchases for a new customer, up to 100 years", () => {
    reference.bgnbd.newCustomer.t.forEach((t, i) => {
      expect(relative(bgNbdExpectedPurchases(params, t), reference.bgnbd.newCustomer.expectedPurchases[i]!)).toBeLessThan(1e-8);
    });
  });
});

describe("BG/NBD numerics", () => {
  it("gives the gradient of the log-likelihood (checked by central differences)", () => {
    const patterns = collapseObservations(readCdnowSummary());
    const at: BgNbdParams = { r: 0.4, alpha: 6, a: 1.3, b: 1.7 };
    const { gradient } = bgNbdLogLikelihoodWithGradient(at, patterns);
    const keys = ["r", "alpha", "a", "b"] as const;
    keys.forEach((key, k) => {
      const h = 1e-6;
      const up = bgNbdLogLikelihoodWithGradient({ ...at, [key]: at[key] * Math.exp(h) }, patterns).value;
      const down = bgNbdLogLikelihoodWithGradient({ ...at, [key]: at[key] * Math.exp(-h) }, patterns).value;
      expect(relative(gradient[k]!, (up - down) / (2 * h))).toBeLessThan(1e-5);
    });
  });

  it("counts identical customers once with a weight, with the same likelihood as one by one", () => {
    const rows = readCdnowSummary();
    const patterns = collapseObservations(rows);
    expect(patterns.x.length).toBeLessThan(rows.length);
    expect(patterns.totalWeight).toBe(rows.length);
    const oneByOne = rows.reduce((sum, row) => sum + bgNbdLogLikelihood(PUBLISHED, [row]), 0);
    expect(bgNbdLogLikelihood(PUBLISHED, rows)).toBeCloseTo(oneByOne, 6);
  });

  it("stays finite for long horizons and heavy buyers, where ₂F₁ itself overflows", () => {
    const heavy = { frequency: 50, recency: 37, T: 38 };
    for (const t of [1e3, 1e6, 1e9]) {
      const expected = bgNbdConditionalExpectedPurchases(PUBLISHED, t, heavy);
      expect(Number.isFinite(expected)).toBe(true);
      expect(expected).toBeGreaterThan(0);
    }
    // More time never means fewer expected purchases.
    const e = [1, 10, 100, 1e3, 1e4, 1e6].map((t) => bgNbdConditionalExpectedPurchases(PUBLISHED, t, heavy));
    for (let i = 1; i < e.length; i++) expect(e[i]!).toBeGreaterThan(e[i - 1]!);
  });

  it("is continuous through a = 1, where the formula is 0/0", () => {
    const obs = { frequency: 3, recency: 20, T: 30 };
    const at = (a: number) => bgNbdConditionalExpectedPurchases({ ...PUBLISHED, a }, 26, obs);
    expect(relative(at(1), (at(1 - 1e-4) + at(1 + 1e-4)) / 2)).toBeLessThan(1e-6);
  });

  it("recovers the parameters of 100,000 simulated customers", () => {
    // Minute resolution (10,080 per week), so same-day merging does not bias the rates. The standard
    // errors of r, α, a, b on CDNOW's 2,357 customers (inverse Hessian, as lifetimes reports them) are
    // 0.013, 0.38, 0.19 and 0.71; scaled to 100,000 customers, 0.8 %, 1.3 %, 3.6 % and 4.5 %: allow three.
    const perWeek = 10_080;
    const rows = simulateBgNbdCustomers({ customers: 100_000, bgnbd: PUBLISHED, seed: "recover", cohortDays: 12 * perWeek, endDay: 78 * perWeek, daysPerUnit: perWeek });
    const fit = fitBgNbd(rows);
    expect(fit.converged).toBe(true);
    expect(relative(fit.params.r, PUBLISHED.r)).toBeLessThan(0.025);
    expect(relative(fit.params.alpha, PUBLISHED.alpha)).toBeLessThan(0.04);
    expect(relative(fit.params.a, PUBLISHED.a)).toBeLessThan(0.11);
    expect(relative(fit.params.b, PUBLISHED.b)).toBeLessThan(0.135);
  });
});
