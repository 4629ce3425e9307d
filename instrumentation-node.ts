// Make sure AUTH_SECRET exists, open the database and apply migrations before serving. If the
// database cannot be reached, say which and why in one line and stop. Then start the schedule
// that keeps every shop's segments fresh. Connections' addresses are recorded for the sign-in
// limits before any request reaches the app (lib/http/peer-address.ts).
import http from "node:http";
import https from "node:https";
import { ensureAuthSecret } from "./lib/auth/ensure-auth-secret";
import { getDatabase } from "./lib/db/client";
import { readEnv } from "./lib/env";
import { recordPeerAddresses } from "./lib/http/peer-address";
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
