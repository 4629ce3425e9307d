// `regulars metrics` for a person at a terminal: the Overview's cards, then the range they cover.
import type { ShopMetrics } from "../lib/metrics/get-shop-metrics";
import { overviewCards, overviewCardsText } from "../lib/metrics/overview-cards";

export function metricsText(m: ShopMetrics): string {
  const scope = `${m.range.from} to ${m.range.to} (${m.shop.timeZone})${m.range.channel ? `, channel ${m.range.channel}` : ""}`;
  return `Figures for ${scope}\n\n${overviewCardsText(overviewCards(m))}`;
}
