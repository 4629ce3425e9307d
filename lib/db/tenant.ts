// The one door to tenant data. A transaction switches to the non-superuser role regulars_app and
// sets the shop id that the FORCED row-level security policies compare against, so a query that
// forgets its shop sees nothing and another shop's row is simply not there.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { notFound } from "../errors";
import { getDatabase, queryRows, type Database, type Tx } from "./client";

declare const shopScope: unique symbol;
declare const userScope: unique symbol;

/** A transaction scoped to one shop. Tenant functions in lib/ take it as their first argument. */
export type ShopTx = Tx & { readonly [shopScope]: true };
/** A transaction scoped to one signed-in person: their memberships and shops, nothing else. */
export type UserTx = Tx & { readonly [userScope]: true };

const Uuid = z.uuid();
type Setting = "regulars.shop_id" | "regulars.user_id" | "regulars.api_key_hash" | "regulars.invitation_token_hash" | "regulars.scope";

async function applyScope(tx: Tx, setting: Setting, id: string): Promise<void> {
  await tx.execute(sql`select set_config(${setting}, ${id}, true)`);
  await tx.execute(sql`set local role regulars_app`);
}

async function scoped<T>(database: Database | undefined, setting: Setting, id: string, fn: (tx: Tx) => Promise<T>) {
  const { db } = database ?? (await getDatabase());
  return db.transaction(async (tx) => {
    await applyScope(tx, setting, id);
    return fn(tx);
  });
}

export async function withShop<T>(shopId: string, fn: (tx: ShopTx) => Promise<T>, database?: Database): Promise<T> {
  // A malformed id cannot name any shop; answering not_found keeps it indistinguishable from another shop's.
  if (!Uuid.safeParse(shopId).success) throw notFound("Shop");
  return scoped(database, "regulars.shop_id", shopId, fn as (tx: Tx) => Promise<T>);
}

export async function withUser<T>(userId: string, fn: (tx: UserTx) => Promise<T>, database?: Database): Promise<T> {
  if (!Uuid.safeParse(userId).success) throw notFound("User");
  return scoped(database, "regulars.user_id", userId, fn as (tx: Tx) => Promise<T>);
}

/** A transaction that may read only the API key with the given hash (before its shop is known). */
export async function withApiKeyHash<T>(keyHash: string, fn: (tx: Tx) => Promise<T>, database?: Database): Promise<T> {
  return scoped(database, "regulars.api_key_hash", keyHash, fn);
}

/** A transaction that may read only the invitation with the given token hash, and its shop's name. */
export async function withInvitationToken<T>(tokenHash: string, fn: (tx: Tx) => Promise<T>, database?: Database): Promise<T> {
  return scoped(database, "regulars.invitation_token_hash", tokenHash, fn);
}

/** A transaction that may list shops (to find those due for a scheduled refresh), and read nothing else. */
export async function withShopScheduler<T>(fn: (tx: Tx) => Promise<T>, database?: Database): Promise<T> {
  return scoped(database, "regulars.scope", "shop_scheduler", fn);
}

/**
 * Scopes an already open transaction to a shop from here on. Only for use cases that must write
 * account rows (users) and tenant rows atomically, such as sign-up.
 */
export async function scopeToShop(tx: Tx, shopId: string): Promise<ShopTx> {
  await applyScope(tx, "regulars.shop_id", shopId);
  return tx as ShopTx;
}

/** The shop a scoped transaction belongs to, as the database sees it. */
export async function currentShopId(tx: ShopTx): Promise<string> {
  const [row] = await queryRows<{ id: string }>(tx, sql`select regulars_current_shop()::text as id`);
  if (!row?.id) throw new Error("Transaction is not scoped to a shop");
  return row.id;
}
