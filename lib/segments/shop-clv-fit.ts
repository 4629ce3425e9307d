// `regulars clv fit --shop ID`: the same fit as for a summary file, on the shop's own orders. Time
// is in weeks (as in the published models); a customer is named by the shop's id for them, or by
// Regulars' id when the shop has none; monetary value is the mean spend per repeat purchase day in
// major units of the shop's currency.
import { isNotNull } from "drizzle-orm";
import { customers } from "../db/schema";
import { AppError } from "../errors";
import type { ShopTx } from "../db/tenant";
import { fitSummary, type ClvFitResult } from "../predict/fit-summary";
import { getShop } from "../shops/get-shop";
import { loadCustomerHistories } from "./customer-history";
import { MIN_REPEAT_CUSTOMERS, observation, tooFewRepeatCustomers } from "./shop-value-model";

export async function fitShopClv(tx: ShopTx, options: { horizon?: number; now?: Date } = {}): Promise<ClvFitResult & { timeUnit: "weeks"; currency: string }> {
  const shop = await getShop(tx);
  const history = await loadCustomerHistories(tx, { timeZone: shop.timeZone, now: options.now ?? new Date() });
  const external = new Map(
    (await tx.select({ id: customers.id, externalId: customers.externalId }).from(customers).where(isNotNull(customers.externalId))).map((c) => [c.id, c.externalId!]),
  );
  const repeat = history.customers.filter((c) => c.purchaseDays > 1).length;
  if (repeat < MIN_REPEAT_CUSTOMERS) {
    // The same rule as the dashboard: a fit on a handful of repeat customers is confident nonsense.
    throw new AppError("invalid_input", tooFewRepeatCustomers(repeat));
  }
  const rows = history.customers.map((c) => ({
    id: external.get(c.customerId) ?? c.customerId,
    ...observation(c, history.today),
    monetaryValue: (c.repeatAverageMinor ?? 0) / 100,
  }));
  return { ...fitSummary(rows, { horizon: options.horizon }), timeUnit: "weeks", currency: shop.currency };
}
