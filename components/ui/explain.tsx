// "How is this computed": a small disclosure next to a figure with the formula in plain words.
// <details> opens with a click, a tap or the keyboard and needs no script, so it works in the
// server-rendered page before hydration and for anyone without a pointer.
import { cn } from "./cn";

export function Explain({ children, label = "How is this computed?", className }: { children: React.ReactNode; label?: string; className?: string }) {
  return (
    <details className={cn("group relative inline-block text-left", className)}>
      <summary className="cursor-pointer list-none rounded text-xs text-brand-700 underline decoration-dotted underline-offset-2 hover:text-brand-800 focus-visible:outline-2 focus-visible:outline-brand-600 [&::-webkit-details-marker]:hidden">
        {label}
      </summary>
      <div className="absolute left-0 z-20 mt-1 w-72 rounded-lg border border-slate-200 bg-white p-3 text-xs leading-relaxed text-slate-700 shadow-lg">
        {children}
      </div>
    </details>
  );
}
