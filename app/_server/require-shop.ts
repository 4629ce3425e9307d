// Who is asking and for which shop. Every dashboard page and every server action starts here:
// an action is a public POST endpoint whatever the page around it shows. Route handlers under
// /api use findShopContext (app/api/with-session.ts) and answer 401 instead of redirecting.
import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { withUser } from "@/lib/db/tenant";
import { AppError } from "@/lib/errors";
import { listUserShops } from "@/lib/shops/list-user-shops";
import type { Role } from "@/lib/shops/schemas";

export const SHOP_COOKIE = "regulars_shop";

export interface ShopContext {
  userId: string;
  email: string;
  shopId: string;
  shopName: string;
  role: Role;
  shops: { shopId: string; name: string; role: Role }[];
}

/** The signed-in person, or null (no session, or one that was ended). */
export async function currentUser(): Promise<{ id: string; email: string } | null> {
  const session = await auth();
  const id = session?.user?.id;
  return id ? { id, email: session.user?.email ?? "" } : null;
}

export async function requireUser() {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

/**
 * The person's current shop (the one the shop cookie names, else their first); null when they
 * belong to none. With role "owner", viewers are refused.
 */
export async function shopContextFor(user: { id: string; email: string }, options: { role?: Role } = {}): Promise<ShopContext | null> {
  const shops = await withUser(user.id, listUserShops);
  if (shops.length === 0) return null;
  const wanted = (await cookies()).get(SHOP_COOKIE)?.value;
  const current = shops.find((s) => s.shopId === wanted) ?? shops[0]!;
  if (options.role === "owner" && current.role !== "owner") {
    throw new AppError("forbidden", "Only an owner of this shop can change this.");
  }
  return { userId: user.id, email: user.email, shopId: current.shopId, shopName: current.name, role: current.role, shops };
}

/** The signed-in person's current shop; with role "owner", viewers are refused. */
export async function requireShop(options: { role?: Role } = {}): Promise<ShopContext> {
  const ctx = await shopContextFor(await requireUser(), options);
  if (!ctx) redirect("/signup?reason=no-shop");
  return ctx;
}
