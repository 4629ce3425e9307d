// The sending worker (`npx regulars worker`, also started by `npm run demo`): takes due messages
// shop by shop, delivers them a few at a time, checks each touched campaign's opt-out guardrail after
// each batch, and waits a little when there is nothing to do. Several workers may run against one
// Postgres: claims with SKIP LOCKED keep them apart, and a worker that stops mid-batch leaves its
// claimed messages to the others once its lease runs out (docs/decisions/010-campaigns.md). It also
// runs the switched-on segment automations once a day per shop (run-daily-automations.ts).
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { inArray } from "drizzle-orm";
import { getDatabase, type Database } from "../db/client";
import { sends, shops } from "../db/schema";
import { withShop, withShopScheduler, type ShopTx } from "../db/tenant";
import { targetDueCampaigns } from "./campaign-lifecycle";
import { claimDueSends } from "./claim-sends";
import { deliverSends, settleAfterError, type DeliveryOutcome, type Transports } from "./deliver-send";
import { checkOptOutGuardrail } from "./opt-out-guardrail";
import { loadRecommender, type Recommender } from "./recommend-products";
import { runDailyAutomations } from "./run-daily-automations";

/**
 * How often a worker asks whether a shop's daily automations are due. The answer is in the
 * database (the day's runs), so this only spares a query per shop on every pass.
 */
const DAILY_CHECK_EVERY_MS = 10 * 60_000;

/** How long a worker reuses a shop's recommendations before reading the orders again. */
const RECOMMENDATIONS_KEPT_MS = 10 * 60_000;

/** One value per shop, computed on first use and again once it is older than `ttlMs`; a failed load is not kept. */
class ShopCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();
  constructor(private readonly ttlMs: number, private readonly now: () => Date) {}
  get(shopId: string, load: () => Promise<T>): Promise<T> {
    const t = this.now().getTime();
    const hit = this.entries.get(shopId);
    if (hit && t - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(shopId, { at: t, value });
    value.catch(() => this.entries.delete(shopId));
    return value;
  }
}

export interface WorkerOptions {
  database?: Database;
  workerId?: string;
  batch?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Messages delivered at once (default 4 on Postgres, 1 on the embedded database). */
  parallel?: number;
  /** Stop as soon as a pass finds nothing to send. */
  once?: boolean;
  signal?: AbortSignal;
  transports?: Transports;
  now?: () => Date;
  /** The public address links point to (APP_URL by default). */
  appUrl?: string;
  onOutcome?: (sendId: string, outcome: DeliveryOutcome) => void;
  /** Run the switched-on segment automations once a day per shop (default true). */
  dailyAutomations?: boolean;
}

export type WorkerTally = Record<DeliveryOutcome["status"], number>;

export const newWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

export async function runWorker(options: WorkerOptions = {}): Promise<WorkerTally> {
  const { database } = options;
  const workerId = options.workerId ?? newWorkerId();
  const batch = options.batch ?? 50;
  const leaseMs = options.leaseMs ?? 120_000;
  const pollMs = options.pollMs ?? 2_000;
  const now = options.now ?? (() => new Date());
  const tally: WorkerTally = { sent: 0, skipped: 0, retry: 0, failed: 0, released: 0, not_ours: 0 };

  const recommenders = new ShopCache<Recommender>(RECOMMENDATIONS_KEPT_MS, now);
  const dailyCheckedAt = new Map<string, number>();
  while (!options.signal?.aborted) {
    let worked = 0;
    const shopIds = (await withShopScheduler((tx) => tx.select({ id: shops.id }).from(shops), database)).map((s) => s.id);
    for (const shopId of shopIds) {
      if (options.signal?.aborted) break;
      const lastCheck = dailyCheckedAt.get(shopId);
      if (options.dailyAutomations !== false && (lastCheck === undefined || now().getTime() - lastCheck >= DAILY_CHECK_EVERY_MS)) {
        dailyCheckedAt.set(shopId, now().getTime());
        // A failed daily run (tried again at the next check) must not stop the sending.
        await withShop(shopId, (tx) => runDailyAutomations(tx, { now: now() }), database)
          .catch((e: unknown) => console.error(`Regulars: the daily automations of shop ${shopId} failed:`, e));
      }
      // Approved campaigns whose schedule has come are targeted first, so their messages go out in this pass.
      await withShop(shopId, (tx) => targetDueCampaigns(tx, { now: now() }), database);
      const claimed = await withShop(shopId, (tx) => claimDueSends(tx, { workerId, limit: batch, now: now(), leaseMs }), database);
      // The shop's recommendations, read (in the message's own transaction) when a message first needs them, and kept a few minutes.
      const recommender = (tx: ShopTx) => recommenders.get(shopId, () => loadRecommender(tx, { now: now() }));
      const touched = new Set<string>();
      // A few messages at a time (default 4 on Postgres), read, sent and recorded together in one
      // transaction (deliver-send.ts): most of a message's time is the mail server's answer, and a
      // transaction per message cost more than that. The embedded database has one connection, so
      // one at a time there. A second message for a customer among the few waits for the next few.
      const parallel = Math.max(1, options.parallel ?? ((database ?? (await getDatabase())).kind === "postgres" ? 4 : 1));
      const queue = [...claimed];
      while (queue.length > 0) {
        const few = queue.splice(0, parallel);
        const delivered = await deliverSends(database, shopId, few, { workerId, now, transports: options.transports, appUrl: options.appUrl, recommender })
          .catch(async (e: unknown) => ({
            outcomes: await Promise.all(few.map(async (sendId) => ({ sendId, outcome: await settleAfterError(database, shopId, sendId, workerId, e, now()) }))),
            deferred: [] as string[],
          }));
        queue.push(...delivered.deferred);
        for (const { sendId, outcome } of delivered.outcomes) {
          tally[outcome.status] += 1;
          // A message handed back (its campaign paused meanwhile) or taken over is not progress: without
          // this a worker could spin on the same message.
          if (outcome.status !== "released" && outcome.status !== "not_ours") worked += 1;
          options.onOutcome?.(sendId, outcome);
          if (outcome.status === "sent") touched.add(sendId);
        }
      }
      if (touched.size > 0) {
        await withShop(shopId, async (tx) => {
          const rows = await tx.selectDistinct({ campaignId: sends.campaignId }).from(sends).where(inArray(sends.id, [...touched]));
          for (const { campaignId } of rows) await checkOptOutGuardrail(tx, campaignId);
        }, database);
      }
    }
    if (worked === 0) {
      if (options.once) break;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        options.signal?.addEventListener("abort", () => (clearTimeout(timer), resolve(null)), { once: true });
      });
    }
  }
  return tally;
}
