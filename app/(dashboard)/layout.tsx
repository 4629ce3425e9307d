import { requireShop } from "@/app/_server/require-shop";
import { Nav } from "@/components/shell/nav";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { signOutAction } from "../(auth)/actions";
import { switchShopAction } from "./shop-actions";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireShop();
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-slate-200 bg-white px-3 py-4 md:sticky md:top-0 md:h-screen md:w-56 md:shrink-0 md:border-b-0 md:border-r">
        <p className="mb-4 px-3 text-lg font-semibold tracking-tight text-brand-700">Regulars</p>
        <Nav />
      </aside>
      <div className="min-w-0 flex-1">
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white px-6 py-3">
          <div className="flex items-center gap-2">
            {ctx.shops.length > 1 ? (
              <form action={switchShopAction} className="flex items-center gap-2">
                <label htmlFor="shop-switch" className="sr-only">
                  Shop
                </label>
                <select id="shop-switch" name="shopId" defaultValue={ctx.shopId} className="rounded-lg border border-slate-300 px-2 py-1 text-sm">
                  {ctx.shops.map((s) => (
                    <option key={s.shopId} value={s.shopId}>
                      {s.name}
                    </option>
                  ))}
                </select>
                <Button type="submit" variant="secondary" className="py-1">
                  Switch
                </Button>
              </form>
            ) : (
              <span className="font-medium text-slate-800">{ctx.shopName}</span>
            )}
            <Badge tone={ctx.role === "owner" ? "green" : "blue"}>{ctx.role}</Badge>
          </div>
          <div className="flex items-center gap-3 text-sm text-slate-600">
            <span>{ctx.email}</span>
            <form action={signOutAction}>
              <Button type="submit" variant="ghost">
                Sign out
              </Button>
            </form>
          </div>
        </header>
        <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
      </div>
    </div>
  );
}
