/** A labelled progress bar; value is 0..1, or null while the total is unknown. */
export function ProgressBar({ label, value }: { label: string; value: number | null }) {
  const pct = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        {pct !== null && <span>{pct} %</span>}
      </div>
      <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct ?? undefined} className="h-2 overflow-hidden rounded-full bg-slate-200">
        <div className={pct === null ? "h-full w-1/3 animate-pulse bg-brand-500" : "h-full bg-brand-500 transition-[width]"} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
    </div>
  );
}
