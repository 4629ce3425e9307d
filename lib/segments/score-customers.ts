// Scores every customer with orders: history, lifecycle stage, predicted value and its sentence are
// computed here and written in bulk. RFM quintiles come from the history query (SQL, over the shop).
import { sql } from "drizzle-orm";
import { insertRecords } from "../db/insert-records";
import type { ShopTx } from "../db/tenant";
import { loadCustomerHistories } from "./customer-history";
import { describeFacts, describePrediction } from "./explain-customer";
import { lifecycleStage, lifecycleThresholds, type LifecycleThresholds } from "./lifecycle";
import { rfmGroup } from "./rfm-groups";
import { fitShopValueModel, type ValueModelSummary } from "./shop-value-model";

export interface ShopFacts {
  id: string;
  timeZone: string;
  currency: string;
  marginBp: number;
}

export interface ScoreSummary {
  customers: number;
  lifecycle: LifecycleThresholds;
  model: ValueModelSummary;
}

const DAY_MS = 86_400_000;

export async function scoreCustomers(tx: ShopTx, shop: ShopFacts, now: Date): Promise<ScoreSummary> {
  const history = await loadCustomerHistories(tx, { timeZone: shop.timeZone, now });
  const { today } = history;
  const lifecycle = lifecycleThresholds(history.medianGapDays, history.gaps);
  const { summary: model, predict } = fitShopValueModel(history.customers, today, { margin: shop.marginBp / 10_000, seed: shop.id });
  const computedAt = now.toISOString();

  const records = history.customers.map((c) => {
    const p = predict(c);
    return {
      shop_id: shop.id, customer_id: c.customerId, orders: c.orders, purchase_days: c.purchaseDays, revenue_minor: c.revenueMinor,
      first_order_at: c.firstOrderAt.toISOString(), last_order_at: c.lastOrderAt.toISOString(),
      recency_score: c.recencyScore, frequency_score: c.frequencyScore, monetary_score: c.monetaryScore,
      rfm_group: rfmGroup(c.recencyScore, c.frequencyScore, c.monetaryScore),
      lifecycle: lifecycleStage(lifecycle, {
        daysSinceFirst: (now.getTime() - c.firstOrderAt.getTime()) / DAY_MS,
        daysSinceLast: today - c.lastDay,
        orders: c.orders,
      }),
      p_alive: p.pAlive, expected_purchases_90d: p.expectedPurchases90d,
      expected_purchases_90d_low: p.expectedPurchases90dLow, expected_purchases_90d_high: p.expectedPurchases90dHigh,
      expected_order_value_minor: p.expectedOrderValueMinor, predicted_value_minor: p.predictedValueMinor,
      predicted_value_low_minor: p.predictedValueLowMinor, predicted_value_high_minor: p.predictedValueHighMinor,
      value_basis: p.valueBasis, prediction_reason: describePrediction(c, p, model, today, shop.currency),
      facts: describeFacts(c, today, shop.currency), computed_at: computedAt,
    };
  });

  await tx.execute(sql`delete from customer_scores`);
  await insertRecords(tx, "customer_scores", records);
  return { customers: records.length, lifecycle, model };
}
