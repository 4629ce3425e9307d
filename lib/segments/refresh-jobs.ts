// Refreshes started from the dashboard, after an import, or by the schedule run in the background
// of the server process; the page polls the job for progress. One job per shop at a time: asking
// again while one runs answers the running job. (Progress is visible on the instance running it;
// the result is in the shop's refresh history either way.)
import { desc, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { segmentRefreshes, shops } from "../db/schema";
import { withShop, withShopScheduler } from "../db/tenant";
import { AppError } from "../errors";
import { computeMetricsSnapshot } from "../metrics/metrics-snapshots";
import { refreshSegments, type RefreshProgress, type RefreshResult, type RefreshTrigger } from "./refresh-segments";

export interface RefreshJob {
  shopId: string;
  trigger: RefreshTrigger;
  status: "running" | "done" | "failed";
  progress: RefreshProgress | null;
  result: Pick<RefreshResult, "refreshId" | "computedAt" | "customers"> | null;
  error: string | null;
  startedAt: string;
}

const holder = globalThis as unknown as { __regularsRefreshJobs?: Map<string, RefreshJob>; __regularsRefreshQueued?: Set<string> };
const jobs = (holder.__regularsRefreshJobs ??= new Map());
/** Shops whose data changed while a refresh ran: they get one more refresh when it ends. */
const queued = (holder.__regularsRefreshQueued ??= new Set());

export function getRefreshJob(shopId: string): RefreshJob | null {
  return jobs.get(shopId) ?? null;
}

export function startRefreshJob(shopId: string, trigger: RefreshTrigger, database?: Database): RefreshJob {
  const running = jobs.get(shopId);
  if (running?.status === "running") {
    // New data arrived during a refresh: it would be missed, so run once more afterwards.
    if (trigger === "import") queued.add(shopId);
    return running;
  }
  const job: RefreshJob = { shopId, trigger, status: "running", progress: null, result: null, error: null, startedAt: new Date().toISOString() };
  jobs.set(shopId, job);
  void refreshSegments(shopId, { trigger, database, onProgress: (p) => (job.progress = p) })
    .then((r) => {
      job.result = { refreshId: r.refreshId, computedAt: r.computedAt, customers: r.customers };
      job.status = "done";
      // The refresh set aside the Overview's kept figures; compute the default view's now, in the
      // background, so the owner's next look does not wait for it (seconds on a large shop).
      void withShop(shopId, (tx) => computeMetricsSnapshot(tx), database).catch((e: unknown) => console.error("Computing the Overview's figures failed:", e));
    })
    .catch((e: unknown) => {
      job.status = "failed";
      job.error = e instanceof AppError ? e.message : "The refresh failed; the previous segments are unchanged. The server log has the details.";
      if (!(e instanceof AppError)) console.error(e);
    })
    .finally(() => {
      if (queued.delete(shopId)) startRefreshJob(shopId, "import", database);
    });
  return job;
}

/** Waits for a shop's running refresh, if any (for tests and the CLI). */
export async function settleRefreshJob(shopId: string): Promise<RefreshJob | null> {
  for (;;) {
    const job = jobs.get(shopId);
    if (!job || job.status !== "running") return job ?? null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a refresh for every shop whose last one is older than `maxAgeHours` (or that never had one). */
export async function refreshDueShops(options: { maxAgeHours: number; database?: Database; now?: Date }): Promise<string[]> {
  const now = options.now ?? new Date();
  const ids = await withShopScheduler((tx) => tx.select({ id: shops.id }).from(shops), options.database);
  const due: string[] = [];
  for (const { id } of ids) {
    const [last] = await withShop(id, (tx) =>
      tx.select({ startedAt: segmentRefreshes.startedAt }).from(segmentRefreshes).where(eq(segmentRefreshes.status, "done"))
        .orderBy(desc(segmentRefreshes.startedAt)).limit(1),
    options.database);
    if (!last || now.getTime() - last.startedAt.getTime() > options.maxAgeHours * 3_600_000) due.push(id);
  }
  // One at a time: a refresh holds the database's attention, and PGlite has one connection.
  for (const id of due) {
    startRefreshJob(id, "schedule", options.database);
    await settleRefreshJob(id);
  }
  return due;
}
