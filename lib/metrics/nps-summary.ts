// Net Promoter Score for a date range, from the shop's survey answers: overall, per segment (current
// membership: who the customer is now, not when they answered) and per calendar month in the shop's
// time zone, each with its n, standard error, 95 % interval and the "rough" flag below 30 answers
// (the formula is lib/metrics/stats/nps.ts, DESIGN.md). The counting is SQL; nothing here loads
// answers one by one. Answers of erased customers still count (anonymously, customer_id null), but
// are in no segment; comments never name an erased customer.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { currentShopId, type ShopTx } from "../db/tenant";
import { netPromoterScore, ROUGH_BELOW, type Nps, type NpsCounts } from "./stats/nps";
import type { NotEnoughData } from "./stats/not-enough-data";

export interface NpsFigure extends NpsCounts {
  n: number;
  /** Fewer than 30 answers: say the figure is rough (true for 0 and 1 as well). */
  rough: boolean;
  /** The score with its SE and 95 % interval, or why there is none (fewer than 2 answers). */
  score: Nps | NotEnoughData;
}

export interface NpsComment {
  score: number;
  comment: string;
  respondedAt: Date;
  /** The customer's name; null when erased, unnamed, or the answer no longer names a customer. */
  customerName: string | null;
}

export interface NpsSummary {
  from: Date;
  to: Date;
  timeZone: string;
  overall: NpsFigure;
  /** Segments with at least one answer in the range, most answers first. */
  bySegment: (NpsFigure & { segmentId: string; key: string; name: string })[];
  /** Every month the range touches (YYYY-MM, shop time zone), answers or not. */
  byMonth: (NpsFigure & { month: string })[];
  /** The latest answers with a comment, newest first. */
  comments: NpsComment[];
}

export interface SummarizeNpsOptions {
  /** Answers with responded_at in [from, to). */
  from: Date;
  to: Date;
  /** Month buckets; the shop's time zone by default. */
  timeZone?: string;
  /** How many comments to list (default 20). */
  comments?: number;
}

type CountRow = { promoters: number; passives: number; detractors: number };

function figure(row: CountRow | undefined): NpsFigure {
  const counts = { promoters: row?.promoters ?? 0, passives: row?.passives ?? 0, detractors: row?.detractors ?? 0 };
  const n = counts.promoters + counts.passives + counts.detractors;
  return { ...counts, n, rough: n < ROUGH_BELOW, score: netPromoterScore(counts) };
}

const COUNTS = sql`count(*) filter (where r.score >= 9)::int as promoters,
                   count(*) filter (where r.score between 7 and 8)::int as passives,
                   count(*) filter (where r.score <= 6)::int as detractors`;

export async function summarizeNps(tx: ShopTx, options: SummarizeNpsOptions): Promise<NpsSummary> {
  const from = options.from.toISOString();
  const to = options.to.toISOString();
  const inRange = sql`r.responded_at >= ${from}::timestamptz and r.responded_at < ${to}::timestamptz`;
  let tz = options.timeZone;
  if (!tz) {
    const [shop] = await queryRows<{ time_zone: string }>(tx, sql`select time_zone from shops where id = ${await currentShopId(tx)}::uuid`);
    tz = shop?.time_zone ?? "UTC";
  }

  const [overall] = await queryRows<CountRow>(tx, sql`select ${COUNTS} from survey_responses r where ${inRange}`);

  const segments = await queryRows<CountRow & { segment_id: string; key: string; name: string }>(
    tx,
    sql`select g.id as segment_id, g.key, g.name, ${COUNTS}
          from survey_responses r
          join segment_members m on m.customer_id = r.customer_id
          join segments g on g.id = m.segment_id
         where ${inRange}
         group by g.id, g.key, g.name
         order by count(*) desc, g.name`,
  );

  // Every month from the one holding `from` to the one holding the last instant before `to`.
  const months = await queryRows<CountRow & { month: string }>(
    tx,
    sql`with series as (
          select generate_series(date_trunc('month', ${from}::timestamptz at time zone ${tz}),
                                 date_trunc('month', (${to}::timestamptz - interval '1 microsecond') at time zone ${tz}),
                                 interval '1 month') as month
        ), agg as (
          select date_trunc('month', r.responded_at at time zone ${tz}) as month, ${COUNTS}
            from survey_responses r where ${inRange} group by 1
        )
        select to_char(s.month, 'YYYY-MM') as month,
               coalesce(a.promoters, 0)::int as promoters, coalesce(a.passives, 0)::int as passives, coalesce(a.detractors, 0)::int as detractors
          from series s left join agg a on a.month = s.month
         order by s.month`,
  );

  const comments = await queryRows<{ score: number; comment: string; responded_at: string; name: string | null }>(
    tx,
    sql`select r.score, r.comment, r.responded_at::text as responded_at,
               case when c.erased_at is null then nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '') end as name
          from survey_responses r
          left join customers c on c.id = r.customer_id
         where ${inRange} and r.comment is not null and r.comment <> ''
         order by r.responded_at desc, r.id
         limit ${options.comments ?? 20}`,
  );

  return {
    from: options.from,
    to: options.to,
    timeZone: tz,
    overall: figure(overall),
    bySegment: segments.map((s) => ({ segmentId: s.segment_id, key: s.key, name: s.name, ...figure(s) })),
    byMonth: months.map((m) => ({ month: m.month, ...figure(m) })),
    comments: comments.map((c) => ({ score: c.score, comment: c.comment, respondedAt: new Date(c.responded_at), customerName: c.name })),
  };
}
