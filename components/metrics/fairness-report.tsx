// The fairness report for the owner: who the messages and offers reached, group by group, beside
// who the customers (and the consenting ones) are; how heavily the most-contacted were messaged;
// who consented and never heard from the shop; each segment's mix of languages and time zones;
// and the flags in plain words. Takes the computed report as props.
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Explain } from "@/components/ui/explain";
import { formatCount } from "@/components/format";
import type { FairnessGroup, FairnessReport, SegmentMix } from "@/lib/metrics/fairness-report";
import { FAIRNESS_RULE_TEXT } from "@/lib/metrics/fairness-flags";

const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)} %`);
const perCustomer = (x: number | null) => (x === null ? "–" : x.toFixed(2));

export function FairnessReportView({ report }: { report: FairnessReport }) {
  const t = report.totals;
  if (t.customers === 0) {
    return <EmptyState title="No customers yet">Import customers and send a campaign; this report then shows who your messages reach.</EmptyState>;
  }
  const flagged = new Set(report.flags.map((f) => `${f.dimension}:${f.group}`));
  return (
    <div className="space-y-6">
      <section aria-label="Totals" className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
        {([
          ["customers", "Customers", t.customers],
          ["consenting", "Consenting", t.consenting],
          ["messages", "Messages", t.messages],
          ["contacted", "Customers contacted", t.contacted],
          ["never", "Consenting, never contacted", t.neverContacted],
          ["offers", "Offers", t.offerMessages],
        ] as const).map(([id, label, n]) => (
          <Card key={label}>
            <CardTitle>{label}</CardTitle>
            <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={`fairness-total-${id}`}>{formatCount(n)}</p>
          </Card>
        ))}
      </section>
      {t.messages === 0 && (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-4 text-sm text-slate-600">
          No messages were delivered in this period{report.campaign ? " for this campaign" : ""}: the shares below show who your customers are, with nothing sent to compare them with yet. Try a longer period.
        </p>
      )}

      <FlagsCard report={report} />

      {report.dimensions.map((d) => (
        <GroupTable key={d.dimension} label={d.label} groups={d.groups} flagged={flagged} offers={t.offerMessages > 0} />
      ))}
      {t.offerMessages === 0 && (
        <p className="text-xs text-slate-500">No offers went out in this period. A campaign counts as an offer when it is marked so in its form (a discount or coupon).</p>
      )}

      <div className="grid gap-4 lg:grid-cols-2">
        <ContactDistribution report={report} />
        <NeverContacted report={report} />
      </div>

      <SegmentMixSection mixes={report.segmentMix} forCampaign={report.campaign !== null} />
    </div>
  );
}

function FlagsCard({ report }: { report: FairnessReport }) {
  return (
    <Card aria-labelledby="flags-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle><span id="flags-title">Flags</span></CardTitle>
        <Explain label="When is a group flagged?">{FAIRNESS_RULE_TEXT}</Explain>
      </div>
      {report.flags.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600" data-testid="fairness-no-flags">No group is flagged: every group&apos;s share of the messages and offers is close to its share of the consenting customers, or too small to judge.</p>
      ) : (
        <ul className="mt-2 space-y-2 text-sm" data-testid="fairness-flags">
          {report.flags.map((f, i) => (
            <li key={i} className="flex gap-2">
              <Badge tone="amber">{f.kind === "more_contact" ? "Contacted more" : f.kind === "fewer_offers" ? "Fewer offers" : "Left out of a segment"}</Badge>
              <span>{f.sentence}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ShareBars({ customers, messages }: { customers: number | null; messages: number | null }) {
  const width = (x: number | null) => `${Math.min(100, 100 * (x ?? 0))}%`;
  return (
    <div className="w-40 space-y-0.5" aria-hidden>
      <div className="h-2 rounded bg-slate-100"><div className="h-full rounded bg-slate-400" style={{ width: width(customers) }} /></div>
      <div className="h-2 rounded bg-slate-100"><div className="h-full rounded bg-brand-500" style={{ width: width(messages) }} /></div>
    </div>
  );
}

function GroupTable({ label, groups, flagged, offers }: { label: string; groups: FairnessGroup[]; flagged: Set<string>; offers: boolean }) {
  const head = ["Group", "Customers", "Consenting", "Share of consenting customers vs of messages", "Messages per consenting customer", "Share of offers", "Never contacted"];
  return (
    <section aria-labelledby={`dim-${label}`}>
      <h2 id={`dim-${label}`} className="mb-2 text-lg font-semibold">By {label.toLowerCase()}</h2>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label={`Share of messages and of customers by ${label.toLowerCase()}`}>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>{head.map((h, i) => <th key={h} scope="col" className={`px-4 py-2 font-medium ${i > 0 && i !== 3 ? "text-right" : ""}`}>{h}</th>)}</tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {groups.map((g) => (
              <tr key={g.key}>
                <th scope="row" className="px-4 py-2 text-left font-medium">
                  {g.label} {flagged.has(`${g.dimension}:${g.key}`) && <Badge tone="amber">flagged</Badge>}
                </th>
                <td className="px-4 py-2 text-right">{formatCount(g.customers)} <span className="text-xs text-slate-500">({pct(g.customerShare)})</span></td>
                <td className="px-4 py-2 text-right">{formatCount(g.consenting)}</td>
                <td className="px-4 py-2">
                  <div className="flex items-center gap-3">
                    <ShareBars customers={g.consentingShare} messages={g.messageShare} />
                    <span className="text-xs text-slate-600">{pct(g.consentingShare)} of consenting · {pct(g.messageShare)} of messages ({formatCount(g.messages)})</span>
                  </div>
                </td>
                <td className="px-4 py-2 text-right">{perCustomer(g.messagesPerConsenting)}</td>
                <td className="px-4 py-2 text-right">{offers ? `${pct(g.offerShare)} (${formatCount(g.offerMessages)})` : "–"}</td>
                <td className="px-4 py-2 text-right">{formatCount(g.neverContacted)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="flex flex-wrap gap-4 border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
          <span><span className="mr-1 inline-block h-2 w-4 rounded bg-slate-400 align-middle" aria-hidden />share of consenting customers</span>
          <span><span className="mr-1 inline-block h-2 w-4 rounded bg-brand-500 align-middle" aria-hidden />share of messages</span>
        </p>
      </div>
    </section>
  );
}

function ContactDistribution({ report }: { report: FairnessReport }) {
  const d = report.distribution;
  const top = report.mostContacted;
  return (
    <Card aria-labelledby="distribution-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle><span id="distribution-title">Messages per customer</span></CardTitle>
        <Explain>Over the consenting customers and anyone messaged in the period, those with no message counted as 0. The median is the middle customer; 90th and 99th percentiles are the customers above 90 % and 99 % of the others (nearest rank).</Explain>
      </div>
      {d === null ? (
        <p className="mt-1 text-sm text-slate-600">Not enough data yet: no consenting or messaged customers in this period.</p>
      ) : (
        <>
          <dl className="mt-2 grid grid-cols-4 gap-2 text-center tabular-nums">
            {([["Median", d.p50], ["90th percentile", d.p90], ["99th percentile", d.p99], ["Most", d.max]] as const).map(([k, v]) => (
              <div key={k} className="rounded-lg bg-slate-50 p-2"><dt className="text-xs text-slate-500">{k}</dt><dd className="text-lg font-semibold">{formatCount(v)}</dd></div>
            ))}
          </dl>
          <p className="mt-1 text-xs text-slate-500">n = {formatCount(d.n)} customers</p>
          <h3 className="mt-4 text-sm font-semibold text-slate-700">The most-contacted 1 %</h3>
          {top.customers === 0 ? (
            <p className="mt-1 text-sm text-slate-600">No one was messaged in this period.</p>
          ) : (
            <>
              <p className="mt-1 text-sm text-slate-600" data-testid="fairness-top">
                {formatCount(top.customers)} {top.customers === 1 ? "customer" : "customers"} got {formatCount(top.messages)} messages: {pct(top.messageShare)} of all messages.
              </p>
              <ul className="mt-2 divide-y divide-slate-100 text-sm">
                {top.people.slice(0, 10).map((p) => (
                  <li key={p.customerId} className="flex justify-between py-1">
                    <Link href={`/customers/${p.customerId}`} className="text-brand-700 hover:underline">{p.name}</Link>
                    <span className="tabular-nums">{formatCount(p.messages)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Card>
  );
}

function NeverContacted({ report }: { report: FairnessReport }) {
  const n = report.neverContacted;
  const pairs = report.consentPairs.map((p) => `${p.channel} × ${p.purpose}`).join(", ");
  return (
    <Card aria-labelledby="never-title">
      <CardTitle><span id="never-title">Consented, never contacted</span></CardTitle>
      <p className="mt-1 text-sm text-slate-600">
        {n.count === 0
          ? "Every consenting customer got at least one message in this period."
          : `${formatCount(n.count)} customers have a current grant (${pairs}) but got no message in this period.`}
      </p>
      {n.sample.length > 0 && (
        <>
          <ul className="mt-2 columns-2 text-sm">
            {n.sample.map((p) => (
              <li key={p.customerId} className="py-0.5"><Link href={`/customers/${p.customerId}`} className="text-brand-700 hover:underline">{p.name}</Link></li>
            ))}
          </ul>
          {n.count > n.sample.length && <p className="mt-1 text-xs text-slate-500">The first {n.sample.length} of {formatCount(n.count)} by name.</p>}
        </>
      )}
    </Card>
  );
}

function SegmentMixSection({ mixes, forCampaign }: { mixes: SegmentMix[]; forCampaign: boolean }) {
  return (
    <section aria-labelledby="mix-title">
      <h2 id="mix-title" className="mb-1 text-lg font-semibold">Segment sizes by language and time zone</h2>
      <p className="mb-2 text-sm text-slate-600">Each segment&apos;s members by group, beside the group&apos;s share of all customers: a group far below its share may be left out by a rule.</p>
      {mixes.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-4 text-sm text-slate-600">
          {forCampaign ? "This campaign has no segment." : "No segments yet."}
        </p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {(["locale", "time_zone"] as const).map((dimension) => {
            const rows = mixes.filter((m) => m.dimension === dimension);
            const groups = rows[0]?.groups ?? [];
            return (
              <div key={dimension} className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
                <table className="min-w-full divide-y divide-slate-200 text-sm">
                  <caption className="px-4 py-2 text-left text-sm font-semibold text-slate-700">{dimension === "locale" ? "By language" : "By time zone"}</caption>
                  <thead className="bg-slate-50 text-left text-slate-600">
                    <tr>
                      <th scope="col" className="px-3 py-2 font-medium">Segment (size)</th>
                      {groups.map((g) => <th key={g.key} scope="col" className="px-3 py-2 text-right font-medium">{g.label}<div className="text-xs font-normal text-slate-500">shop {pct(g.shopShare)}</div></th>)}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100 tabular-nums">
                    {rows.map((m) => (
                      <tr key={m.segmentId}>
                        <th scope="row" className="px-3 py-2 text-left font-medium">{m.name} <span className="font-normal text-slate-500">({formatCount(m.size)})</span></th>
                        {m.groups.map((g) => <td key={g.key} className="px-3 py-2 text-right">{formatCount(g.members)} <span className="text-xs text-slate-500">{pct(g.segmentShare)}</span></td>)}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
