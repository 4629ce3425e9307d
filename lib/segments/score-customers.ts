// Scores every customer with orders: history, lifecycle stage, predicted value and its sentence are
// computed here and written in bulk; RFM quintiles and groups are then set in SQL over the whole shop.
import { sql } from "drizzle-orm";
import { insertRecords } from "../db/insert-records";
import type { ShopTx } from "../db/tenant";
import { loadCustomerHistories } from "./customer-history";
import { describeFacts, describePrediction } from "./explain-customer";
import { lifecycleStage, lifecycleThresholds, type LifecycleThresholds } from "./lifecycle";
import { RFM_GRID } from "./rfm-groups";
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
      // Set by the SQL below, over the whole shop.
      recency_score: 0, frequency_score: 0, monetary_score: 0, rfm_group: "",
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
  // Quintiles by percent rank, so customers with equal values share a score (ntile would split a
  // tie, putting two identical one-order customers in different groups).
  const grid = sql.join(
    RFM_GRID.flatMap((row, r) => row.map((group, fm) => sql`(${r + 1}::int, ${fm + 1}::int, ${group}::text)`)),
    sql`, `,
  );
  await tx.execute(sql`
    update customer_scores cs set recency_score = s.r, frequency_score = s.f, monetary_score = s.m, rfm_group = g.grp
      from (select customer_id,
                   least(5, 1 + floor(5 * percent_rank() over (order by last_order_at)))::int as r,
                   least(5, 1 + floor(5 * percent_rank() over (order by orders)))::int as f,
                   least(5, 1 + floor(5 * percent_rank() over (order by revenue_minor)))::int as m
              from customer_scores) s
      join (values ${grid}) as g(r, fm, grp) on g.r = s.r and g.fm = round((s.f + s.m) / 2.0)
     where cs.customer_id = s.customer_id`);
  return { customers: records.length, lifecycle, model };
}
