// A campaign's results against its holdout, for the owner: each arm's customers and purchases,
// each variant's lift with its interval and p-value, the verdict in words, order value, ROMI, the
// power statement, the sample-ratio check, and each variant's opt-out rate against the guardrail.
// Takes the computed figures as props; a figure that could not be computed shows why, never NaN.
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { Explain } from "@/components/ui/explain";
import { formatCount, formatMoney } from "@/components/format";
import type { ArmResult, CampaignResults, VariantComparison, Verdict } from "@/lib/metrics/campaign-results";
import type { OptOutRate } from "@/lib/metrics/opt-out-rates";
import { SRM_THRESHOLD } from "@/lib/metrics/stats/sample-ratio";

export interface VariantOptOut extends OptOutRate {
  key: string | null;
}

export interface CampaignResultsProps {
  results: CampaignResults;
  currency: string;
  optOuts: VariantOptOut[];
  /** The campaign's guardrail: its share (0.01 = 1 %) and the opt-outs it waits for. */
  guardrail: { rate: number; minCount: number };
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;
const signed = (s: string, x: number) => (x > 0 ? `+${s}` : x < 0 ? s.replace("-", "−") : s);
const points = (x: number) => signed(`${(100 * x).toFixed(1)} pp`, x);
const relative = (x: number) => signed(`${(100 * x).toFixed(1)} %`, x);
const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${p.toFixed(3)}`);
const range = (ci: [number, number], f: (x: number) => string) => `${f(ci[0])} to ${f(ci[1])}`;

const VERDICT: Record<Verdict, { tone: "green" | "red" | "neutral" | "amber"; words: string }> = {
  better: { tone: "green", words: "Better than the holdout" },
  worse: { tone: "red", words: "Worse than the holdout" },
  no_difference: { tone: "neutral", words: "No winner yet" },
  not_enough_data: { tone: "amber", words: "Not enough data yet" },
};

export function CampaignResultsSection({ results: r, currency, optOuts, guardrail }: CampaignResultsProps) {
  const money = (minor: number) => formatMoney(minor, currency);
  const signedMoney = (minor: number) => signed(money(minor), minor);
  const measuredAnyone = r.arms.some((a) => a.n > 0);
  return (
    <section aria-labelledby="results-title" className="mb-6 space-y-4">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 id="results-title" className="text-lg font-semibold">Results</h2>
        <Explain>
          <p>Each customer counts once: a variant&apos;s from the moment their message was sent, the holdout&apos;s from the moment they would have been sent. A customer <em>converted</em> when they placed an order (not cancelled or refunded) within {r.attributionDays} days.</p>
          <p className="mt-2">Lift is a variant&apos;s conversion rate minus the holdout&apos;s (in percentage points) and its ratio to it; the 95 % interval of the ratio is by the delta method, the p-value from a two-proportion z-test{r.corrected ? ", adjusted by Holm's method because several variants are compared" : ""}. A variant is called better only when p &lt; 0.05.</p>
          <p className="mt-2">Order value is compared with Welch&apos;s t-test. ROMI = (extra revenue against the holdout × margin − cost) ÷ cost. The sample-ratio check tests whether the split matches the asked shares (a problem when p &lt; {SRM_THRESHOLD}).</p>
        </Explain>
      </div>
      <p className="text-sm text-slate-600" data-testid="results-status">{r.statusSentence}</p>
      <p className="text-sm text-slate-600">
        Attribution window: <strong className="font-medium text-slate-800">{r.attributionDays} days</strong> after each message (the shop&apos;s setting).
      </p>

      {!measuredAnyone ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          Not enough data yet: no customer has been measured for this campaign.
        </p>
      ) : (
        <>
          <ArmsTable arms={r.arms} money={money} />
          {r.status !== "no_holdout" && (
            <div className="grid gap-4 lg:grid-cols-2">
              {r.comparisons.map((c) => (
                <ComparisonCard key={c.variantId} c={c} corrected={r.corrected} money={signedMoney} />
              ))}
            </div>
          )}
          <p className="text-sm font-medium text-slate-800" data-testid="results-verdict">
            {r.winner ? `${r.winner.label} converted more customers than the holdout${r.corrected ? ", after correcting for several variants" : ""}.` : "No winner yet: no variant is significantly better than the holdout."}
          </p>
        </>
      )}

      <div className="grid gap-4 lg:grid-cols-3">
        <Card aria-labelledby="romi-title">
          <CardTitle><span id="romi-title">Return on the campaign (ROMI)</span></CardTitle>
          {r.romi.enough ? (
            <>
              <p className="mt-1 text-2xl font-semibold tabular-nums">{relative(r.romi.romi)}</p>
              <p className="text-xs text-slate-500">95 % interval {range(r.romi.ci95, relative)}</p>
              <p className="mt-2 text-sm text-slate-600">
                Extra revenue against the holdout {signedMoney(r.romi.incrementalRevenueMinor)} ({range(r.romi.incrementalRevenueCi95, signedMoney)}), at a {pct(r.marginBp / 10_000, 0)} margin {signedMoney(r.romi.incrementalMarginMinor)}, for a cost of {money(r.romi.costMinor)}.
              </p>
            </>
          ) : (
            <p className="mt-1 text-sm text-slate-600">Not enough data yet: {r.romi.reason} {r.costMinor > 0 ? `(cost ${money(r.costMinor)})` : ""}</p>
          )}
        </Card>
        <Card aria-labelledby="srm-title">
          <CardTitle><span id="srm-title">Sample-ratio check</span></CardTitle>
          <div className="mt-1 text-sm" data-testid="results-srm">
            {r.sampleRatio === null ? (
              <p className="text-slate-600">Nothing to check: the campaign split no one between arms.</p>
            ) : !r.sampleRatio.enough ? (
              <p className="text-slate-600">Not enough data yet: {r.sampleRatio.reason}</p>
            ) : r.sampleRatio.mismatch ? (
              <p><Badge tone="red">Mismatch</Badge> The split is off the asked shares (χ² = {r.sampleRatio.chiSquare.toFixed(1)}, {pText(r.sampleRatio.pValue)}): do not trust these comparisons.</p>
            ) : (
              <p><Badge tone="green">Split as asked</Badge> <span className="text-slate-600">χ² = {r.sampleRatio.chiSquare.toFixed(1)}, {pText(r.sampleRatio.pValue)}, n = {formatCount(r.arms.reduce((s, a) => s + a.assigned, 0))}.</span></p>
            )}
          </div>
        </Card>
        <OptOutCard optOuts={optOuts} guardrail={guardrail} />
      </div>
    </section>
  );
}

function ArmsTable({ arms, money }: { arms: ArmResult[]; money: (minor: number) => string }) {
  const pending = arms.reduce((s, a) => s + a.pending, 0);
  const notSent = arms.reduce((s, a) => s + a.notSent, 0);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Customers and purchases per arm</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {["Arm", "Customers (n)", "Bought", "Conversion rate (95 % interval)", "Revenue per recipient", "Average order"].map((h, i) => (
              <th key={h} scope="col" className={`px-4 py-2 font-medium ${i > 0 ? "text-right" : ""}`}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 tabular-nums">
          {arms.map((a) => (
            <tr key={a.key} data-testid={`results-arm-${a.key}`}>
              <th scope="row" className="px-4 py-2 text-left font-medium">{a.key === "holdout" ? "Holdout (got nothing)" : a.label}</th>
              <td className="px-4 py-2 text-right">{formatCount(a.n)}</td>
              <td className="px-4 py-2 text-right">{formatCount(a.conversions)}</td>
              <td className="px-4 py-2 text-right">
                {a.conversion.enough ? `${pct(a.conversion.rate)} (${pct(a.conversion.ci95[0])} to ${pct(a.conversion.ci95[1])})` : "not enough data yet"}
              </td>
              <td className="px-4 py-2 text-right">{a.revenuePerCustomerMinor === null ? "–" : money(a.revenuePerCustomerMinor)}</td>
              <td className="px-4 py-2 text-right">{a.averageOrderMinor === null ? "–" : `${money(a.averageOrderMinor)} (${formatCount(a.orders)} orders)`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(pending > 0 || notSent > 0) && (
        <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
          {pending > 0 ? `${formatCount(pending)} customers' messages are still to be sent and are not measured yet. ` : ""}
          {notSent > 0 ? `${formatCount(notSent)} customers whose message was skipped or failed at sending are left out.` : ""}
        </p>
      )}
    </div>
  );
}

function ComparisonCard({ c, corrected, money }: { c: VariantComparison; corrected: boolean; money: (minor: number) => string }) {
  const v = VERDICT[c.verdict];
  const lift = c.conversion;
  return (
    <Card aria-label={`${c.label} against the holdout`} data-testid={`results-comparison-${c.key}`}>
      <div className="flex items-center justify-between gap-2">
        <CardTitle>{c.label} against the holdout</CardTitle>
        <Badge tone={v.tone}>{v.words}</Badge>
      </div>
      {lift.enough ? (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm tabular-nums">
          <dt className="text-slate-500">Absolute lift</dt>
          <dd>{points(lift.absoluteLift)} <span className="text-slate-500">(95 % interval {range(lift.absoluteCi95, points)})</span></dd>
          <dt className="text-slate-500">Relative lift</dt>
          <dd>{lift.relativeLift === null || lift.ci95 === null ? "– (the holdout bought nothing, so there is no ratio)" : <>{relative(lift.relativeLift)} <span className="text-slate-500">(95 % interval {range(lift.ci95, relative)})</span></>}</dd>
          <dt className="text-slate-500">p-value</dt>
          <dd>{c.adjustedPValue === null ? "–" : corrected ? `${pText(c.adjustedPValue)} after Holm's correction (${pText(lift.pValue)} alone)` : pText(c.adjustedPValue)}</dd>
          <dt className="text-slate-500">Order value</dt>
          <dd>{c.orderValue.enough ? <>{money(c.orderValue.difference)} per order <span className="text-slate-500">({range(c.orderValue.ci95, money)}, Welch {pText(c.orderValue.pValue)})</span></> : <span className="text-slate-600">{c.orderValue.reason}</span>}</dd>
          <dt className="text-slate-500">Revenue per recipient</dt>
          <dd>{c.revenuePerCustomer.enough ? <>{money(c.revenuePerCustomer.difference)} <span className="text-slate-500">({range(c.revenuePerCustomer.ci95, money)}, {pText(c.revenuePerCustomer.pValue)})</span></> : <span className="text-slate-600">{c.revenuePerCustomer.reason}</span>}</dd>
        </dl>
      ) : null}
      <p className="mt-2 text-sm text-slate-700">{c.sentence}</p>
      {c.powerSentence && (
        <p className="mt-1 text-sm text-slate-600" data-testid="results-power">
          {c.powerSentence}{c.underpowered ? " The lift seen so far is below what this test can reliably detect." : ""}
        </p>
      )}
    </Card>
  );
}

function OptOutCard({ optOuts, guardrail }: { optOuts: VariantOptOut[]; guardrail: { rate: number; minCount: number } }) {
  // The bars share one scale: the larger of the guardrail and the highest interval end, so the line is always on it.
  const top = Math.max(guardrail.rate * 1.5, ...optOuts.map((o) => (o.rate.enough ? o.rate.ci95[1] : 0)));
  const at = (x: number) => `${Math.min(100, (100 * x) / top)}%`;
  return (
    <Card aria-labelledby="optout-title">
      <CardTitle><span id="optout-title">Opt-out rate per variant</span></CardTitle>
      {optOuts.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">Not enough data yet: no message of this campaign has been delivered.</p>
      ) : (
        <ul className="mt-2 space-y-3 text-sm">
          {optOuts.map((o) => (
            <li key={o.key ?? "none"} data-testid={`optout-${o.key ?? "none"}`}>
              <div className="flex justify-between gap-2">
                <span>Variant {o.key ?? "–"} {o.overGuardrail && <Badge tone="red">Over the guardrail</Badge>}</span>
                <span className="tabular-nums">{o.rate.enough ? `${pct(o.rate.rate, 2)} (${pct(o.rate.ci95[0], 2)} to ${pct(o.rate.ci95[1], 2)})` : "–"}</span>
              </div>
              <div className="relative mt-1 h-3 rounded bg-slate-100" aria-hidden>
                {o.rate.enough && (
                  <>
                    <div className="absolute inset-y-1 rounded bg-slate-300" style={{ left: at(o.rate.ci95[0]), width: `calc(${at(o.rate.ci95[1])} - ${at(o.rate.ci95[0])})` }} />
                    <div className="absolute inset-y-0 w-1 rounded bg-slate-700" style={{ left: at(o.rate.rate) }} />
                  </>
                )}
                <div className="absolute -inset-y-1 w-0.5 bg-red-500" style={{ left: at(guardrail.rate) }} />
              </div>
              <p className="mt-0.5 text-xs text-slate-500">{formatCount(o.optOuts)} of {formatCount(o.delivered)} delivered opted out</p>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2 text-xs text-slate-500">
        <span className="mr-1 inline-block h-2 w-0.5 bg-red-500 align-middle" aria-hidden />
        Guardrail: the campaign pauses itself above {pct(guardrail.rate, 1)} once {guardrail.minCount} people opted out. Bars show the 95 % Wilson interval.
      </p>
    </Card>
  );
}
