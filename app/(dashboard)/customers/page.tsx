import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { loadShop, loadValueCharts } from "@/app/_server/loaders";
import { ValueCharts } from "@/components/segments/value-charts";
import { CustomerTable, type SortKey } from "@/components/customers/customer-table";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { listCustomers } from "@/lib/customers/list-customers";
import { withShop } from "@/lib/db/tenant";

export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { shopId } = await requireShop();
  const params = await searchParams;
  const [shop, list, charts] = await Promise.all([loadShop(shopId), withShop(shopId, (tx) => listCustomers(tx, params)), loadValueCharts(shopId)]);
  const { q, sort, dir, page } = list.query;
  const href = (over: Record<string, string | number>) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries({ q, sort, dir, page, ...over })) if (v !== "" && v !== undefined) sp.set(k, String(v));
    return `/customers?${sp}`;
  };
  const sortHref = (key: SortKey) => href({ sort: key, dir: sort === key && dir === "desc" ? "asc" : "desc", page: 1 });

  return (
    <>
      <PageHeader title="Customers" description={`${formatCount(list.total)} ${q ? `matching “${q}”` : "customers"}`} />
      <form role="search" action="/customers" className="mb-4 flex gap-2">
        <label htmlFor="customer-search" className="sr-only">
          Search customers
        </label>
        <input
          id="customer-search"
          type="search"
          name="q"
          defaultValue={q}
          placeholder="Search by name, email, phone or id"
          className="w-full max-w-md rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
        />
        <input type="hidden" name="sort" value={sort} />
        <input type="hidden" name="dir" value={dir} />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {list.rows.length === 0 ? (
        <EmptyState title={q ? "No customers match" : "No customers yet"}>
          {q ? "Try part of a name or email address." : "Import your customers (Imports) or connect your store through the API."}
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <CustomerTable rows={list.rows} currency={shop.currency} sort={sort} dir={dir} sortHref={sortHref} />
          <Pagination page={page} pages={list.pages} href={(p) => href({ page: p })} />
        </div>
      )}
      {list.total > 0 && (
        <section aria-label="Customer value" className="mt-8">
          <ValueCharts data={charts} currency={shop.currency} compact />
        </section>
      )}
    </>
  );
}
