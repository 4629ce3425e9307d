import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export function KpiCard({ label, value, detail }: { label: string; value: string; detail: React.ReactNode }) {
  return (
    <Card aria-label={label}>
      <p className="text-sm font-medium text-slate-600">{label}</p>
      <p className="mt-2 text-3xl font-semibold tabular-nums tracking-tight text-slate-900" data-testid={`kpi-${label.toLowerCase().replace(/\s+/g, "-")}`}>
        {value}
      </p>
      <p className="mt-1 text-xs text-slate-500">{detail}</p>
    </Card>
  );
}

export function KpiSkeleton() {
  return (
    <Card>
      <Skeleton className="h-4 w-24" />
      <Skeleton className="mt-3 h-8 w-32" />
      <Skeleton className="mt-2 h-3 w-40" />
    </Card>
  );
}
