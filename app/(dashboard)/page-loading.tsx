// The skeleton a dashboard page shows while it loads. It is used only by pages that cannot answer
// "not found": a loading boundary starts the answer (as 200) before the page has run, so above
// customers/[id], segments/[id] or imports/new it would turn their 404 into a 200.
import { Skeleton } from "@/components/ui/skeleton";

export function PageLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <Skeleton className="h-8 w-48" />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-28" />
        ))}
      </div>
      <Skeleton className="h-72" />
    </div>
  );
}
