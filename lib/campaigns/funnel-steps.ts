// The funnel an owner reads, from a run's counts per outcome (target-audience.ts): each step keeps
// who the previous one kept minus those it left out, so the steps add up to the decisions.
import type { Outcome, TargetingResult } from "./target-audience";

export interface FunnelStep {
  key: "segment" | "consented" | "within_caps" | "after_holdout" | "sent";
  label: string;
  customers: number;
  /** The reasons that left customers out at this step, with their counts. */
  leftOut: { outcome: Outcome; customers: number }[];
}

export function funnelSteps(funnel: Partial<TargetingResult["funnel"]>): FunnelStep[] {
  const n = (o: Outcome) => funnel[o] ?? 0;
  const out = (...os: Outcome[]) => os.map((outcome) => ({ outcome, customers: n(outcome) })).filter((x) => x.customers > 0);
  const considered = funnel.considered ?? 0;
  const consentOut = out("already_queued", "erased", "no_address", "suppressed", "no_consent");
  const consented = considered - consentOut.reduce((s, x) => s + x.customers, 0);
  const capsOut = out("contact_budget", "frequency_cap");
  const withinCaps = consented - capsOut.reduce((s, x) => s + x.customers, 0);
  const afterHoldout = withinCaps - n("holdout");
  return [
    { key: "segment", label: "In the segment", customers: considered, leftOut: [] },
    { key: "consented", label: "Consented and reachable", customers: consented, leftOut: consentOut },
    { key: "within_caps", label: "Within caps", customers: withinCaps, leftOut: capsOut },
    { key: "after_holdout", label: "After the holdout", customers: afterHoldout, leftOut: out("holdout") },
    { key: "sent", label: "Messages queued", customers: n("queued"), leftOut: [] },
  ];
}
