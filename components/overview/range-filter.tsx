// The Overview's date range and channel, kept in the URL (?from=2026-01&to=2026-06&channel=web) so
// a view can be bookmarked and shared. A plain GET form: it works before any script has loaded.
import Link from "next/link";
import { Button } from "@/components/ui/button";

export function RangeFilter({ from, to, channel, channels, presets }: { from: string; to: string; channel: string; channels: string[]; presets: { label: string; from: string; to: string }[] }) {
  const inputClass = "block rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm";
  const presetHref = (p: { from: string; to: string }) => `/?${new URLSearchParams({ from: p.from, to: p.to, ...(channel ? { channel } : {}) })}`;
  return (
    <form method="get" action="/" className="flex flex-wrap items-end gap-3" aria-label="Period and channel">
      <div>
        <label htmlFor="range-from" className="block text-xs font-medium text-slate-600">
          From
        </label>
        <input id="range-from" type="month" name="from" defaultValue={from} required className={inputClass} />
      </div>
      <div>
        <label htmlFor="range-to" className="block text-xs font-medium text-slate-600">
          To
        </label>
        <input id="range-to" type="month" name="to" defaultValue={to} required className={inputClass} />
      </div>
      <div>
        <label htmlFor="range-channel" className="block text-xs font-medium text-slate-600">
          Acquisition channel
        </label>
        <select id="range-channel" name="channel" defaultValue={channel} className={inputClass}>
          <option value="">All channels</option>
          {channels.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary">
        Apply
      </Button>
      <nav aria-label="Quick periods" className="flex gap-1 text-xs">
        {presets.map((p) => (
          <Link key={p.label} href={presetHref(p)} className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100" aria-current={p.from === from && p.to === to ? "true" : undefined}>
            {p.label}
          </Link>
        ))}
      </nav>
    </form>
  );
}
