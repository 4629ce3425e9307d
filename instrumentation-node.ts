// Make sure AUTH_SECRET exists, open the database and apply migrations before serving. If the
// database cannot be reached, say which and why in one line and stop. Then start the schedules
// that keep every shop's segments fresh and purge raw events past their retention. Connections'
// addresses are recorded for the sign-in limits before any request reaches the app
// (lib/http/peer-address.ts).
import http from "node:http";
import https from "node:https";
import { ensureAuthSecret } from "./lib/auth/ensure-auth-secret";
import { getDatabase } from "./lib/db/client";
import { readEnv } from "./lib/env";
import { recordPeerAddresses } from "./lib/http/peer-address";
import { purgeAllShops } from "./lib/privacy/purge-expired";
import { refreshDueShops } from "./lib/segments/refresh-jobs";

recordPeerAddresses(http.Server, https.Server);
ensureAuthSecret();
try {
  const database = await getDatabase();
  console.log(`Regulars: database ready (${database.label}).`);
} catch (e) {
  console.error(`Regulars: ${(e as Error).message}`);
  process.exit(1);
}

const hours = readEnv().SEGMENT_REFRESH_HOURS;
if (hours > 0) {
  let ticking = false; // a slow round is not overlapped by the next one
  const tick = async () => {
    if (ticking) return;
    ticking = true;
    await refreshDueShops({ maxAgeHours: hours })
      .catch((e: unknown) => console.error("Regulars: scheduled segment refresh failed:", e))
      .finally(() => (ticking = false));
  };
  // Check every quarter of the period (at most hourly); a shop is refreshed once its segments are older than the period.
  const every = Math.min(hours / 4, 1) * 3_600_000;
  setTimeout(tick, 60_000).unref();
  setInterval(tick, every).unref();
}

// Retention is not optional (DESIGN invariant 5): expired raw events are purged daily, whatever the
// segment schedule, starting a few minutes after the server starts.
let purging = false;
const purge = async () => {
  if (purging) return;
  purging = true;
  await purgeAllShops({ onError: (shopId, e) => console.error(`Regulars: retention purge failed for shop ${shopId}:`, e) })
    .then((results) => {
      const removed = results.reduce((s, r) => s + r.removed, 0);
      if (removed > 0) console.log(`Regulars: retention purge removed ${removed} expired raw events.`);
    })
    .catch((e: unknown) => console.error("Regulars: retention purge failed:", e))
    .finally(() => (purging = false));
};
setTimeout(purge, 5 * 60_000).unref();
setInterval(purge, 24 * 3_600_000).unref();

// On the embedded database (regulars demo) the sending worker runs here, as a second process
// could not open it; with Postgres it is its own process (`regulars worker`).
if (readEnv().WORKER_IN_SERVER) {
  const { runWorker } = await import("./lib/campaigns/run-worker");
  const loop = (): void => {
    runWorker({ pollMs: 5_000 }).catch((e: unknown) => {
      console.error("Regulars: the sending worker stopped, restarting in a minute:", e);
      setTimeout(loop, 60_000).unref();
    });
  };
  setTimeout(loop, 5_000).unref();
  console.log("Regulars: sending worker started in this process.");
}
