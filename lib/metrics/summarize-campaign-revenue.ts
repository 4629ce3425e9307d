// Revenue from campaigns against their holdouts, over every campaign run in a period: what the
// messaged customers bought within the attribution window, and how much of it the messages caused
// (incremental revenue). Each campaign is compared with its own holdout — pooling all holdouts
// would mix campaigns of different audiences and holdout shares — and the estimates are added:
//
//   incremental_c = n_messaged × (mean revenue per messaged customer − mean per holdout customer)
//   Var(incremental_c) = n_messaged² × (s²_messaged / n_messaged + s²_holdout / n_holdout)
//
// The 95 % interval is the normal one on the sum (campaigns are independent samples). A campaign
// without a holdout, or with fewer than 2 measured customers on either side, adds its messaged
// revenue but not to the estimate, and is counted so the page can say how many.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { noData, ok, type Figure, type Interval } from "./metric-result";
import { campaignUnits, inAttributionWindow } from "./campaign-units";
import { normalQuantile } from "./stats/distributions";

export interface CampaignRevenue {
  /** Campaigns with a run in the period. */
  campaigns: number;
  /** Campaigns whose holdout comparison is in the estimate. */
  compared: number;
  /** Customers measured: messaged (sent) and held out, over all campaigns. */
  n: { messaged: number; holdout: number };
  /** Net revenue of the messaged customers within the attribution window. */
  messagedRevenueMinor: number;
  /** What the holdouts say the messaged would have bought anyway, subtracted: the campaigns' doing. */
  incrementalMinor: number;
  interval: Interval;
  attributionDays: number;
}

const Z95 = normalQuantile(0.975);

export const NO_CAMPAIGN_RESULTS =
  "No campaign with a holdout has sent messages in these months: send a campaign (Campaigns) with a holdout of 5 % or more, and its effect shows here once its attribution window has passed.";

export async function summarizeCampaignRevenue(tx: ShopTx, options: { start: Date; end: Date; now: Date }): Promise<Figure<CampaignRevenue>> {
  const nowIso = options.now.toISOString();
  const [shop] = await queryRows<{ days: number }>(tx, sql`select attribution_days as days from shops limit 1`);
  const days = shop?.days ?? 5;
  const rows = await queryRows<{ campaign_id: string; holdout: boolean; n: number; revenue: number; revenue_var: number | null }>(
    tx,
    sql`with units as (${campaignUnits(sql`r.decided_at >= ${options.start.toISOString()}::timestamptz and r.decided_at < ${options.end.toISOString()}::timestamptz`)})
        select u.campaign_id, u.variant_id is null as holdout, count(*)::int as n,
               coalesce(sum(o.revenue), 0)::float8 as revenue, var_samp(coalesce(o.revenue, 0))::float8 as revenue_var
          from units u
          left join lateral (select sum(x.net_minor)::float8 as revenue from sales x where ${inAttributionWindow(days, nowIso)}) o on true
         where u.start_at is not null
         group by 1, 2`,
  );
  const byCampaign = new Map<string, { messaged?: (typeof rows)[number]; holdout?: (typeof rows)[number] }>();
  for (const r of rows) {
    const c = byCampaign.get(r.campaign_id) ?? {};
    c[r.holdout ? "holdout" : "messaged"] = r;
    byCampaign.set(r.campaign_id, c);
  }
  let messaged = 0, holdout = 0, messagedRevenue = 0, incremental = 0, variance = 0, compared = 0;
  for (const { messaged: m, holdout: h } of byCampaign.values()) {
    messaged += m?.n ?? 0;
    holdout += h?.n ?? 0;
    messagedRevenue += Number(m?.revenue ?? 0);
    if (!m || !h || m.n < 2 || h.n < 2) continue;
    compared += 1;
    const meanM = Number(m.revenue) / m.n;
    const meanH = Number(h.revenue) / h.n;
    incremental += m.n * (meanM - meanH);
    variance += m.n * m.n * (Number(m.revenue_var ?? 0) / m.n + Number(h.revenue_var ?? 0) / h.n);
  }
  if (compared === 0) return noData(NO_CAMPAIGN_RESULTS);
  const half = Z95 * Math.sqrt(variance);
  return ok({
    campaigns: byCampaign.size,
    compared,
    n: { messaged, holdout },
    messagedRevenueMinor: Math.round(messagedRevenue),
    incrementalMinor: Math.round(incremental),
    interval: { low: Math.round(incremental - half), high: Math.round(incremental + half), level: 0.95, method: "normal, from each campaign's messaged and holdout revenue per customer" },
    attributionDays: days,
  });
}
