// The consent log as an owner and an auditor read it: filtered by customer, channel, purpose,
// method, action and a date range (days in the shop's time zone), a page at a time, with the
// policy text each decision was made under, grants and withdrawals per month, and the same
// filtered log as CSV. One WHERE clause serves the table, the chart and the CSV.
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { toCsv } from "../csv/to-csv";
import { queryRows } from "../db/client";
import type { ShopTx } from "../db/tenant";
import { ChannelSchema, ConsentActionSchema, PurposeSchema } from "./schemas";

export const CONSENT_METHODS = ["checkout", "preference_page", "one_click_unsubscribe", "import", "api", "owner_on_behalf", "gpc"] as const;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)));

/** The log's query as it arrives from a URL: anything odd falls back to "all". */
export const ConsentLogQuerySchema = z.object({
  q: z.string().trim().max(200).catch("").default(""),
  customer: z.uuid().optional().catch(undefined),
  channel: ChannelSchema.optional().catch(undefined),
  purpose: PurposeSchema.optional().catch(undefined),
  method: z.enum(CONSENT_METHODS).optional().catch(undefined),
  action: ConsentActionSchema.optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  pageSize: z.coerce.number().int().min(10).max(200).catch(50).default(50),
});
export type ConsentLogQuery = z.infer<typeof ConsentLogQuerySchema>;

export interface ConsentLogRow {
  id: string;
  seq: number;
  customerId: string;
  customerName: string | null;
  customerEmail: string | null;
  customerErased: boolean;
  channel: string;
  purpose: string;
  action: "grant" | "withdraw";
  method: string;
  gpc: boolean;
  actorType: string;
  actorId: string | null;
  actorEmail: string | null;
  page: string | null;
  requestId: string | null;
  evidence: Record<string, unknown>;
  policyVersionId: string | null;
  policyVersion: string | null;
  policySha256: string | null;
  occurredAt: Date;
  recordedAt: Date;
  hash: string;
  prevHash: string | null;
}

export interface ConsentLogMonth {
  month: string; // YYYY-MM in the shop's time zone
  grants: number;
  withdrawals: number;
}

export interface ConsentLog {
  rows: ConsentLogRow[];
  total: number;
  pages: number;
  query: ConsentLogQuery;
  /** Events in the whole ledger, whatever the filters. */
  ledgerEvents: number;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

function whereOf(query: ConsentLogQuery, timeZone: string): SQL {
  const parts: SQL[] = [sql`true`];
  if (query.customer) parts.push(sql`e.customer_id = ${query.customer}`);
  if (query.q) {
    const p = likePattern(query.q);
    parts.push(sql`(c.email ilike ${p} or c.external_id ilike ${p} or (coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) ilike ${p}
                   or e.request_id ilike ${p} or e.hash ilike ${`${query.q.toLowerCase()}%`})`);
  }
  if (query.channel) parts.push(sql`e.channel = ${query.channel}`);
  if (query.purpose) parts.push(sql`e.purpose = ${query.purpose}`);
  if (query.method) parts.push(sql`e.method = ${query.method}`);
  if (query.action) parts.push(sql`e.action = ${query.action}`);
  // Whole days in the shop's time zone, "to" included.
  if (query.from) parts.push(sql`e.occurred_at >= (${query.from}::date::timestamp at time zone ${timeZone})`);
  if (query.to) parts.push(sql`e.occurred_at < ((${query.to}::date + 1)::timestamp at time zone ${timeZone})`);
  return sql.join(parts, sql` and `);
}

const selectRows = (where: SQL) => sql`
  select e.id, e.seq::float8 as seq, e.customer_id, nullif(trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')), '') as customer_name,
         c.email as customer_email, c.erased_at is not null as customer_erased,
         e.channel::text, e.purpose::text, e.action::text, e.method, e.gpc, e.actor_type::text, e.actor_id, u.email as actor_email,
         e.page, e.request_id, e.evidence, e.policy_version_id, p.version as policy_version, e.policy_sha256,
         e.occurred_at, e.recorded_at, e.hash, e.prev_hash
    from consent_events e
    join customers c on c.id = e.customer_id
    left join policy_versions p on p.id = e.policy_version_id
    left join users u on e.actor_type = 'owner' and u.id::text = e.actor_id
   where ${where}`;

interface RawRow {
  id: string; seq: number; customer_id: string; customer_name: string | null; customer_email: string | null; customer_erased: boolean;
  channel: string; purpose: string; action: "grant" | "withdraw"; method: string; gpc: boolean; actor_type: string; actor_id: string | null;
  actor_email: string | null; page: string | null; request_id: string | null; evidence: Record<string, unknown> | string;
  policy_version_id: string | null; policy_version: string | null; policy_sha256: string | null;
  occurred_at: Date | string; recorded_at: Date | string; hash: string; prev_hash: string | null;
}

const toRow = (r: RawRow): ConsentLogRow => ({
  id: r.id,
  seq: Number(r.seq),
  customerId: r.customer_id,
  customerName: r.customer_erased ? null : r.customer_name,
  customerEmail: r.customer_erased ? null : r.customer_email,
  customerErased: r.customer_erased,
  channel: r.channel,
  purpose: r.purpose,
  action: r.action,
  method: r.method,
  gpc: r.gpc,
  actorType: r.actor_type,
  actorId: r.actor_id,
  actorEmail: r.actor_email,
  page: r.page,
  requestId: r.request_id,
  evidence: typeof r.evidence === "string" ? (JSON.parse(r.evidence) as Record<string, unknown>) : r.evidence,
  policyVersionId: r.policy_version_id,
  policyVersion: r.policy_version,
  policySha256: r.policy_sha256,
  occurredAt: new Date(r.occurred_at),
  recordedAt: new Date(r.recorded_at),
  hash: r.hash,
  prevHash: r.prev_hash,
});

export async function listConsentEvents(tx: ShopTx, input: Partial<Record<keyof ConsentLogQuery, unknown>>, options: { timeZone: string }): Promise<ConsentLog> {
  const query = ConsentLogQuerySchema.parse(input);
  const where = whereOf(query, options.timeZone);
  const [counts] = await queryRows<{ n: number; all: number }>(
    tx,
    sql`select (select count(*)::int from consent_events e join customers c on c.id = e.customer_id where ${where}) as n,
               (select count(*)::int from consent_events) as all`,
  );
  const total = counts?.n ?? 0;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(query.page, pages);
  const rows = await queryRows<RawRow>(tx, sql`${selectRows(where)} order by e.seq desc limit ${query.pageSize} offset ${(page - 1) * query.pageSize}`);
  return { rows: rows.map(toRow), total, pages, query: { ...query, page }, ledgerEvents: counts?.all ?? 0 };
}

/** Grants and withdrawals per calendar month (shop time), every month from the first to the last. */
export async function countConsentByMonth(tx: ShopTx, input: Partial<Record<keyof ConsentLogQuery, unknown>>, options: { timeZone: string }): Promise<ConsentLogMonth[]> {
  const query = ConsentLogQuerySchema.parse(input);
  const where = whereOf(query, options.timeZone);
  return queryRows<ConsentLogMonth>(
    tx,
    sql`with m as (
          select date_trunc('month', e.occurred_at at time zone ${options.timeZone}) as month,
                 count(*) filter (where e.action = 'grant')::int as grants,
                 count(*) filter (where e.action = 'withdraw')::int as withdrawals
            from consent_events e join customers c on c.id = e.customer_id
           where ${where}
           group by 1)
        select to_char(s.month, 'YYYY-MM') as month, coalesce(m.grants, 0) as grants, coalesce(m.withdrawals, 0) as withdrawals
          from generate_series((select min(month) from m), (select max(month) from m), interval '1 month') as s(month)
          left join m on m.month = s.month
         order by s.month`,
  );
}

export const CONSENT_CSV_HEADER = [
  "seq", "event_id", "occurred_at_utc", "recorded_at_utc", "customer_id", "customer_email", "channel", "purpose", "action", "method",
  "gpc", "actor_type", "actor", "page", "request_id", "evidence", "policy_version", "policy_sha256", "prev_hash", "hash",
] as const;

/** The filtered log, oldest first, as CSV for an auditor (every cell formula-escaped by lib/csv). */
export async function consentEventsCsv(tx: ShopTx, input: Partial<Record<keyof ConsentLogQuery, unknown>>, options: { timeZone: string }): Promise<string> {
  const query = ConsentLogQuerySchema.parse(input);
  const where = whereOf(query, options.timeZone);
  const lines: (string | number | null)[][] = [];
  // In batches by seq, so a long ledger is never held twice over (rows and their text).
  let after = 0;
  for (;;) {
    const batch = (await queryRows<RawRow>(tx, sql`${selectRows(sql`${where} and e.seq > ${after}`)} order by e.seq limit 5000`)).map(toRow);
    for (const r of batch) {
      lines.push([
        r.seq, r.id, r.occurredAt.toISOString(), r.recordedAt.toISOString(), r.customerId, r.customerErased ? "(erased)" : r.customerEmail,
        r.channel, r.purpose, r.action, r.method, r.gpc ? "yes" : "no", r.actorType, r.actorEmail ?? r.actorId, r.page, r.requestId,
        JSON.stringify(r.evidence), r.policyVersion, r.policySha256, r.prevHash, r.hash,
      ]);
    }
    if (batch.length < 5000) break;
    after = batch.at(-1)!.seq;
  }
  return toCsv(CONSENT_CSV_HEADER, lines);
}
