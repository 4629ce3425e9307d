// Formatting for display. Amounts stay in integer minor units until they reach this file.
export function formatMoney(minor: number, currency = "EUR", options: { compact?: boolean } = {}): string {
  return new Intl.NumberFormat("en-GB", {
    style: "currency",
    currency,
    notation: options.compact ? "compact" : "standard",
    maximumFractionDigits: options.compact ? 1 : 2,
  }).format(minor / 100);
}

export const formatCount = (n: number) => new Intl.NumberFormat("en-GB").format(n);

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
