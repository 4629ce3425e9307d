// Checks an email and password and slows down guessing: after too many failures for one email
// (or from one address) within the window, sign-in waits, whatever the password. Attempts are
// kept in the database so the limit holds across app instances.
import { and, count, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { loginAttempts, users } from "../db/schema";
import { AppError } from "../errors";
import { passwordHashForTiming, verifyPassword } from "./password";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 30;

export const INVALID_CREDENTIALS = "Email or password is not right.";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

export async function verifySignIn(
  db: Db,
  input: { email: string; password: string; ip?: string | null },
  now = new Date(),
): Promise<SignedInUser> {
  const email = input.email.trim().toLowerCase();
  const ip = input.ip ?? null;
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const failed = and(eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since));

  const [byEmail] = await db.select({ n: count() }).from(loginAttempts).where(and(failed, eq(loginAttempts.email, email)));
  const [byIp] = ip
    ? await db.select({ n: count() }).from(loginAttempts).where(and(failed, eq(loginAttempts.ip, ip)))
    : [{ n: 0 }];
  if ((byEmail?.n ?? 0) >= MAX_FAILURES_PER_EMAIL || (byIp?.n ?? 0) >= MAX_FAILURES_PER_IP) {
    throw new AppError("rate_limited", "Too many failed sign-in attempts. Wait 15 minutes and try again.", {
      retryAfter: SIGN_IN_WINDOW_MS / 1000,
    });
  }

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const ok = user?.passwordHash
    ? await verifyPassword(input.password, user.passwordHash)
    : (await verifyPassword(input.password, await passwordHashForTiming()), false);

  await db.insert(loginAttempts).values({ email, ip, succeeded: ok, at: now });
  if (!ok || !user) throw new AppError("unauthorized", INVALID_CREDENTIALS);
  return { id: user.id, email: user.email, name: user.name };
}
