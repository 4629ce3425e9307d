// What the segments were computed with: this shop's rhythm (lifecycle thresholds) and the value
// model's fit, with its n, its interval, and in plain words when it is not trusted.
import { formatCount } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import type { RefreshSummary } from "@/lib/segments/refresh-segments";

/** Three significant digits, without exponents ("1650", "0.287"). */
const fmt = (x: number) => String(Number(x.toPrecision(3)));

export function ModelSummary({ summary }: { summary: RefreshSummary }) {
  const { lifecycle: t, model } = summary;
  const p = model.expectedPurchases90d;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <CardTitle>This shop&apos;s rhythm</CardTitle>
        <p className="mt-2 text-sm text-slate-700">
          Customers typically reorder every <strong>{t.medianGapDays} days</strong>{" "}
          {t.basis === "shop" ? (
            <>(median of {formatCount(t.gaps)} gaps between orders).</>
          ) : (
            <>(a default: only {formatCount(t.gaps)} gaps between orders so far, fewer than 20).</>
          )}
        </p>
        <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-500">New</dt>
          <dd>first order &lt; {t.newDays} days ago</dd>
          <dt className="text-slate-500">Active / loyal</dt>
          <dd>last order ≤ {t.activeDays} days ago (loyal: {t.loyalMinOrders}+ orders)</dd>
          <dt className="text-slate-500">At risk</dt>
          <dd>
            {t.activeDays + 1}–{t.atRiskDays} days
          </dd>
          <dt className="text-slate-500">Lapsed</dt>
          <dd>
            {t.atRiskDays + 1}–{t.lapsedDays} days
          </dd>
          <dt className="text-slate-500">Churned</dt>
          <dd>more than {t.lapsedDays} days</dd>
        </dl>
      </Card>
      <Card>
        <div className="flex items-center justify-between gap-2">
          <CardTitle>Predicted value</CardTitle>
          {model.status === "fitted" ? <Badge tone="green">model in use</Badge> : <Badge tone="amber">history only</Badge>}
        </div>
        <p className="mt-2 text-sm text-slate-700">{model.message}</p>
        {p && (
          <p className="mt-2 text-sm text-slate-700">
            Expected repeat purchases in the next 90 days: <strong className="tabular-nums">{formatCount(Math.round(p.estimate))}</strong>
            {p.interval ? (
              <>
                {" "}
                (90 % interval {formatCount(Math.round(p.interval[0]))}–{formatCount(Math.round(p.interval[1]))}, {p.bootstrapSamples} bootstrap refits on{" "}
                {formatCount(p.bootstrapCustomers)} customers)
              </>
            ) : (
              " (no interval: too few successful refits)"
            )}
            .
          </p>
        )}
        {model.bgnbd && (
          <p className="mt-2 text-xs text-slate-500">
            BG/NBD (weeks): r {fmt(model.bgnbd.r)}, α {fmt(model.bgnbd.alpha)}, a {fmt(model.bgnbd.a)}, b {fmt(model.bgnbd.b)}
            {model.gammaGamma && (
              <>
                {" "}
                · Gamma-Gamma: p {fmt(model.gammaGamma.p)}, q {fmt(model.gammaGamma.q)}, v {fmt(model.gammaGamma.v)}
              </>
            )}{" "}
            · n = {formatCount(model.customers)} customers, {formatCount(model.repeatCustomers)} repeat · margin {Math.round(model.margin * 100)} %, {model.months} months,{" "}
            {model.monthlyDiscountRate * 100} % monthly discount
          </p>
        )}
      </Card>
    </div>
  );
}
