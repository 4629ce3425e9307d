// The Overview's headline figures as words and numbers, from the shop's metrics: each card's value,
// the n it rests on, its interval, a plain verdict or caveat, which way it moved, how it is
// computed — or, without data, what to do to get some. The page and `regulars metrics` print the
// same cards, so the two never word a figure differently.
import { formatCount, formatMoney } from "../format";
import type { ShopMetrics } from "./get-shop-metrics";
import type { Figure } from "./metric-result";
import { addMonths } from "./metrics-range";
import { CLTV_CAC_RULE, type CltvCacVerdict } from "./summarize-acquisition-cost";
import type { PredictedCltv } from "./summarize-customer-value";
import { wilsonInterval } from "./stats/wilson-interval";

export type CardKey = "predicted_cltv" | "cac" | "cltv_cac" | "nps" | "opt_out_rate" | "consent_rate" | "campaign_revenue" | "repeat_rate";

export interface OverviewCard {
  key: CardKey;
  label: string;
  /** Absent when there is no data: `empty` says how to get some. */
  value?: string;
  n?: string;
  interval?: string;
  note?: { text: string; tone: "good" | "warn" | "bad" | "neutral" };
  trend?: { text: string; direction: "up" | "down" | "flat" };
  /** "How is this computed", in plain words. */
  explain: string;
  empty?: { text: string; href: string; action: string };
}

const monthName = (m: string) => new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${m}-01T00:00:00Z`));
/** A share as a percentage, with one decimal below 10 % (opt-out rates live there). */
export const percent = (x: number) => `${(x * 100).toLocaleString("en-GB", { maximumFractionDigits: Math.abs(x) < 0.1 ? 1 : 0 })} %`;
const signed = (x: number, text: string) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${text}`;
const direction = (d: number, flat = 0): "up" | "down" | "flat" => (Math.abs(d) <= flat ? "flat" : d > 0 ? "up" : "down");

function emptyOf<T>(figure: Figure<T>, href: string, action: string): OverviewCard["empty"] | undefined {
  return figure.status === "no_data" ? { text: figure.hint, href, action } : undefined;
}

/**
 * The latest two whole months that have a value, newest last. The current month is left out: a
 * few days of it against a whole month is a change of length, not of the figure.
 */
function lastTwo<T extends { month: string }>(items: readonly T[], currentMonth: string, valueOf: (t: T) => number | null): { prev: T; last: T; d: number } | null {
  const having = items.filter((i) => i.month !== currentMonth && valueOf(i) !== null);
  if (having.length < 2) return null;
  const [prev, last] = having.slice(-2) as [T, T];
  return { prev, last, d: valueOf(last)! - valueOf(prev)! };
}

function predictedCard(m: ShopMetrics): OverviewCard {
  const currency = m.shop.currency;
  const p = m.customerValue.overall.predicted;
  const explain =
    "For each customer the purchase model (BG/NBD) predicts how many orders they will place in the next 12 months and the spend model (Gamma-Gamma) what each will be worth; " +
    "times your margin, discounted monthly, averaged over the customers scored at the last segment refresh. The interval comes from refitting the model on resampled customers.";
  if (p.status === "no_data") return { key: "predicted_cltv", label: "Predicted CLTV", explain, empty: emptyOf(p, "/segments", "Refresh predictions") };
  // Trend: customers acquired in the last three months of the range against those before them.
  const recentFrom = addMonths(m.range.to, -2);
  const pool = (pick: (cohort: string) => boolean) => {
    let value = 0, n = 0;
    for (const g of m.customerValue.byCohort) {
      if (!pick(g.key) || g.predicted.status !== "ok") continue;
      value += (g.predicted as PredictedCltv).cltvMinor * g.predicted.n;
      n += g.predicted.n;
    }
    return n > 0 ? value / n : null;
  };
  const recent = pool((c) => c >= recentFrom);
  const before = pool((c) => c < recentFrom);
  const historical = m.customerValue.overall.historical;
  return {
    key: "predicted_cltv",
    label: "Predicted CLTV",
    value: formatMoney(p.cltvMinor, currency),
    n: `n = ${formatCount(p.n)} customers`,
    interval: p.interval ? `${Math.round(p.interval.level * 100)} % interval ${formatMoney(p.interval.low, currency)} to ${formatMoney(p.interval.high, currency)}` : undefined,
    note: { text: `margin over the next ${p.horizonMonths} months${historical.status === "ok" ? `; ${formatMoney(historical.cltvMinor, currency)} earned to date` : ""}`, tone: "neutral" },
    trend: recent !== null && before !== null
      ? { text: `${formatMoney(Math.round(recent), currency)} for customers new since ${monthName(recentFrom)}, ${formatMoney(Math.round(before), currency)} before`, direction: direction(recent - before, 0.02 * before) }
      : undefined,
    explain,
  };
}

function cacCard(m: ShopMetrics): OverviewCard {
  const currency = m.shop.currency;
  const c = m.acquisition.overall.cac;
  const explain = "What you spent on marketing in these months (entered or imported per channel and month) divided by the customers whose first order fell in those months.";
  if (c.status === "no_data") return { key: "cac", label: "Acquisition cost (CAC)", explain, empty: emptyOf(c, "/imports/new", "Import spend") };
  const t = lastTwo(m.acquisition.byMonth, m.currentMonth, (x) => (x.cac.status === "ok" ? x.cac.cacMinor : null));
  return {
    key: "cac",
    label: "Acquisition cost (CAC)",
    value: formatMoney(c.cacMinor, currency),
    n: `n = ${formatCount(c.n)} new customers`,
    note: { text: `${formatMoney(c.spendMinor, currency)} spent; an exact ratio, not an estimate`, tone: "neutral" },
    trend: t ? { text: `${formatMoney(t.last.cac.status === "ok" ? t.last.cac.cacMinor : 0, currency)} in ${monthName(t.last.month)}, ${formatMoney(t.prev.cac.status === "ok" ? t.prev.cac.cacMinor : 0, currency)} in ${monthName(t.prev.month)}`, direction: direction(t.d) } : undefined,
    explain,
  };
}

const VERDICT_WORDS: Record<CltvCacVerdict, { text: string; tone: "good" | "warn" | "bad" }> = {
  healthy: { text: "healthy", tone: "good" },
  thin: { text: "thin margin for the cost", tone: "warn" },
  losing_money: { text: "losing money on each new customer", tone: "bad" },
};

function cltvCacCard(m: ShopMetrics): OverviewCard {
  const r = m.acquisition.overall.cltvToCac;
  const payback = m.acquisition.overall.payback;
  const explain = `The margin your new customers have brought in so far (per customer) divided by what it cost to win each. ${CLTV_CAC_RULE} It grows as customers keep buying; payback is the months of their margin it takes to earn the cost back.`;
  if (r.status === "no_data") return { key: "cltv_cac", label: "CLTV : CAC", explain, empty: emptyOf(r, "/imports/new", "Import spend") };
  const channels = m.acquisition.byChannel.filter((c) => c.cltvToCac.status === "ok");
  const best = channels.sort((a, b) => (b.cltvToCac.status === "ok" ? b.cltvToCac.ratio : 0) - (a.cltvToCac.status === "ok" ? a.cltvToCac.ratio : 0))[0];
  return {
    key: "cltv_cac",
    label: "CLTV : CAC",
    value: `${r.ratio.toLocaleString("en-GB", { maximumFractionDigits: 1, minimumFractionDigits: 1 })} : 1`,
    n: m.acquisition.overall.cac.status === "ok" ? `n = ${formatCount(m.acquisition.overall.cac.n)} new customers` : undefined,
    interval: payback.status === "ok" ? `payback ${payback.months.toLocaleString("en-GB", { maximumFractionDigits: 1 })} months` : undefined,
    note: VERDICT_WORDS[r.verdict],
    trend: best && channels.length > 1 && best.cltvToCac.status === "ok" ? { text: `best channel: ${best.channel} at ${best.cltvToCac.ratio.toFixed(1)} : 1`, direction: "flat" } : undefined,
    explain,
  };
}

function npsCard(m: ShopMetrics): OverviewCard {
  const o = m.nps.overall;
  const explain =
    "Share of answers 9–10 (promoters) minus share 0–6 (detractors), from −100 to 100, over the survey answers in these months. " +
    "The standard error comes from the three shares; the interval is ±1.96 standard errors. Below 30 answers the figure is rough.";
  if (!o.score.enough) {
    return {
      key: "nps", label: "NPS", explain,
      empty: { text: o.n === 0 ? "No survey answers in these months: switch on the post-purchase survey (Settings → Automations); customers who allow surveys get a one-question link." : o.score.reason, href: "/settings", action: "Switch on the survey" },
    };
  }
  const t = lastTwo(m.nps.byMonth, m.currentMonth, (x) => (x.score.enough ? x.score.nps : null));
  return {
    key: "nps",
    label: "NPS",
    value: String(Math.round(o.score.nps)),
    n: `n = ${formatCount(o.n)} answers`,
    interval: `95 % interval ${Math.round(o.score.ci95[0])} to ${Math.round(o.score.ci95[1])}`,
    note: o.rough ? { text: "rough: fewer than 30 answers", tone: "warn" } : { text: `${formatCount(o.promoters)} promoters, ${formatCount(o.detractors)} detractors`, tone: "neutral" },
    trend: t ? { text: `${signed(t.d, String(Math.abs(Math.round(t.d))))} in ${monthName(t.last.month)} against ${monthName(t.prev.month)} (n = ${t.last.n} and ${t.prev.n})`, direction: direction(t.d, 0.5) } : undefined,
    explain,
  };
}

function optOutCard(m: ShopMetrics): OverviewCard {
  const o = m.optOuts.total;
  const explain = `People who used a message's one-click unsubscribe, divided by the messages delivered, for messages sent in these months. The interval is Wilson's. ${m.optOuts.guardrail.sentence}`;
  if (!o.rate.enough) {
    return { key: "opt_out_rate", label: "Opt-out rate", explain, empty: { text: "No messages delivered in these months: send a campaign and its opt-outs are counted here.", href: "/campaigns/new", action: "Write a campaign" } };
  }
  const t = lastTwo(m.optOuts.byMonth, m.currentMonth, (x) => (x.rate.enough ? x.rate.rate : null));
  return {
    key: "opt_out_rate",
    label: "Opt-out rate",
    value: percent(o.rate.rate),
    n: `n = ${formatCount(o.delivered)} delivered, ${formatCount(o.optOuts)} opted out`,
    interval: `95 % interval ${percent(o.rate.ci95[0])} to ${percent(o.rate.ci95[1])}`,
    note: o.overGuardrail
      ? { text: `above the guardrail of ${percent(m.optOuts.guardrail.rate)}`, tone: "bad" }
      : { text: `guardrail at ${percent(m.optOuts.guardrail.rate)}${m.optOuts.complaints.total > 0 ? `; ${formatCount(m.optOuts.complaints.total)} complaints` : ""}`, tone: "good" },
    trend: t ? { text: `${percent(t.last.rate.enough ? t.last.rate.rate : 0)} in ${monthName(t.last.month)}, ${percent(t.prev.rate.enough ? t.prev.rate.rate : 0)} in ${monthName(t.prev.month)}`, direction: direction(t.d, 0.0005) } : undefined,
    explain,
  };
}

function consentCard(m: ShopMetrics): OverviewCard {
  const explain =
    "Customers with an email marketing grant in force at the end of the month, divided by the customers known by then (erased ones left out). Replayed from the consent log, so a past month shows what held then.";
  const months = m.consentRate.filter((x) => x.customers > 0);
  const last = months.at(-1);
  if (!last) return { key: "consent_rate", label: "Consent rate (email)", explain, empty: { text: "No customers yet: import customers and their consent (Imports).", href: "/imports/new", action: "Import customers" } };
  const rate = last.channels.email.rate ?? 0;
  const n = last.customers;
  const w = wilsonInterval(last.channels.email.granted, n);
  const first = months[0]!;
  const d = rate - (first.channels.email.rate ?? 0);
  return {
    key: "consent_rate",
    label: "Consent rate (email)",
    value: percent(rate),
    n: `n = ${formatCount(n)} customers`,
    interval: w.enough ? `95 % interval ${percent(w.ci95[0])} to ${percent(w.ci95[1])}` : undefined,
    note: { text: `${formatCount(last.channels.email.granted)} allow email; ${formatCount(last.channels.sms.granted)} allow text messages`, tone: "neutral" },
    trend: first !== last ? { text: `${percent(first.channels.email.rate ?? 0)} at the end of ${monthName(first.month)}`, direction: direction(d, 0.001) } : undefined,
    explain,
  };
}

function campaignRevenueCard(m: ShopMetrics): OverviewCard {
  const currency = m.shop.currency;
  const r = m.campaignRevenue;
  const explain =
    "For each campaign: what its messaged customers bought within the attribution window, minus what its holdout (customers picked at random not to be sent) bought per customer, times the customers messaged. " +
    "Added over campaigns; the interval is the 95 % normal interval of that sum. Only the holdout tells what the messages caused.";
  if (r.status === "no_data") return { key: "campaign_revenue", label: "Revenue from campaigns", explain, empty: { text: r.hint, href: "/campaigns/new", action: "Write a campaign" } };
  const significant = r.interval.low > 0 || r.interval.high < 0;
  return {
    key: "campaign_revenue",
    label: "Revenue from campaigns",
    value: `${r.incrementalMinor >= 0 ? "+" : "−"}${formatMoney(Math.abs(r.incrementalMinor), currency)}`,
    n: `n = ${formatCount(r.n.messaged)} messaged, ${formatCount(r.n.holdout)} held out`,
    interval: `95 % interval ${formatMoney(r.interval.low, currency)} to ${formatMoney(r.interval.high, currency)}`,
    note: significant
      ? { text: `against the holdout; ${formatMoney(r.messagedRevenueMinor, currency)} bought by messaged customers in ${r.attributionDays} days`, tone: r.incrementalMinor > 0 ? "good" : "bad" }
      : { text: "cannot be told from no effect yet (the interval includes zero)", tone: "warn" },
    trend: { text: `${formatCount(r.compared)} of ${formatCount(r.campaigns)} campaigns compared with a holdout`, direction: "flat" },
    explain,
  };
}

function repeatCard(m: ShopMetrics): OverviewCard {
  const r = m.retention.repeatRate;
  const explain = "Customers acquired in these months who ordered more than once (so far), divided by all of them. The interval is Wilson's.";
  if (r.status === "no_data") return { key: "repeat_rate", label: "Repeat-purchase rate", explain, empty: { text: r.hint, href: "/imports/new", action: "Import orders" } };
  return {
    key: "repeat_rate",
    label: "Repeat-purchase rate",
    value: percent(r.rate),
    n: `n = ${formatCount(r.n)} customers`,
    interval: `95 % interval ${percent(r.interval.low)} to ${percent(r.interval.high)}`,
    note: { text: `${formatCount(r.count)} came back`, tone: "neutral" },
    explain,
  };
}

export function overviewCards(m: ShopMetrics): OverviewCard[] {
  return [predictedCard(m), cacCard(m), cltvCacCard(m), npsCard(m), optOutCard(m), consentCard(m), campaignRevenueCard(m), repeatCard(m)];
}

/** The cards as lines of text, for the terminal. */
export function overviewCardsText(cards: readonly OverviewCard[]): string {
  return cards
    .map((c) =>
      c.value === undefined
        ? `${c.label}: no data yet. ${c.empty?.text ?? ""}`
        : [`${c.label}: ${c.value}`, [c.n, c.interval].filter(Boolean).join("; "), c.note?.text, c.trend?.text].filter(Boolean).join("\n  "),
    )
    .join("\n");
}
