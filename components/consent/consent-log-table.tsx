// The consent log's rows: who decided, when (UTC and shop time), how, under which policy text, and
// the row's place and hash in the chain. Takes rows; queries nothing.
import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { CopyButton } from "@/components/ui/copy-button";
import type { ConsentLogRow } from "@/lib/consent/list-consent-events";

const METHOD_LABELS: Record<string, string> = {
  checkout: "Checkout box",
  preference_page: "Preference page",
  one_click_unsubscribe: "One-click unsubscribe",
  import: "Import",
  api: "API",
  owner_on_behalf: "Owner, on the customer's behalf",
  gpc: "Browser privacy signal (GPC)",
};
export const methodLabel = (m: string) => METHOD_LABELS[m] ?? m;

const utc = (d: Date) => `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;

function actorText(r: ConsentLogRow): string {
  switch (r.actorType) {
    case "customer":
      return "the customer";
    case "owner":
      return r.actorEmail ? `owner ${r.actorEmail}` : "an owner";
    case "import":
      return "an import";
    default:
      return "a connected system";
  }
}

function evidenceText(r: ConsentLogRow): string | null {
  const e = r.evidence;
  if (r.method === "import" && typeof e.fileName === "string") return `${e.fileName}, row ${String(e.row)}${typeof e.column === "string" ? `, column “${e.column}”` : ""}`;
  if (r.method === "owner_on_behalf" && typeof e.note === "string") return `Note: ${e.note}`;
  if (r.method === "checkout" && typeof e.form === "string") return `Form: ${e.form}`;
  if (r.method === "one_click_unsubscribe" && typeof e.sendId === "string") return `From message ${e.sendId.slice(0, 8)}`;
  return null;
}

export function ConsentLogTable({ rows, timeZone }: { rows: ConsentLogRow[]; timeZone: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Consent events, newest first</caption>
        <thead className="bg-slate-50 text-left text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">When</th>
            <th scope="col" className="px-3 py-2 font-medium">Who</th>
            <th scope="col" className="px-3 py-2 font-medium">Decision</th>
            <th scope="col" className="px-3 py-2 font-medium">How</th>
            <th scope="col" className="px-3 py-2 font-medium">Policy</th>
            <th scope="col" className="px-3 py-2 font-medium">Chain</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {rows.map((r) => {
            const evidence = evidenceText(r);
            return (
              <tr key={r.id} className="hover:bg-slate-50">
                <td className="whitespace-nowrap px-3 py-2">
                  <span className="block text-slate-800">{formatDateTime(r.occurredAt, timeZone)}</span>
                  <span className="block text-xs text-slate-500">{utc(r.occurredAt)}</span>
                </td>
                <td className="px-3 py-2">
                  {r.customerErased ? (
                    <span className="text-slate-500">Erased customer</span>
                  ) : (
                    <Link href={`/customers/${r.customerId}`} className="font-medium text-brand-700 hover:underline">
                      {r.customerName ?? r.customerEmail ?? "Unnamed customer"}
                    </Link>
                  )}
                  <span className="block text-xs text-slate-500">by {actorText(r)}</span>
                </td>
                <td className="whitespace-nowrap px-3 py-2">
                  <Badge tone={r.action === "grant" ? "green" : "amber"}>{r.action === "grant" ? "granted" : "withdrew"}</Badge>
                  <span className="block text-xs text-slate-600">
                    {r.channel} · {r.purpose}
                  </span>
                </td>
                <td className="px-3 py-2">
                  <span className="block text-slate-800">{methodLabel(r.method)}</span>
                  {r.gpc && <span className="block text-xs text-slate-600">Sec-GPC: 1 honoured</span>}
                  {evidence && <span className="block max-w-xs truncate text-xs text-slate-600" title={evidence}>{evidence}</span>}
                  {r.page && <span className="block text-xs text-slate-500">page {r.page}</span>}
                  {r.requestId && <span className="block font-mono text-xs text-slate-500">request {r.requestId}</span>}
                </td>
                <td className="px-3 py-2">
                  {r.policyVersionId && r.policyVersion ? (
                    <>
                      <Link href={`/settings/policies/${r.policyVersionId}`} className="text-brand-700 hover:underline">
                        {r.policyVersion}
                      </Link>
                      <span className="block font-mono text-xs text-slate-500" title={r.policySha256 ?? undefined}>
                        {r.policySha256?.slice(0, 10)}
                      </span>
                    </>
                  ) : (
                    <span className="text-xs text-slate-500">none recorded</span>
                  )}
                </td>
                <td className="whitespace-nowrap px-3 py-2">
                  <span className="block text-xs text-slate-500">#{r.seq}</span>
                  <span className="flex items-center gap-1">
                    <code className="font-mono text-xs text-slate-700" title={r.hash}>
                      {r.hash.slice(0, 12)}…
                    </code>
                    <CopyButton text={r.hash} label={`Copy the hash of event ${r.seq}`} />
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
