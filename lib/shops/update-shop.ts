import { eq } from "drizzle-orm";
import { shops } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { fieldErrors, UpdateShopSchema, type UpdateShopInput } from "./schemas";
import type { Shop } from "./get-shop";
import { clearMetricsSnapshots } from "../metrics/metrics-snapshots";

export async function updateShop(tx: ShopTx, input: UpdateShopInput): Promise<Shop> {
  const parsed = UpdateShopSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", "The settings were not saved.", { fields: fieldErrors(parsed.error) });
  const { name, currency, country, timeZone, marginPct, attributionDays } = parsed.data;
  const shopId = await currentShopId(tx);
  const [shop] = await tx
    .update(shops)
    .set({ name, currency, timeZone, marginBp: Math.round(marginPct * 100), ...(country !== undefined ? { country } : {}), ...(attributionDays !== undefined ? { attributionDays } : {}) })
    .where(eq(shops.id, shopId))
    .returning();
  if (!shop) throw new AppError("not_found", "Shop not found");
  // Margin, currency, time zone and attribution window all enter the Overview's figures.
  await clearMetricsSnapshots(tx);
  return shop;
}
