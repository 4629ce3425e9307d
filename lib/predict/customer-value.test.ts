import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchasesIfAlive, bgNbdPAlive } from "./bgnbd";
import { discountedPurchasesIfAlive, expectedAverageValue, predictedCustomerValue, type CustomerValueInput } from "./customer-value";
import { readCdnowSummary, readLifetimesReference } from "./fixtures/cdnow";

const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("predicted customer value", () => {
  const reference = readLifetimesReference();
  const customers = readCdnowSummary();
  const base = (i: number): CustomerValueInput => {
    const c = customers[i]!;
    return {
      bgnbd: reference.bgnbd.params,
      gammaGamma: reference.gammaGamma.params,
      obs: c,
      monetaryValue: c.monetaryValue,
      margin: 1,
      monthlyDiscountRate: reference.customerLifetimeValue.monthlyDiscountRate,
      months: reference.customerLifetimeValue.months,
      periodsPerMonth: reference.customerLifetimeValue.periodsPerMonth,
      fallbackAverageValue: 0,
    };
  };

  it("matches lifetimes' customer_lifetime_value (12 months, 1 % a month, weeks) for all 2,357 customers", () => {
    let worst = 0;
    customers.forEach((_, i) => (worst = Math.max(worst, relative(predictedCustomerValue(base(i)), reference.customers.customerLifetimeValue[i]!))));
    expect(worst).toBeLessThan(1e-8);
  });

  it("scales with margin, and discounting lowers it below the undiscounted year", () => {
    const input = base(0);
    const full = predictedCustomerValue(input);
    expect(predictedCustomerValue({ ...input, margin: 0.3 })).toBeCloseTo(0.3 * full, 10);
    const undiscounted = predictedCustomerValue({ ...input, monthlyDiscountRate: 0 });
    const purchases = bgNbdConditionalExpectedPurchases(input.bgnbd, 12 * input.periodsPerMonth, input.obs);
    const avg = reference.customers.expectedAverageProfit[0]!;
    expect(undiscounted).toBeCloseTo(purchases * avg, 9);
    expect(full).toBeLessThan(undiscounted);
    expect(full).toBeGreaterThan(undiscounted / 1.01 ** 12);
  });

  it("without a spend model uses the customer's own average, or the fallback when they have none", () => {
    const repeat = base(0); // x = 2, zbar = 22.35
    const newcomer = base(2); // x = 0
    expect(customers[2]!.frequency).toBe(0);
    const perPurchase = (input: CustomerValueInput) => predictedCustomerValue({ ...input, gammaGamma: null, monetaryValue: 1, fallbackAverageValue: 1 });
    expect(predictedCustomerValue({ ...repeat, gammaGamma: null })).toBeCloseTo(22.35 * perPurchase(repeat), 10);
    expect(predictedCustomerValue({ ...newcomer, gammaGamma: null, fallbackAverageValue: 40 })).toBeCloseTo(40 * perPurchase(newcomer), 10);
  });

  it("factors into P(alive) × the discounted purchases of a customer still buying, customer by customer", () => {
    let worstValue = 0;
    let worstPurchases = 0;
    customers.forEach((c, i) => {
      const input = base(i);
      const alive = bgNbdPAlive(input.bgnbd, c);
      const factored = alive * discountedPurchasesIfAlive(input.bgnbd, c.frequency, c.T, input) * expectedAverageValue(input) * input.margin;
      worstValue = Math.max(worstValue, relative(factored, predictedCustomerValue(input)));
      const purchases = bgNbdExpectedPurchasesIfAlive(input.bgnbd, 13, c.frequency, c.T) * alive;
      worstPurchases = Math.max(worstPurchases, relative(purchases, bgNbdConditionalExpectedPurchases(input.bgnbd, 13, c)));
    });
    expect(worstValue).toBeLessThan(1e-12);
    expect(worstPurchases).toBe(0);
  });
});
