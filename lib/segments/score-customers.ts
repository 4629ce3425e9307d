// Scores every customer with orders. The history is computed and staged in SQL (customer-history.ts);
// lifecycle stage and RFM group are set in SQL from it; the value model is fitted here on the
// history's summary, and its predictions go back by COPY into a staging table, from which one
// INSERT … SELECT writes every score. Three steps, so a refresh can let the database work on
// something else while the model is fitted.
import { sql, type SQL } from "drizzle-orm";
import { copyRows, type CopyValue } from "../db/copy-rows";
import type { ShopTx } from "../db/tenant";
import { stageCustomerHistories, STAGED_HISTORY, type ShopHistory } from "./customer-history";
import { lifecycleStageSql, lifecycleThresholds, type LifecycleThresholds } from "./lifecycle";
import { rfmGroupSql } from "./rfm-groups";
import { fitShopValueModel, type CustomerPrediction, type ValueModelSummary } from "./shop-value-model";

export interface ShopFacts {
  id: string;
  timeZone: string;
  currency: string;
  marginBp: number;
}

export interface StagedHistory {
  history: ShopHistory;
  lifecycle: LifecycleThresholds;
}

export interface FittedScores {
  model: ValueModelSummary;
  /** One per staged customer, in the order of the staged rows. */
  predictions: CustomerPrediction[];
}

const PREDICTIONS = "refresh_predictions";

export async function stageHistory(tx: ShopTx, shop: ShopFacts, now: Date): Promise<StagedHistory> {
  const history = await stageCustomerHistories(tx, { timeZone: shop.timeZone, now });
  return { history, lifecycle: lifecycleThresholds(history.medianGapDays, history.gaps) };
}

/** The value model and every customer's prediction: CPU work in the application, no database. */
export function fitScores(staged: StagedHistory, shop: ShopFacts): FittedScores {
  const { customers, today } = staged.history;
  const { summary: model, predict } = fitShopValueModel(customers, today, { margin: shop.marginBp / 10_000, seed: shop.id });
  return { model, predictions: customers.map(predict) };
}

function* predictionRows(predictions: readonly CustomerPrediction[]): Generator<CopyValue[]> {
  for (let i = 0; i < predictions.length; i++) {
    const p = predictions[i]!;
    yield [
      i + 1, p.pAlive, p.expectedPurchases90d, p.expectedPurchases90dLow, p.expectedPurchases90dHigh,
      p.expectedOrderValueMinor, p.predictedValueMinor, p.predictedValueLowMinor, p.predictedValueHighMinor, p.valueBasis,
    ];
  }
}

/**
 * Every staged customer's scores that need no prediction — n, customer_id, orders, purchase_days,
 * revenue_minor, first/last_order_at, the RFM scores and group, and the lifecycle stage — as the
 * scores table will hold them: the scores are written from it, and the segments that read only
 * these are computed from it while the model is fitted.
 */
export function historyScores(staged: StagedHistory, now: Date): SQL {
  const h = sql.identifier(STAGED_HISTORY);
  const lifecycle = lifecycleStageSql(staged.lifecycle, { now: now.toISOString(), firstOrderAt: sql`h.first_order_at`, daysSinceLast: sql`(h.today_day - h.last_day)`, orders: sql`h.orders` });
  return sql`select h.n, h.customer_id, h.orders, h.purchase_days, round(h.revenue)::bigint as revenue_minor, h.first_order_at, h.last_order_at,
           h.recency_score, h.frequency_score, h.monetary_score,
           ${rfmGroupSql(sql`h.recency_score`, sql`h.frequency_score`, sql`h.monetary_score`)} as rfm_group, ${lifecycle} as lifecycle
      from (select *, ${staged.history.today}::int as today_day from ${h}) h`;
}

/** Replaces the shop's scores with the staged histories and their predictions; answers how many were written. */
export async function writeScores(tx: ShopTx, shop: ShopFacts, now: Date, staged: StagedHistory, fitted: FittedScores): Promise<number> {
  const at = now.toISOString();
  await tx.execute(sql`create temporary table ${sql.identifier(PREDICTIONS)} (
    n int, p_alive float8, expected float8, expected_low float8, expected_high float8,
    order_value bigint, value bigint, value_low bigint, value_high bigint, basis text) on commit drop`);
  await copyRows(
    tx,
    PREDICTIONS,
    ["n", "p_alive", "expected", "expected_low", "expected_high", "order_value", "value", "value_low", "value_high", "basis"],
    predictionRows(fitted.predictions),
  );
  const h = sql.identifier(STAGED_HISTORY);
  // Customers who no longer have a sale lose their scores; everyone else's row is updated in place
  // (the table leaves room on each page for that, so the update needs no new index entry), and
  // customers scored for the first time are inserted.
  await tx.execute(sql`delete from customer_scores cs where not exists (select 1 from ${h} h where h.customer_id = cs.customer_id)`);
  const columns = sql`orders, purchase_days, revenue_minor, first_order_at, last_order_at, recency_score, frequency_score, monetary_score,
    rfm_group, lifecycle, p_alive, expected_purchases_90d, expected_purchases_90d_low, expected_purchases_90d_high,
    expected_order_value_minor, predicted_value_minor, predicted_value_low_minor, predicted_value_high_minor, value_basis, computed_at`;
  await tx.execute(sql`
    with fresh as materialized (
      select h.customer_id, h.orders, h.purchase_days, h.revenue_minor, h.first_order_at, h.last_order_at,
             h.recency_score, h.frequency_score, h.monetary_score, h.rfm_group, h.lifecycle,
             p.p_alive, p.expected, p.expected_low, p.expected_high, p.order_value, p.value, p.value_low, p.value_high, p.basis
        from (${historyScores(staged, now)}) h join ${sql.identifier(PREDICTIONS)} p on p.n = h.n),
    changed as (
      update customer_scores cs set (${columns}) = (f.orders, f.purchase_days, f.revenue_minor, f.first_order_at, f.last_order_at,
             f.recency_score, f.frequency_score, f.monetary_score, f.rfm_group, f.lifecycle, f.p_alive, f.expected, f.expected_low,
             f.expected_high, f.order_value, f.value, f.value_low, f.value_high, f.basis, ${at}::timestamptz)
        from fresh f where cs.customer_id = f.customer_id)
    insert into customer_scores (shop_id, customer_id, ${columns})
    select ${shop.id}::uuid, f.customer_id, f.orders, f.purchase_days, f.revenue_minor, f.first_order_at, f.last_order_at,
           f.recency_score, f.frequency_score, f.monetary_score, f.rfm_group, f.lifecycle, f.p_alive, f.expected, f.expected_low,
           f.expected_high, f.order_value, f.value, f.value_low, f.value_high, f.basis, ${at}::timestamptz
      from fresh f
     where not exists (select 1 from customer_scores cs where cs.customer_id = f.customer_id)
     order by f.customer_id`);
  return fitted.predictions.length;
}
