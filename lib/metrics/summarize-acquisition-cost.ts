// Customer acquisition cost (../shared/DESIGN.md "Definitions"): spend in a period ÷ the customers
// acquired in it (their first order), per channel where spend is per channel. A spend channel is
// matched by name to the channel of customers' first orders; spend with no customer to match (or
// customers with no spend entered) gives "no data", never a cost of 0 or Infinity.
// CLTV:CAC uses the historical value (margin × revenue to date) of the same customers, so it grows
// as a cohort ages; payback is the months of that margin it takes to earn the CAC back.
import { addGroups, groupBy, type AcquisitionGroup, type GroupTotals } from "./list-acquisition-groups";
import type { SpendRow } from "./list-spend";
import { noData, ok, type Figure } from "./metric-result";
import { historicalValuePerCustomer } from "./summarize-customer-value";

/** The verdict on CLTV:CAC, stated once: every page and the CLI use these words and thresholds. */
export const CLTV_CAC_RULE = "3 or more: healthy; from 1 to 3: thin; below 1: losing money (each customer brings in less margin than it cost to win them).";
export type CltvCacVerdict = "healthy" | "thin" | "losing_money";

export function cltvCacVerdict(ratio: number): CltvCacVerdict {
  if (ratio >= 3) return "healthy";
  if (ratio >= 1) return "thin";
  return "losing_money";
}

export interface Cac {
  /** New customers the spend is divided by. */
  n: number;
  spendMinor: number;
  cacMinor: number;
}

export interface CltvToCac {
  ratio: number;
  verdict: CltvCacVerdict;
  rule: string;
  /** The CLTV it rests on: margin × revenue to date of the customers acquired. */
  cltvMinor: number;
}

export interface Payback {
  /** Months of margin per customer it takes to earn back the CAC. */
  months: number;
  /** Margin per acquired customer per month of their tenure so far. */
  monthlyMarginMinor: number;
}

export interface ChannelAcquisition {
  channel: string;
  spendMinor: number;
  newCustomers: number;
  cac: Figure<Cac>;
  cltvToCac: Figure<CltvToCac>;
  payback: Figure<Payback>;
}

export interface MonthAcquisition {
  month: string;
  spendMinor: number;
  newCustomers: number;
  cac: Figure<Cac>;
}

export interface AcquisitionCost {
  overall: ChannelAcquisition;
  byChannel: ChannelAcquisition[];
  byMonth: MonthAcquisition[];
  rule: string;
}

const NO_SPEND = "No marketing spend entered for these months: import it on the Imports page (a CSV with month, channel, amount) or with `regulars import spend FILE`.";

function cac(spend: number | null, customers: number, what: string): Figure<Cac> {
  if (spend === null) return noData(what === "all" ? NO_SPEND : `No spend entered for "${what}" in these months: import it with that channel name to get its acquisition cost.`);
  if (customers === 0) {
    return noData(
      what === "all"
        ? "Spend was entered, but no new customer placed a first order in these months, so there is no one to divide it by."
        : `Spend was entered for "${what}", but no customer's first order in these months came through a channel of that name (channels are matched by name with the orders').`,
    );
  }
  return ok({ n: customers, spendMinor: spend, cacMinor: Math.round(spend / customers) });
}

function channelFigures(channel: string, spend: number | null, t: GroupTotals, marginBp: number): ChannelAcquisition {
  const cost = cac(spend, t.customers, channel);
  let cltvToCac: Figure<CltvToCac>;
  let payback: Figure<Payback>;
  if (cost.status === "no_data") {
    cltvToCac = cost;
    payback = cost;
  } else {
    const cltv = historicalValuePerCustomer(t.revenueMinor, t.customers, marginBp);
    cltvToCac = cost.cacMinor === 0 || cost.spendMinor === 0
      ? noData("The spend entered is zero, so there is no cost to compare value with.")
      : ok({ ratio: cltv / (cost.spendMinor / t.customers), verdict: cltvCacVerdict(cltv / (cost.spendMinor / t.customers)), rule: CLTV_CAC_RULE, cltvMinor: Math.round(cltv) });
    const monthlyMargin = t.tenureMonths > 0 ? ((marginBp / 10_000) * t.revenueMinor) / t.tenureMonths : 0;
    payback = monthlyMargin > 0
      ? ok({ months: cost.spendMinor / t.customers / monthlyMargin, monthlyMarginMinor: Math.round(monthlyMargin) })
      : noData("These customers have brought in no margin yet, so no payback can be estimated.");
  }
  return { channel, spendMinor: spend ?? 0, newCustomers: t.customers, cac: cost, cltvToCac, payback };
}

export function summarizeAcquisitionCost(
  groups: readonly AcquisitionGroup[],
  spend: readonly SpendRow[],
  options: { marginBp: number; months: readonly string[] },
): AcquisitionCost {
  const sum = (rows: readonly SpendRow[]) => (rows.length === 0 ? null : rows.reduce((s, r) => s + r.amountMinor, 0));
  const spendBy = (key: (r: SpendRow) => string) => {
    const m = new Map<string, SpendRow[]>();
    for (const r of spend) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return m;
  };
  const spendByChannel = spendBy((r) => r.channel);
  const spendByMonth = spendBy((r) => r.month);
  const groupsByChannel = groupBy(groups, (g) => g.channel);
  const groupsByMonth = groupBy(groups, (g) => g.cohort);
  const channels = [...new Set([...spendByChannel.keys(), ...groupsByChannel.keys()])].sort();
  return {
    overall: channelFigures("all", sum(spend), addGroups(groups), options.marginBp),
    byChannel: channels.map((c) => channelFigures(c, sum(spendByChannel.get(c) ?? []), addGroups(groupsByChannel.get(c) ?? []), options.marginBp)),
    byMonth: options.months.map((month) => {
      const s = sum(spendByMonth.get(month) ?? []);
      const n = addGroups(groupsByMonth.get(month) ?? []).customers;
      return { month, spendMinor: s ?? 0, newCustomers: n, cac: cac(s, n, "all") };
    }),
    rule: CLTV_CAC_RULE,
  };
}
