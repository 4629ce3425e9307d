// Claimed messages, from the outbox to the customer, a few at a time (as many as the worker has in
// flight). At the moment of sending everything is checked again (DESIGN invariant 1): the customer
// may have withdrawn, been erased, bounced or had other messages since the audience was built. A
// message that may no longer go is skipped with the reason; one that may goes out with the
// preference and one-click unsubscribe links, and is recorded with the consent receipt of the
// grant in force at that moment. A failed send is retried later (backing off) and given up after a
// few attempts. The few run in one transaction holding their rows, so no other worker can touch
// them meanwhile: one read of all their facts just before they are sent together, one write of
// what happened to each — rather than a transaction, a read and a write per message, which cost
// more than the mail server's answer. Two messages for one customer are never decided together
// (the second waits for the next few), so each one's count of the week's messages includes the
// other once it went.
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { queryRows } from "../db/client";
import { withShop, type ShopTx } from "../db/tenant";
import { sendMail, type MailMessage } from "../mail/send-mail";
import { messageLinks, publicBaseUrl } from "../privacy/message-links";
import { sendSms, type SmsMessage } from "../sms/send-sms";
import { surveyUrl } from "../surveys/survey-links";
import { automationSkipReason } from "./automations";
import { renderMessage, renderSms } from "./message-template";
import { customerPurchases, type Recommender } from "./recommend-products";

export const MAX_ATTEMPTS = 5;

/** A day in the customer's language and time zone; a language or zone the runtime does not know falls back rather than failing the message. */
function formatDay(at: Date, locale: string | null, timeZone: string): string {
  for (const [l, z] of [[locale ?? "en-GB", timeZone], ["en-GB", timeZone], ["en-GB", "UTC"]] as const) {
    try {
      return new Intl.DateTimeFormat(l, { dateStyle: "long", timeZone: z }).format(at);
    } catch {
      // try the next
    }
  }
  return at.toISOString().slice(0, 10);
}

/**
 * A message whose delivery failed in an unexpected way (not the mail server: that is a retry with
 * its own pause) goes back to the queue for a later attempt, or fails after MAX_ATTEMPTS, with the
 * error kept — so one bad message can neither stop the worker nor come back at once forever.
 */
export async function settleAfterError(database: Database | undefined, shopId: string, sendId: string, workerId: string, error: unknown, now: Date): Promise<DeliveryOutcome> {
  const message = error instanceof Error ? error.message : String(error);
  const retryAt = new Date(now.getTime() + 5 * 60_000).toISOString();
  const [row] = await withShop(shopId, (tx) => queryRows<{ status: "queued" | "failed" }>(
    tx,
    sql`update sends set status = case when attempts >= ${MAX_ATTEMPTS} then 'failed'::send_status else 'queued'::send_status end,
               last_error = ${`Unexpected: ${message}`.slice(0, 500)}, send_after = ${retryAt}::timestamptz, claimed_by = null, claimed_at = null
         where id = ${sendId}::uuid and status = 'sending' and claimed_by = ${workerId}
        returning status::text as status`,
  ), database);
  if (!row) return { status: "not_ours" };
  return row.status === "failed" ? { status: "failed", error: message } : { status: "retry", error: message };
}

export type DeliveryOutcome =
  | { status: "sent" }
  | { status: "skipped"; reason: SkipReason }
  | { status: "retry"; error: string }
  | { status: "failed"; error: string }
  /** The campaign was paused meanwhile: the message waits, queued again. */
  | { status: "released" }
  /** Another worker took the message over (this one's lease ran out): nothing done. */
  | { status: "not_ours" };

export type SkipReason = "erased" | "no_address" | "suppressed" | "no_consent" | "contact_budget" | "frequency_cap" | "variant_removed" | "ordered_since";

export interface Transports {
  mail: (m: MailMessage) => Promise<unknown>;
  sms: (m: SmsMessage) => Promise<unknown>;
}

export const defaultTransports: Transports = { mail: (m) => sendMail(m), sms: (m) => sendSms(m) };

interface Facts {
  id: string; status: string; claimed_by: string | null; attempts: number; customer_id: string; channel: "email" | "sms" | "push"; why: string; idempotency_key: string;
  campaign_status: string; purpose: string; automation: boolean; shop_name: string; shop_time_zone: string; cap: number;
  email: string | null; phone: string | null; first_name: string | null; erased: boolean; budget: number | null; time_zone: string | null; locale: string | null;
  granted: boolean | null; event_id: string | null; event_hash: string | null; suppressed: boolean; recent: number;
  subject: string | null; body: string | null;
  last_order_at: string | null; last_order_product: string | null;
}

export interface DeliverOptions {
  workerId: string;
  now?: () => Date;
  transports?: Transports;
  appUrl?: string;
  /** The shop's recommendations (lib/campaigns/recommend-products.ts), for {{recommended_products}}; none without. */
  recommender?: (tx: ShopTx) => Promise<Recommender>;
}

/** What happened to each message, and those left for the next few (a second message for a customer already among these). */
export interface BatchDelivery {
  outcomes: { sendId: string; outcome: DeliveryOutcome }[];
  deferred: string[];
}

/** How a message's row is left: the columns its outcome sets (claim cleared for all). */
type Settlement =
  | { id: string; kind: "sent"; sent_at: string; event_id: string | null; event_hash: string | null; message_id: string }
  | { id: string; kind: "skipped"; reason: SkipReason }
  | { id: string; kind: "released" }
  | { id: string; kind: "retry"; error: string; send_after: string }
  | { id: string; kind: "failed"; error: string }
  | { id: string; kind: "unexpected"; error: string; send_after: string };

/** Records every outcome of a batch in one statement. */
async function settleAll(tx: ShopTx, rows: Settlement[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(sql`
    update sends s set
      status = case v.kind when 'sent' then 'sent'::send_status when 'skipped' then 'skipped'::send_status when 'failed' then 'failed'::send_status
                           when 'unexpected' then case when s.attempts >= ${MAX_ATTEMPTS} then 'failed'::send_status else 'queued'::send_status end
                           else 'queued'::send_status end,
      skip_reason = case when v.kind = 'skipped' then v.reason else s.skip_reason end,
      attempts = case when v.kind = 'released' then greatest(s.attempts - 1, 0) else s.attempts end,
      last_error = case v.kind when 'sent' then null when 'retry' then v.error when 'failed' then v.error when 'unexpected' then left('Unexpected: ' || v.error, 500) else s.last_error end,
      send_after = coalesce(v.send_after, s.send_after),
      sent_at = case when v.kind = 'sent' then v.sent_at else s.sent_at end,
      consent_event_id = case when v.kind = 'sent' then v.event_id else s.consent_event_id end,
      consent_hash = case when v.kind = 'sent' then v.event_hash else s.consent_hash end,
      message_id = case when v.kind = 'sent' then v.message_id else s.message_id end,
      claimed_by = null, claimed_at = null
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id uuid, kind text, reason text, error text, send_after timestamptz, sent_at timestamptz, event_id uuid, event_hash text, message_id text)
    where s.id = v.id`);
}

/** One message: deliverSends with one. */
export async function deliverSend(database: Database | undefined, shopId: string, sendId: string, options: DeliverOptions): Promise<DeliveryOutcome> {
  const { outcomes } = await deliverSends(database, shopId, [sendId], options);
  return outcomes[0]!.outcome;
}

export async function deliverSends(database: Database | undefined, shopId: string, sendIds: readonly string[], options: DeliverOptions): Promise<BatchDelivery> {
  const now = options.now ?? (() => new Date());
  const transports = options.transports ?? defaultTransports;
  return withShop(shopId, async (tx) => {
    const at = now().toISOString();
    const weekAgo = new Date(Date.parse(at) - 7 * 86_400_000).toISOString();
    const rows = await queryRows<Facts>(
      tx,
      sql`select s.id, s.status, s.claimed_by, s.attempts, s.customer_id, s.channel, s.why, s.idempotency_key,
                 k.status as campaign_status, k.purpose, k.automation, sh.name as shop_name, sh.time_zone as shop_time_zone, sh.frequency_cap_per_week as cap,
                 c.email, c.phone, c.first_name, c.erased_at is not null as erased, c.contact_budget_per_week as budget, c.time_zone, c.locale,
                 cs.granted, cs.event_id, cs.event_hash,
                 exists (select 1 from suppressions x where x.channel = s.channel
                           and x.address = case s.channel when 'email' then lower(c.email) when 'sms' then c.phone end) as suppressed,
                 (select count(*)::int from sends x where x.customer_id = s.customer_id and x.id <> s.id and x.status in ('sent', 'delivered')
                     and x.sent_at > ${weekAgo}::timestamptz) as recent,
                 v.subject, v.body,
                 lo.placed_at::text as last_order_at, lo.product as last_order_product
            from sends s
            join campaigns k on k.id = s.campaign_id
            join shops sh on sh.id = s.shop_id
            join customers c on c.id = s.customer_id
            left join variants v on v.id = s.variant_id
            left join consent_state cs on cs.customer_id = s.customer_id and cs.channel = s.channel and cs.purpose = k.purpose
            left join lateral (select o.placed_at, (select i.name from order_items i where i.shop_id = o.shop_id and i.order_id = o.id order by i.id limit 1) as product
                                 from sales o where o.customer_id = s.customer_id order by o.placed_at desc limit 1) lo on true
           where s.id = any(${`{${sendIds.join(",")}}`}::uuid[])
             for update of s`,
    );
    const facts = new Map(rows.map((f) => [f.id, f]));
    const outcomes = new Map<string, DeliveryOutcome>();
    const settlements: Settlement[] = [];
    const deferred: string[] = [];
    const customers = new Set<string>();
    const outgoing: { f: Facts; send: () => Promise<unknown>; messageId: string }[] = [];

    for (const sendId of sendIds) {
      const f = facts.get(sendId);
      if (!f || f.status !== "sending" || f.claimed_by !== options.workerId) {
        outcomes.set(sendId, { status: "not_ours" });
        continue;
      }
      if (customers.has(f.customer_id)) {
        deferred.push(sendId);
        continue;
      }
      customers.add(f.customer_id);
      if (f.campaign_status === "paused") {
        settlements.push({ id: sendId, kind: "released" });
        outcomes.set(sendId, { status: "released" });
        continue;
      }
      try {
        const address = f.channel === "email" ? f.email : f.channel === "sms" ? f.phone : null;
        const reason: SkipReason | null = f.erased ? "erased"
          : !address ? "no_address"
          : f.suppressed ? "suppressed"
          : !f.granted ? "no_consent"
          : f.budget !== null && f.recent >= f.budget ? "contact_budget"
          : f.recent >= f.cap ? "frequency_cap"
          : f.body === null ? "variant_removed"
          // automations' own conditions (lib/campaigns/automations.ts); a campaign that is none has none
          : f.automation ? await automationSkipReason(tx, sendId) : null;
        if (reason) {
          settlements.push({ id: sendId, kind: "skipped", reason });
          outcomes.set(sendId, { status: "skipped", reason });
          continue;
        }

        const zone = f.time_zone ?? f.shop_time_zone;
        const values = {
          firstName: f.first_name,
          shopName: f.shop_name,
          lastOrderDate: f.last_order_at ? formatDay(new Date(f.last_order_at), f.locale, zone) : null,
          lastOrderProduct: f.last_order_product,
          recommendedProducts: options.recommender && /\{\{\s*recommended_products/i.test(f.body!)
            ? (await options.recommender(tx)).recommend(await customerPurchases(tx, f.customer_id))
            : [],
          surveyUrl: f.purpose === "surveys" ? surveyUrl({ shopId, customerId: f.customer_id, sendId }, { appUrl: options.appUrl }) : null,
        };
        const links = messageLinks({ shopId, customerId: f.customer_id, channel: f.channel, sendId }, { appUrl: options.appUrl });
        const footer = { preferencesUrl: links.preferencesUrl, unsubscribeUrl: links.unsubscribeUrl, why: f.why };
        const messageId = `<${sendId}@${new URL(publicBaseUrl(options.appUrl)).hostname}>`;
        if (f.channel === "email") {
          const m = renderMessage({ subject: f.subject, body: f.body! }, values, footer);
          outgoing.push({ f, messageId, send: () => transports.mail({ to: address!, subject: m.subject, text: m.text, html: m.html, headers: links.headers, messageId }) });
        } else {
          const body = renderSms({ body: f.body! }, values, footer);
          outgoing.push({ f, messageId, send: () => transports.sms({ to: address!, body, idempotencyKey: f.idempotency_key }) });
        }
      } catch (e) {
        // A message that cannot be prepared goes back to the queue for later (settleAfterError's rule), without holding up the others.
        const error = e instanceof Error ? e.message : String(e);
        settlements.push({ id: sendId, kind: "unexpected", error, send_after: new Date(Date.parse(at) + 5 * 60_000).toISOString() });
        outcomes.set(sendId, f.attempts >= MAX_ATTEMPTS ? { status: "failed", error } : { status: "retry", error });
      }
    }

    // Sent together: most of a message's time is the mail server's answer.
    await Promise.all(outgoing.map(async ({ f, send, messageId }) => {
      try {
        await send();
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        if (f.attempts >= MAX_ATTEMPTS) {
          settlements.push({ id: f.id, kind: "failed", error });
          outcomes.set(f.id, { status: "failed", error });
          return;
        }
        // 1, 2, 4, 8 minutes: long enough for a server to come back, short enough for a campaign's day.
        settlements.push({ id: f.id, kind: "retry", error, send_after: new Date(Date.parse(at) + 60_000 * 2 ** (f.attempts - 1)).toISOString() });
        outcomes.set(f.id, { status: "retry", error });
        return;
      }
      // The receipt is the grant in force when the message went out.
      settlements.push({ id: f.id, kind: "sent", sent_at: now().toISOString(), event_id: f.event_id, event_hash: f.event_hash, message_id: messageId });
      outcomes.set(f.id, { status: "sent" });
    }));
    await settleAll(tx, settlements);
    return { outcomes: sendIds.filter((id) => outcomes.has(id)).map((sendId) => ({ sendId, outcome: outcomes.get(sendId)! })), deferred };
  }, database);
}
