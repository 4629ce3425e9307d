// The funnel (chart and table with the reasons each step left customers out) and the arms with the sample-ratio check.
import { CampaignFunnelChart } from "@/components/charts/campaign-funnel-chart";
import { Card, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { OUTCOME_WORDS } from "@/lib/campaigns/target-audience";
import type { FunnelStep } from "@/lib/campaigns/funnel-steps";

export interface FunnelProps {
  steps: FunnelStep[];
  arms: { holdout: number; variants: { id: string; key: string; customers: number }[] };
  sampleRatio: { pValue: number; mismatch: boolean } | null;
}

export function CampaignFunnel({ steps, arms, sampleRatio }: FunnelProps) {
  const eligible = arms.holdout + arms.variants.reduce((s, v) => s + v.customers, 0);
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card className="lg:col-span-2">
        <CardTitle>Funnel</CardTitle>
        <CampaignFunnelChart data={steps.map((s) => ({ label: s.label, customers: s.customers }))} />
        <table className="mt-3 w-full text-sm">
          <caption className="sr-only">Each step with the customers it left out and why</caption>
          <thead className="text-left text-slate-600"><tr><th scope="col" className="py-1 font-medium">Step</th><th scope="col" className="py-1 text-right font-medium">Customers</th><th scope="col" className="py-1 pl-4 font-medium">Left out</th></tr></thead>
          <tbody className="divide-y divide-slate-100">
            {steps.map((s) => (
              <tr key={s.key} data-testid={`funnel-${s.key}`}>
                <td className="py-1">{s.label}</td>
                <td className="py-1 text-right tabular-nums">{s.customers}</td>
                <td className="py-1 pl-4 text-slate-600">{s.leftOut.map((o) => `${o.customers} ${OUTCOME_WORDS[o.outcome]}`).join("; ") || "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card>
        <CardTitle>Arms</CardTitle>
        <ul className="mt-2 space-y-1 text-sm">
          <li className="flex justify-between"><span>Holdout (gets nothing)</span><span className="tabular-nums">{arms.holdout}</span></li>
          {arms.variants.map((v) => <li key={v.id} className="flex justify-between"><span>Variant {v.key}</span><span className="tabular-nums">{v.customers}</span></li>)}
        </ul>
        <p className="mt-1 text-xs text-slate-500">n = {eligible} eligible customers, split by a hash of campaign and customer.</p>
        <div className="mt-3 text-sm">
          {sampleRatio === null ? (
            <p className="text-slate-600">Sample-ratio check: too few customers to tell.</p>
          ) : sampleRatio.mismatch ? (
            <p><Badge tone="red">Sample-ratio mismatch</Badge> The split is off the asked shares (p = {sampleRatio.pValue.toPrecision(2)}); do not trust a comparison of these arms.</p>
          ) : (
            <p><Badge tone="green">Split as asked</Badge> <span className="text-slate-600">(sample-ratio check p = {sampleRatio.pValue.toPrecision(2)})</span></p>
          )}
        </div>
      </Card>
    </div>
  );
}
