// Who a shop's messages and offers reach, by lifecycle, spend tier, region, time zone and locale:
// each group's share of the customers (all, and those who may be messaged), of the messages and of
// the offers; how messages are spread over customers; who consented and never heard from the
// shop; and whether a segment quietly leaves out a language or time zone. One campaign or all, in
// a date range. Flags come from the one rule in ./fairness-flags.ts.
//
// Definitions:
// - a message is a send of a campaign in scope with status sent or delivered whose sent_at falls in
//   [from, to); queued, skipped and failed messages reached nobody and are not counted;
// - consenting customers have a current grant (consent_state, now) for the channel × purpose of
//   the campaign, or, for all campaigns, for any channel × purpose of the shop's approved ones
//   (email × marketing when there are none);
// - erased customers are left out everywhere, their messages too;
// - an offer is a message of a campaign the owner marked as an offer (campaigns.offer).
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { notFound } from "../errors";
import { LIFECYCLE_STAGES } from "../segments/lifecycle";
import { contactFlags, segmentMixFlags, type FairnessFlag, type GroupShares, type SegmentMixGroup } from "./fairness-flags";

export const FAIRNESS_DIMENSIONS = {
  lifecycle: "Lifecycle",
  value_tier: "Spend tier",
  region: "Region",
  time_zone: "Time zone",
  locale: "Language",
} as const;
export type FairnessDimension = keyof typeof FAIRNESS_DIMENSIONS;

/** Dimensions a segment's mix is compared on: the ones a rule might leave out without meaning to. */
export const SEGMENT_MIX_DIMENSIONS = ["locale", "time_zone"] as const satisfies readonly FairnessDimension[];

/** How many never-contacted customers are named (the count is always complete). */
export const NEVER_CONTACTED_SAMPLE = 20;

export interface FairnessCounts {
  customers: number;
  consenting: number;
  messages: number;
  /** Customers who got at least one message. */
  contacted: number;
  /** Consenting customers who got none. */
  neverContacted: number;
  offerMessages: number;
  /** Customers who got at least one offer. */
  offered: number;
}

export interface FairnessGroup extends FairnessCounts {
  dimension: FairnessDimension;
  key: string;
  label: string;
  /** Shares of the shop's totals; null when the total is 0. */
  customerShare: number | null;
  consentingShare: number | null;
  messageShare: number | null;
  offerShare: number | null;
  /** Messages ÷ consenting customers of the group (null when none consent). */
  messagesPerConsenting: number | null;
  /** Messages ÷ customers of the group. */
  messagesPerCustomer: number | null;
}

export interface FairnessPerson {
  customerId: string;
  name: string;
}

export interface SegmentMix {
  segmentId: string;
  name: string;
  size: number;
  dimension: (typeof SEGMENT_MIX_DIMENSIONS)[number];
  groups: { key: string; label: string; members: number; shopCustomers: number; segmentShare: number | null; shopShare: number | null }[];
}

export interface FairnessCampaign {
  id: string;
  name: string;
  channel: string;
  purpose: string;
  status: string;
  offer: boolean;
  segmentId: string | null;
}

export interface FairnessReport {
  range: { from: Date; to: Date };
  /** The campaign reported on, or null for all of the shop's campaigns. */
  campaign: FairnessCampaign | null;
  /** Every campaign of the shop, for choosing one. */
  campaigns: FairnessCampaign[];
  /** Whose grant makes a customer "consenting" here. */
  consentPairs: { channel: string; purpose: string }[];
  totals: FairnessCounts;
  dimensions: { dimension: FairnessDimension; label: string; groups: FairnessGroup[] }[];
  /**
   * Messages per customer over the consenting customers and anyone messaged in the range (zeros
   * included), nearest-rank percentiles; null when there is nobody.
   */
  distribution: { n: number; p50: number; p90: number; p99: number; max: number } | null;
  /** The most-contacted 1 % (at least one customer) of that population, those with a message. */
  mostContacted: { customers: number; messages: number; messageShare: number | null; people: (FairnessPerson & { messages: number })[] };
  neverContacted: { count: number; sample: FairnessPerson[] };
  segmentMix: SegmentMix[];
  flags: FairnessFlag[];
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

const languageNames = new Intl.DisplayNames(["en"], { type: "language", languageDisplay: "standard" });

export function groupLabel(dimension: FairnessDimension, key: string): string {
  if (key === "unknown") return "Not known";
  switch (dimension) {
    case "lifecycle":
      return key === "no_orders" ? "No orders yet" : LIFECYCLE_STAGES[key as keyof typeof LIFECYCLE_STAGES]?.name ?? key;
    case "value_tier":
      if (key === "none") return "No orders yet";
      return `Spend ${key} of 5${key === "5" ? " (highest)" : key === "1" ? " (lowest)" : ""}`;
    case "locale":
      try {
        return `${languageNames.of(key) ?? key} (${key})`;
      } catch {
        return key;
      }
    default:
      return key.replaceAll("_", " ");
  }
}

const DIMENSION_ORDER: Record<FairnessDimension, (key: string) => number> = {
  lifecycle: (k) => { const i = [...Object.keys(LIFECYCLE_STAGES), "no_orders"].indexOf(k); return i < 0 ? 99 : i; },
  value_tier: (k) => (k === "none" ? 99 : -Number(k)),
  region: () => 0,
  time_zone: () => 0,
  locale: () => 0,
};

interface GroupRow extends FairnessCounts { dimension: FairnessDimension; key: string }

export async function getFairnessReport(tx: ShopTx, options: { campaignId?: string | null; from: Date; to: Date }): Promise<FairnessReport> {
  const { from, to } = options;
  const campaigns = (await queryRows<FairnessCampaign>(
    tx,
    sql`select id::text as id, name, channel::text as channel, purpose::text as purpose, status::text as status, offer, segment_id::text as "segmentId"
          from campaigns order by created_at desc, id`,
  ));
  let campaign: FairnessCampaign | null = null;
  if (options.campaignId) {
    campaign = campaigns.find((c) => c.id === options.campaignId) ?? null;
    if (!campaign) throw notFound("Campaign");
  }
  const campaignId = campaign?.id ?? null;
  // Raw SQL takes timestamps as ISO strings (postgres.js does not serialise Dates there).
  const fromIso = from.toISOString();
  const toIso = to.toISOString();

  const [row] = await queryRows<{
    pairs: { channel: string; purpose: string }[] | null;
    groups: GroupRow[] | null;
    totals: FairnessCounts;
    distribution: { n: number; p50: number | null; p90: number | null; p99: number | null; max: number | null };
    top: (FairnessPerson & { messages: number })[] | null;
    top_size: number;
    never_sample: FairnessPerson[] | null;
  }>(
    tx,
    sql`with scope as materialized (
          select id, channel, purpose, offer from campaigns
           where (${campaignId}::uuid is null and status <> 'draft') or id = ${campaignId}::uuid
        ), pairs as (
          select distinct channel, purpose from scope
          union
          select 'email'::channel, 'marketing'::purpose where not exists (select 1 from scope)
        ), msg as (
          select s.customer_id, count(*)::int as messages, (count(*) filter (where sc.offer))::int as offers
            from sends s join scope sc on sc.id = s.campaign_id
           where s.status in ('sent', 'delivered') and not s.holdout
             and s.sent_at >= ${fromIso}::timestamptz and s.sent_at < ${toIso}::timestamptz
           group by s.customer_id
        ), consenting as (
          select distinct cs.customer_id from consent_state cs join pairs p on p.channel = cs.channel and p.purpose = cs.purpose
           where cs.granted
        ), base as materialized (
          select c.id,
                 coalesce(nullif(concat_ws(' ', c.first_name, c.last_name), ''), c.email, 'Unnamed customer') as name,
                 coalesce(k.lifecycle, 'no_orders') as lifecycle,
                 coalesce(k.monetary_score::text, 'none') as value_tier,
                 coalesce(nullif(split_part(c.time_zone, '/', 1), ''), 'unknown') as region,
                 coalesce(nullif(c.time_zone, ''), 'unknown') as time_zone,
                 coalesce(nullif(c.locale, ''), 'unknown') as locale,
                 g.customer_id is not null as consenting,
                 coalesce(m.messages, 0) as messages, coalesce(m.offers, 0) as offers
            from customers c
            left join customer_scores k on k.customer_id = c.id
            left join consenting g on g.customer_id = c.id
            left join msg m on m.customer_id = c.id
           where c.erased_at is null
        ), groups as (
          select d.dimension, d.grp, count(*)::int as customers, (count(*) filter (where b.consenting))::int as consenting,
                 sum(b.messages)::int as messages, (count(*) filter (where b.messages > 0))::int as contacted,
                 (count(*) filter (where b.consenting and b.messages = 0))::int as never,
                 sum(b.offers)::int as offers, (count(*) filter (where b.offers > 0))::int as offered
            from base b
           cross join lateral (values ('lifecycle', b.lifecycle), ('value_tier', b.value_tier), ('region', b.region),
                                      ('time_zone', b.time_zone), ('locale', b.locale)) d(dimension, grp)
           group by d.dimension, d.grp
        ), pop as (
          select id, name, messages from base where consenting or messages > 0
        ), ranked as (
          select id, name, messages, row_number() over (order by messages desc, id) as rn, count(*) over () as n from pop
        )
        select
          (select json_agg(json_build_object('channel', channel, 'purpose', purpose) order by channel, purpose) from pairs) as pairs,
          (select json_agg(json_build_object('dimension', dimension, 'key', grp, 'customers', customers, 'consenting', consenting,
                  'messages', messages, 'contacted', contacted, 'neverContacted', never, 'offerMessages', offers, 'offered', offered)) from groups) as groups,
          (select json_build_object('customers', count(*)::int, 'consenting', (count(*) filter (where consenting))::int,
                  'messages', coalesce(sum(messages), 0)::int, 'contacted', (count(*) filter (where messages > 0))::int,
                  'neverContacted', (count(*) filter (where consenting and messages = 0))::int,
                  'offerMessages', coalesce(sum(offers), 0)::int, 'offered', (count(*) filter (where offers > 0))::int) from base) as totals,
          (select json_build_object('n', count(*)::int, 'p50', percentile_disc(0.5) within group (order by messages),
                  'p90', percentile_disc(0.9) within group (order by messages), 'p99', percentile_disc(0.99) within group (order by messages),
                  'max', max(messages)) from pop) as distribution,
          (select json_agg(json_build_object('customerId', id, 'name', name, 'messages', messages) order by rn)
             from ranked where messages > 0 and rn <= ceil(n / 100.0)) as top,
          (select ceil(count(*) / 100.0)::int from pop) as top_size,
          (select json_agg(json_build_object('customerId', id, 'name', name) order by name, id)
             from (select id, name from base where consenting and messages = 0 order by name, id limit ${NEVER_CONTACTED_SAMPLE}) x) as never_sample`,
  );
  if (!row) throw new Error("the fairness query returned no row");
  const totals = row.totals;

  const dimensions = (Object.keys(FAIRNESS_DIMENSIONS) as FairnessDimension[]).map((dimension) => {
    const order = DIMENSION_ORDER[dimension];
    const groups: FairnessGroup[] = (row.groups ?? [])
      .filter((g) => g.dimension === dimension)
      .map((g) => ({
        ...g,
        label: groupLabel(dimension, g.key),
        customerShare: share(g.customers, totals.customers),
        consentingShare: share(g.consenting, totals.consenting),
        messageShare: share(g.messages, totals.messages),
        offerShare: share(g.offerMessages, totals.offerMessages),
        messagesPerConsenting: share(g.messages, g.consenting),
        messagesPerCustomer: share(g.messages, g.customers),
      }))
      .sort((a, b) => order(a.key) - order(b.key) || b.customers - a.customers || a.key.localeCompare(b.key));
    return { dimension, label: FAIRNESS_DIMENSIONS[dimension], groups };
  });

  const d = row.distribution;
  const top = row.top ?? [];
  const topMessages = top.reduce((s, p) => s + p.messages, 0);
  const segmentMix = await listSegmentMix(tx, campaign ? campaign.segmentId : undefined);

  const shares: GroupShares[] = dimensions.flatMap((dim) => dim.groups.map((g) => ({ ...g, dimensionLabel: dim.label })));
  const mixGroups: SegmentMixGroup[] = segmentMix.flatMap((m) => m.groups.filter((g) => g.shopShare !== null).map((g) => ({
    segmentId: m.segmentId, segmentName: m.name, segmentSize: m.size, dimension: m.dimension, dimensionLabel: FAIRNESS_DIMENSIONS[m.dimension],
    key: g.key, label: g.label, members: g.members, shopShare: g.shopShare!,
  })));

  return {
    range: { from, to },
    campaign,
    campaigns,
    consentPairs: row.pairs ?? [],
    totals,
    dimensions,
    distribution: d.n > 0 ? { n: d.n, p50: d.p50 ?? 0, p90: d.p90 ?? 0, p99: d.p99 ?? 0, max: d.max ?? 0 } : null,
    mostContacted: { customers: top.length, messages: topMessages, messageShare: share(topMessages, totals.messages), people: top },
    neverContacted: { count: totals.neverContacted, sample: row.never_sample ?? [] },
    segmentMix,
    flags: [...contactFlags(shares, totals), ...segmentMixFlags(mixGroups)],
  };
}

/**
 * Each segment's members by language and time zone beside the shop's customers, every group of
 * the shop present (a group a segment leaves out shows as 0). segmentId: one segment; null: none
 * (a campaign without one); undefined: all of the shop's segments.
 */
export async function listSegmentMix(tx: ShopTx, segmentId: string | null | undefined): Promise<SegmentMix[]> {
  if (segmentId === null) return [];
  const one = segmentId ?? null;
  const rows = await queryRows<{ segment_id: string; name: string; size: number; dimension: SegmentMix["dimension"]; grp: string; shop_customers: number; shop_total: number; members: number }>(
    tx,
    sql`with people as materialized (
          select id, coalesce(nullif(locale, ''), 'unknown') as locale, coalesce(nullif(time_zone, ''), 'unknown') as time_zone
            from customers where erased_at is null
        ), shop_groups as (
          select d.dimension, d.grp, count(*)::int as customers
            from people p cross join lateral (values ('locale', p.locale), ('time_zone', p.time_zone)) d(dimension, grp)
           group by d.dimension, d.grp
        ), segs as (
          select id, name from segments where ${one}::uuid is null or id = ${one}::uuid
        ), members as materialized (
          select sm.segment_id, p.locale, p.time_zone from segment_members sm join segs on segs.id = sm.segment_id join people p on p.id = sm.customer_id
        ), seg_groups as (
          select m.segment_id, d.dimension, d.grp, count(*)::int as members
            from members m cross join lateral (values ('locale', m.locale), ('time_zone', m.time_zone)) d(dimension, grp)
           group by m.segment_id, d.dimension, d.grp
        ), sizes as (
          select segment_id, count(*)::int as size from members group by segment_id
        )
        select s.id::text as segment_id, s.name, coalesce(z.size, 0)::int as size, g.dimension, g.grp, g.customers as shop_customers,
               (select count(*)::int from people) as shop_total, coalesce(x.members, 0)::int as members
          from segs s cross join shop_groups g
          left join sizes z on z.segment_id = s.id
          left join seg_groups x on x.segment_id = s.id and x.dimension = g.dimension and x.grp = g.grp
         order by s.name, s.id, g.dimension, g.customers desc, g.grp`,
  );
  const mixes = new Map<string, SegmentMix>();
  for (const r of rows) {
    const id = `${r.segment_id}:${r.dimension}`;
    let mix = mixes.get(id);
    if (!mix) {
      mix = { segmentId: r.segment_id, name: r.name, size: r.size, dimension: r.dimension, groups: [] };
      mixes.set(id, mix);
    }
    mix.groups.push({
      key: r.grp, label: groupLabel(r.dimension, r.grp), members: r.members, shopCustomers: r.shop_customers,
      segmentShare: share(r.members, r.size), shopShare: share(r.shop_customers, r.shop_total),
    });
  }
  return [...mixes.values()];
}
