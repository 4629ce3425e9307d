// Creates a shop with its first owner, an API key and a webhook secret, in one transaction: either
// the owner can sign in to a complete shop, or nothing was written.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDatabase, type Database } from "../db/client";
import { apiKeys, memberships, shops, users, webhookSecrets } from "../db/schema";
import { scopeToShop } from "../db/tenant";
import { AppError } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import { newApiKey, newWebhookSecret } from "./credentials";
import { CreateShopSchema, fieldErrors, type CreateShopInput } from "./schemas";

export interface CreatedShop {
  shopId: string;
  userId: string;
  apiKey: string;
  webhookSecret: string;
}

export async function createShop(
  input: CreateShopInput,
  options: { database?: Database; allowExistingOwner?: boolean } = {},
): Promise<CreatedShop> {
  const parsed = CreateShopSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid_input", "The shop could not be created.", { fields: fieldErrors(parsed.error) });
  }
  const { name, ownerEmail, ownerPassword, ownerName, currency, country, timeZone } = parsed.data;
  const { db } = options.database ?? (await getDatabase());
  const passwordHash = await hashPassword(ownerPassword);

  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, ownerEmail)).limit(1);
    let userId: string;
    if (existing) {
      // An existing person may open another shop only by proving it is them.
      const same = options.allowExistingOwner && existing.passwordHash && (await verifyPassword(ownerPassword, existing.passwordHash));
      if (!same) {
        throw new AppError("conflict", "An account with this email already exists.", {
          fields: [{ field: "ownerEmail", message: "This email is already registered. Sign in instead." }],
        });
      }
      userId = existing.id;
    } else {
      const [created] = await tx
        .insert(users)
        .values({ email: ownerEmail, name: ownerName ?? null, passwordHash })
        .onConflictDoNothing({ target: users.email })
        .returning({ id: users.id });
      if (!created) {
        throw new AppError("conflict", "An account with this email already exists.", {
          fields: [{ field: "ownerEmail", message: "This email is already registered. Sign in instead." }],
        });
      }
      userId = created.id;
    }

    const shopId = randomUUID();
    const scoped = await scopeToShop(tx, shopId);
    const key = newApiKey();
    const webhookSecret = newWebhookSecret();
    await scoped.insert(shops).values({ id: shopId, name, currency, country: country ?? null, timeZone });
    await scoped.insert(memberships).values({ shopId, userId, role: "owner" });
    await scoped.insert(apiKeys).values({ shopId, name: "Default key", prefix: key.prefix, keyHash: key.hash });
    await scoped.insert(webhookSecrets).values({ shopId, secret: webhookSecret });
    return { shopId, userId, apiKey: key.key, webhookSecret };
  });
}
