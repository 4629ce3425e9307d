"use server";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { requireShop, SHOP_COOKIE } from "@/app/_server/require-shop";

export async function switchShopAction(form: FormData): Promise<void> {
  const ctx = await requireShop();
  const wanted = form.get("shopId");
  // Only a shop the person belongs to can be chosen; anything else is ignored.
  if (typeof wanted === "string" && ctx.shops.some((s) => s.shopId === wanted)) {
    (await cookies()).set(SHOP_COOKIE, wanted, { httpOnly: true, sameSite: "lax", secure: process.env.APP_URL?.startsWith("https:") ?? false, path: "/" });
  }
  redirect("/");
}
