// Runs once when the server starts: make sure AUTH_SECRET exists, open the database and apply
// migrations. If the database cannot be reached, say which and why in one line and stop.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { ensureAuthSecret } = await import("./lib/auth/ensure-auth-secret");
  const { getDatabase } = await import("./lib/db/client");
  ensureAuthSecret();
  try {
    const database = await getDatabase();
    console.log(`Regulars: database ready (${database.label}).`);
  } catch (e) {
    console.error(`Regulars: ${(e as Error).message}`);
    process.exit(1);
  }
}
