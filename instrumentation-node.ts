// Make sure AUTH_SECRET exists, open the database and apply migrations before serving. If the
// database cannot be reached, say which and why in one line and stop.
import { ensureAuthSecret } from "./lib/auth/ensure-auth-secret";
import { getDatabase } from "./lib/db/client";

ensureAuthSecret();
try {
  const database = await getDatabase();
  console.log(`Regulars: database ready (${database.label}).`);
} catch (e) {
  console.error(`Regulars: ${(e as Error).message}`);
  process.exit(1);
}
