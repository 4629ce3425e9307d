// Words and numbers as an owner or a customer reads them. Used by reason sentences in lib/ and by
// the pages (components/format.ts re-exports), so a figure reads the same everywhere.

// Building a formatter costs far more than using one, and a refresh formats 100,000 reasons.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** Amounts stay in integer minor units until they are formatted here. */
export function formatMoney(minor: number, currency = "EUR", options: { compact?: boolean } = {}): string {
  const compact = options.compact ?? false;
  return formatter(`money:${currency}:${compact}`, () =>
    new Intl.NumberFormat("en-GB", { style: "currency", currency, notation: compact ? "compact" : "standard", maximumFractionDigits: compact ? 1 : 2 }),
  ).format(minor / 100);
}

export const formatCount = (n: number) => formatter("count", () => new Intl.NumberFormat("en-GB")).format(n);

export const formatPercent = (p: number) => `${Math.round(p * 100)} %`;

/** "today", "1 day", "12 days", "5 weeks", "7 months", "2 years": rounded as people say it. */
export function describeDays(days: number): string {
  const d = Math.max(0, Math.round(days));
  if (d === 0) return "today";
  if (d < 14) return d === 1 ? "1 day" : `${d} days`;
  if (d < 63) return `${Math.round(d / 7)} weeks`;
  if (d < 730) return `${Math.round(d / 30.44)} months`;
  return `${Math.round(d / 365.25)} years`;
}

/** "12 days ago", "today". */
export const daysAgo = (days: number) => (Math.round(days) <= 0 ? "today" : `${describeDays(days)} ago`);

export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;
