// The shop's retention of raw events per purpose, set by an owner in Settings.
import { eq } from "drizzle-orm";
import { shops } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { RetentionSchema, type Retention } from "../privacy/purge-expired";
import { fieldErrors } from "./schemas";

export async function updateRetention(tx: ShopTx, input: Record<keyof Retention, unknown>): Promise<Retention> {
  const parsed = RetentionSchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", "The retention was not saved.", { fields: fieldErrors(parsed.error) });
  const shopId = await currentShopId(tx);
  const [row] = await tx
    .update(shops)
    .set({
      retentionMarketingMonths: parsed.data.marketingMonths,
      retentionPersonalizationMonths: parsed.data.personalizationMonths,
      retentionMonths: parsed.data.otherMonths,
    })
    .where(eq(shops.id, shopId))
    .returning({ marketingMonths: shops.retentionMarketingMonths, personalizationMonths: shops.retentionPersonalizationMonths, otherMonths: shops.retentionMonths });
  if (!row) throw new AppError("not_found", "Shop not found");
  return row;
}
