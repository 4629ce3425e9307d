import Link from "next/link";
import { cn } from "./cn";

export function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  const link = (p: number, label: string, rel?: string) => {
    const disabled = p < 1 || p > pages || p === page;
    return disabled ? (
      <span className="rounded-lg px-3 py-1.5 text-slate-400" aria-disabled="true">
        {label}
      </span>
    ) : (
      <Link href={href(p)} rel={rel} className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-slate-700 hover:bg-slate-50">
        {label}
      </Link>
    );
  };
  return (
    <nav aria-label="Pagination" className={cn("flex items-center justify-between gap-2 text-sm")}>
      {link(page - 1, "Previous", "prev")}
      <span className="text-slate-600">
        Page {page} of {pages}
      </span>
      {link(page + 1, "Next", "next")}
    </nav>
  );
}
