// Formatting for display. Money and counts come from lib/format.ts so reasons and pages agree.
export { formatCount, formatMoney, formatPercent } from "@/lib/format";

export function formatDate(d: Date | string | null | undefined, timeZone = "UTC"): string {
  if (!d) return "—";
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone }).format(new Date(d));
}

export function formatDateTime(d: Date | string | null | undefined, timeZone = "UTC"): string {
  if (!d) return "—";
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(d));
}

export function fullName(c: { firstName: string | null; lastName: string | null; email?: string | null }): string {
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ");
  return name || c.email || "Unnamed customer";
}

/** "just now", "12 minutes ago", "3 hours ago", "2 days ago". */
export function timeAgo(d: Date | string, now = new Date()): string {
  const minutes = Math.round((now.getTime() - new Date(d).getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  return `${Math.round(hours / 24)} days ago`;
}
