// What a campaign earned, measured against its holdout: for each variant, the share of customers
// who bought within the shop's attribution window, the lift over the holdout with its interval and
// p-value, the order value (Welch), the revenue per customer, and for the campaign its return on
// its cost (ROMI), the power statement and the sample-ratio check (../shared/DESIGN.md "Lift",
// "ROMI"; docs/decisions/010-campaigns.md for arms and sends).
//
// The unit is one customer in one run (a one-off campaign has one run). A variant's customer counts
// from the moment their message was sent; a holdout customer from the run that held them out, the
// moment they would have been sent. Customers whose message is still queued are not measured yet,
// and those whose message was skipped or failed at sending are left out and counted, so the page
// can say how many. Orders are the shop's sales (cancelled, refunded and failed orders are not),
// at their net value.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { armShares } from "../campaigns/assign-arm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { campaignUnits, inAttributionWindow } from "./campaign-units";
import { compareProportions, powerSentence, type ProportionComparison } from "./stats/compare-proportions";
import { holmAdjust } from "./stats/holm";
import { notEnough, type NotEnoughData } from "./stats/not-enough-data";
import { sampleRatioCheck, type SampleRatioCheck } from "./stats/sample-ratio";
import { welchTest, type Sample, type WelchResult } from "./stats/welch";
import { wilsonInterval, type ProportionEstimate } from "./stats/wilson-interval";

/** The significance level every verdict uses, after Holm's correction when there are several variants. */
export const ALPHA = 0.05;

export interface ArmResult {
  /** "holdout", or the variant's key (A, B…). */
  key: string;
  label: string;
  variantId: string | null;
  /** Customers the runs put in this arm. */
  assigned: number;
  /** Customers measured: the holdout's all; a variant's, those whose message was sent. */
  n: number;
  /** A variant's customers whose message is still waiting to be sent (not measured yet). */
  pending: number;
  /** A variant's customers whose message was skipped or failed at sending (left out). */
  notSent: number;
  conversions: number;
  /** The conversion rate with its 95 % Wilson interval. */
  conversion: ProportionEstimate | NotEnoughData;
  revenueMinor: number;
  revenuePerCustomerMinor: number | null;
  orders: number;
  averageOrderMinor: number | null;
}

export type Verdict = "better" | "worse" | "no_difference" | "not_enough_data";

export interface VariantComparison {
  variantId: string;
  key: string;
  label: string;
  conversion: ProportionComparison | NotEnoughData;
  /** The p-value after Holm's correction over the variants compared, when more than one was; else the p-value itself. */
  adjustedPValue: number | null;
  verdict: Verdict;
  sentence: string;
  /** "With these numbers a lift smaller than X % …", when the holdout converted anyone. */
  powerSentence: string | null;
  /** Below 80 % power to detect the observed lift, were it the true one. */
  underpowered: boolean | null;
  /** The variant's order value minus the holdout's (Welch's t). */
  orderValue: WelchResult | NotEnoughData;
  /** The variant's revenue per customer minus the holdout's (Welch's t, customers without orders as 0). */
  revenuePerCustomer: WelchResult | NotEnoughData;
  /** (revenue per customer − the holdout's) × the variant's customers. */
  incrementalRevenueMinor: number | null;
}

export interface Romi {
  enough: true;
  /** (incremental revenue × margin − cost) ÷ cost; 0.5 = each unit spent came back with half a unit more. */
  romi: number;
  ci95: [number, number];
  incrementalRevenueMinor: number;
  incrementalRevenueCi95: [number, number];
  incrementalMarginMinor: number;
  costMinor: number;
}

export type ResultsStatus = "not_started" | "no_holdout" | "measuring" | "complete";

export interface CampaignResults {
  campaignId: string;
  campaignName: string;
  status: ResultsStatus;
  statusSentence: string;
  attributionDays: number;
  marginBp: number;
  costMinor: number;
  /** When the last measured customer's window closes; until then the figures can still grow. */
  windowClosesAt: Date | null;
  /** The holdout first, then the variants in key order. */
  arms: ArmResult[];
  comparisons: VariantComparison[];
  /** Holm's correction was applied (more than one variant compared). */
  corrected: boolean;
  /** Only a variant significantly better than the holdout after correction; the best such one. */
  winner: { variantId: string; key: string; label: string } | null;
  romi: Romi | NotEnoughData;
  /** Null when only one arm was asked for (nothing to split). */
  sampleRatio: SampleRatioCheck | NotEnoughData | null;
}

interface ArmRow {
  variant_id: string | null;
  assigned: number;
  n: number;
  pending: number;
  not_sent: number;
  conversions: number;
  revenue: number;
  revenue_var: number;
  orders: number;
  order_mean: number | null;
  order_var: number | null;
  last_start: string | null;
}

/** Pools the samples of several groups into one (exact: the within- and between-group sums of squares). */
export function poolSamples(samples: readonly Sample[]): Sample {
  const n = samples.reduce((s, x) => s + x.n, 0);
  if (n === 0) return { n: 0, mean: 0, variance: 0 };
  const mean = samples.reduce((s, x) => s + x.n * x.mean, 0) / n;
  const ss = samples.reduce((s, x) => s + Math.max(0, x.n - 1) * x.variance + x.n * (x.mean - mean) ** 2, 0);
  return { n, mean, variance: n > 1 ? ss / (n - 1) : 0 };
}

const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);

function verdictOf(c: ProportionComparison | NotEnoughData, adjusted: number | null, label: string, corrected: boolean): { verdict: Verdict; sentence: string } {
  if (!c.enough || adjusted === null) return { verdict: "not_enough_data", sentence: `${label}: not enough data yet. ${c.enough ? "" : c.reason}`.trim() };
  const p = `${pText(adjusted)}${corrected ? " after correcting for several variants" : ""}`;
  if (adjusted < ALPHA && c.absoluteLift > 0) return { verdict: "better", sentence: `${label} converted more customers than the holdout (${p}).` };
  if (adjusted < ALPHA && c.absoluteLift < 0) return { verdict: "worse", sentence: `${label} converted fewer customers than the holdout (${p}).` };
  return { verdict: "no_difference", sentence: `${label} cannot be told apart from the holdout (${p}): no winner.` };
}

export async function getCampaignResults(tx: ShopTx, campaignId: string, options: { now?: Date } = {}): Promise<CampaignResults> {
  if (!z.uuid().safeParse(campaignId).success) throw notFound("Campaign");
  const now = options.now ?? new Date();
  const [campaign] = await queryRows<{ name: string; holdout_pct: number; cost_minor: number; attribution_days: number; margin_bp: number; runs: number }>(
    tx,
    sql`select k.name, k.holdout_pct, k.cost_minor::float8 as cost_minor, s.attribution_days, s.margin_bp,
               (select count(*)::int from campaign_runs r where r.campaign_id = k.id) as runs
          from campaigns k join shops s on s.id = k.shop_id where k.id = ${campaignId}::uuid`,
  );
  if (!campaign) throw notFound("Campaign");
  const variantRows = await queryRows<{ id: string; key: string; weight: number; paused: boolean }>(
    tx,
    sql`select id, key, weight, paused from variants where campaign_id = ${campaignId}::uuid order by key`,
  );
  const days = campaign.attribution_days;
  const nowIso = now.toISOString();

  // Every customer a run put in an arm, with the moment their window opens (null: not measured).
  const units = campaignUnits(sql`r.campaign_id = ${campaignId}::uuid`);
  const inWindow = inAttributionWindow(days, nowIso);

  const rows = await queryRows<ArmRow>(
    tx,
    sql`with units as (${units}),
        measured as (
          select u.variant_id, u.start_at, u.send_status, o.orders, o.revenue
            from units u left join lateral (
              select count(*)::int as orders, coalesce(sum(x.net_minor), 0)::float8 as revenue from sales x where ${inWindow}
            ) o on u.start_at is not null
        ),
        order_values as (
          select u.variant_id, count(*)::int as orders, avg(x.net_minor)::float8 as order_mean, var_samp(x.net_minor)::float8 as order_var
            from units u join sales x on ${inWindow} group by u.variant_id
        ),
        arms as (
          select variant_id, count(*)::int as assigned, count(start_at)::int as n,
                 count(*) filter (where start_at is null and send_status in ('queued', 'sending'))::int as pending,
                 count(*) filter (where start_at is null and (send_status is null or send_status not in ('queued', 'sending')))::int as not_sent,
                 count(*) filter (where orders > 0)::int as conversions,
                 coalesce(sum(revenue), 0)::float8 as revenue, coalesce(var_samp(revenue), 0)::float8 as revenue_var,
                 max(start_at)::text as last_start
            from measured group by variant_id
        )
        select a.*, coalesce(v.orders, 0)::int as orders, v.order_mean, v.order_var
          from arms a left join order_values v on v.variant_id is not distinct from a.variant_id`,
  );

  const toArm = (row: ArmRow | undefined, key: string, label: string, variantId: string | null): ArmResult => {
    const n = row?.n ?? 0;
    const conversions = row?.conversions ?? 0;
    const revenueMinor = Number(row?.revenue ?? 0);
    const orders = row?.orders ?? 0;
    return {
      key, label, variantId, assigned: row?.assigned ?? 0, n, pending: row?.pending ?? 0, notSent: row?.not_sent ?? 0,
      conversions, conversion: wilsonInterval(conversions, n), revenueMinor,
      revenuePerCustomerMinor: n > 0 ? revenueMinor / n : null,
      orders, averageOrderMinor: orders > 0 && row?.order_mean != null ? Number(row.order_mean) : null,
    };
  };
  const rowOf = (variantId: string | null) => rows.find((r) => r.variant_id === variantId);
  const holdoutRow = rowOf(null);
  const holdout = toArm(holdoutRow, "holdout", "Holdout", null);
  // Variants that were asked for (not paused) or that customers were put in.
  const shown = variantRows.filter((v) => !v.paused || rowOf(v.id));
  const variantArms = shown.map((v) => toArm(rowOf(v.id), v.key, `Variant ${v.key}`, v.id));

  const revenueSample = (row: ArmRow | undefined): Sample => ({ n: row?.n ?? 0, mean: row && row.n > 0 ? Number(row.revenue) / row.n : 0, variance: Number(row?.revenue_var ?? 0) });
  const orderSample = (row: ArmRow | undefined): Sample => ({ n: row?.orders ?? 0, mean: Number(row?.order_mean ?? 0), variance: Number(row?.order_var ?? 0) });
  const holdoutRevenue = revenueSample(holdoutRow);

  const raw = variantArms.map((arm) => compareProportions({ conversions: holdout.conversions, n: holdout.n }, { conversions: arm.conversions, n: arm.n }));
  const tested = raw.flatMap((c, i) => (c.enough ? [i] : []));
  const corrected = tested.length > 1;
  const adjusted = corrected ? holmAdjust(tested.map((i) => (raw[i] as ProportionComparison).pValue)) : [];
  const comparisons: VariantComparison[] = variantArms.map((arm, i) => {
    const c = raw[i]!;
    const at = tested.indexOf(i);
    const adjustedPValue = !c.enough ? null : corrected ? adjusted[at]! : c.pValue;
    const row = rowOf(arm.variantId);
    const revenue = revenueSample(row);
    return {
      variantId: arm.variantId!, key: arm.key, label: arm.label, conversion: c, adjustedPValue,
      ...verdictOf(c, adjustedPValue, arm.label, corrected),
      powerSentence: c.enough && c.minimumDetectableLift !== null ? powerSentence(c.minimumDetectableLift) : null,
      underpowered: c.enough ? c.power < 0.8 : null,
      orderValue: welchTest(orderSample(holdoutRow), orderSample(row)),
      revenuePerCustomer: welchTest(holdoutRevenue, revenue),
      incrementalRevenueMinor: arm.n > 0 && holdout.n > 0 ? (revenue.mean - holdoutRevenue.mean) * arm.n : null,
    };
  });
  const best = comparisons
    .filter((c) => c.verdict === "better")
    .sort((a, b) => (b.conversion as ProportionComparison).treatmentRate - (a.conversion as ProportionComparison).treatmentRate)[0];

  // ROMI over every customer a message reached, against the holdout (the cost is the campaign's, not a variant's).
  const treated = poolSamples(variantArms.map((a) => revenueSample(rowOf(a.variantId))));
  const margin = campaign.margin_bp / 10_000;
  const cost = Number(campaign.cost_minor);
  let romi: Romi | NotEnoughData;
  if (cost <= 0) romi = notEnough("No cost was entered for this campaign, so there is no return on it to compute.");
  else if (holdout.n < 2 || treated.n < 2) romi = notEnough(`It takes at least 2 customers in the holdout and 2 who got a message; there are ${holdout.n} and ${treated.n}.`);
  else {
    const diff = welchTest(holdoutRevenue, treated);
    const incremental = (treated.mean - holdoutRevenue.mean) * treated.n;
    // With no spread in either group the difference is exact, and so is the interval.
    const incrementalCi: [number, number] = diff.enough ? [diff.ci95[0] * treated.n, diff.ci95[1] * treated.n] : [incremental, incremental];
    const toRomi = (revenue: number) => (revenue * margin - cost) / cost;
    romi = {
      enough: true, romi: toRomi(incremental), ci95: [toRomi(incrementalCi[0]), toRomi(incrementalCi[1])],
      incrementalRevenueMinor: incremental, incrementalRevenueCi95: incrementalCi, incrementalMarginMinor: incremental * margin, costMinor: cost,
    };
  }

  // The split of everyone the runs put in an arm, against the shares asked (arms asked for nothing left out).
  const live = variantRows.filter((v) => !v.paused);
  const shares = armShares({ holdoutPct: campaign.holdout_pct, variants: live });
  const split = [holdout.assigned, ...live.map((v) => rowOf(v.id)?.assigned ?? 0)].map((n, i) => [n, shares[i] ?? 0] as const).filter(([, s]) => s > 0);
  const sampleRatio = campaign.runs > 0 && split.length > 1 ? sampleRatioCheck(split.map(([n]) => n), split.map(([, s]) => s)) : null;

  const lastStart = rows.map((r) => r.last_start).filter((s): s is string => s !== null).map((s) => new Date(s).getTime());
  const closes = lastStart.length > 0 ? new Date(Math.max(...lastStart) + days * 86_400_000) : null;
  const pending = variantArms.reduce((s, a) => s + a.pending, 0);
  let status: ResultsStatus;
  let statusSentence: string;
  if (campaign.runs === 0) {
    status = "not_started";
    statusSentence = "No results yet: the campaign has not been sent to anyone.";
  } else if (holdout.assigned === 0) {
    status = "no_holdout";
    statusSentence = "This campaign held no one out, so there is nothing to compare its customers with: what they bought might have happened anyway.";
  } else if (pending > 0 || (closes !== null && closes > now)) {
    status = "measuring";
    statusSentence = `Still measuring: ${pending > 0 ? `${pending} messages are still to be sent, and ` : ""}orders count until ${days} days after each message${closes ? ` (the last window closes ${closes.toISOString().slice(0, 10)})` : ""}. The figures can still change.`;
  } else {
    status = "complete";
    statusSentence = `Every customer's ${days}-day window has closed: these are the campaign's results.`;
  }

  return {
    campaignId, campaignName: campaign.name, status, statusSentence, attributionDays: days, marginBp: campaign.margin_bp, costMinor: cost,
    windowClosesAt: closes, arms: [holdout, ...variantArms], comparisons, corrected,
    winner: best ? { variantId: best.variantId, key: best.key, label: best.label } : null,
    romi, sampleRatio,
  };
}
