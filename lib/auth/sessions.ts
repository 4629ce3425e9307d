// Server-side sessions. The session cookie is a signed, encrypted token (Auth.js needs that for
// password sign-in), so on its own it stays valid until it expires. Each token therefore carries a
// session id that must also be a live row in `sessions`: signing out deletes the row, and so does
// anything that must end a person's sessions everywhere, after which the old cookie is refused.
import { randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";

export const SESSION_MAX_AGE_S = 7 * 24 * 3600;
/** A session used within its last day of life is extended, at most once a day. */
const EXTEND_WHEN_LEFT_MS = (SESSION_MAX_AGE_S - 24 * 3600) * 1000;

export async function startSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const sessionId = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({ sessionToken: sessionId, userId, expires: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) });
  // Expired rows of anyone go on the way; nothing else deletes them.
  await db.delete(sessions).where(lt(sessions.expires, now));
  return sessionId;
}

/** Whether the session is live for this person; a live one is extended as it is used. */
export async function isSessionLive(db: Db, sessionId: string, userId: string, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ expires: sessions.expires })
    .from(sessions)
    .where(and(eq(sessions.sessionToken, sessionId), eq(sessions.userId, userId), gt(sessions.expires, now)));
  if (!row) return false;
  if (row.expires.getTime() - now.getTime() < EXTEND_WHEN_LEFT_MS) {
    await db.update(sessions).set({ expires: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) }).where(eq(sessions.sessionToken, sessionId));
  }
  return true;
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.sessionToken, sessionId));
}

/** Ends every session of a person, on every device (a password change, a removed account). */
export async function endUserSessions(db: Db, userId: string): Promise<number> {
  const ended = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.sessionToken });
  return ended.length;
}
