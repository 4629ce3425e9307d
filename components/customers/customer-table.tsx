import Link from "next/link";
import { formatCount, formatDate, formatMoney, fullName } from "@/components/format";
import type { CustomerListRow } from "@/lib/customers/list-customers";
import type { ListCustomersQuery } from "@/lib/customers/schemas";

export type SortKey = ListCustomersQuery["sort"];

export function CustomerTable({
  rows,
  currency,
  sort,
  dir,
  sortHref,
}: {
  rows: CustomerListRow[];
  currency: string;
  sort: SortKey;
  dir: "asc" | "desc";
  sortHref: (key: SortKey) => string;
}) {
  const header = (key: SortKey, label: string, numeric = false) => (
    <th scope="col" aria-sort={sort === key ? (dir === "asc" ? "ascending" : "descending") : "none"} className={numeric ? "px-4 py-2 text-right" : "px-4 py-2 text-left"}>
      <Link href={sortHref(key)} className="inline-flex items-center gap-1 font-medium text-slate-700 hover:text-slate-900">
        {label}
        <span aria-hidden className="text-xs text-slate-400">
          {sort === key ? (dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Customers</caption>
        <thead className="bg-slate-50">
          <tr>
            {header("name", "Name")}
            {header("email", "Email")}
            {header("orders", "Orders", true)}
            {header("spent", "Spent (net)", true)}
            {header("last_order", "Last order")}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((c) => (
            <tr key={c.id} className="hover:bg-slate-50">
              <td className="px-4 py-2">
                <Link href={`/customers/${c.id}`} className="font-medium text-brand-700 hover:underline">
                  {fullName(c)}
                </Link>
                {c.externalId && <span className="ml-2 text-xs text-slate-400">{c.externalId}</span>}
              </td>
              <td className="px-4 py-2 text-slate-700">{c.email ?? "—"}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatCount(c.orders)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatMoney(c.spentMinor, currency)}</td>
              <td className="px-4 py-2 text-slate-700">{formatDate(c.lastOrderAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
