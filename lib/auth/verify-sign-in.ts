// Checks an email and password and slows down guessing without letting a guesser lock the owner
// out. Within a 15-minute window:
// - one address may fail 5 times for one account (then that address waits, for that account);
// - one address may fail 30 times in all, whatever the accounts (then it waits for everything);
// - an account that fails from anywhere is answered more and more slowly (a delay, not a lock),
//   so its owner can still sign in from their own address while someone hammers it from others.
// Attempts are kept in the database so the limits hold across app instances; a success clears
// the failures of that address for that account, and of the account's delay.
import { and, count, eq, gt, isNull, max } from "drizzle-orm";
import type { Db } from "../db/client";
import { loginAttempts, users } from "../db/schema";
import { AppError } from "../errors";
import { passwordHashForTiming, verifyPassword } from "./password";

export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
export const MAX_FAILURES_PER_IP = 30;
/** Failures of an account (from any address) before its answers slow down. */
export const ACCOUNT_DELAY_AFTER = 5;
export const MAX_ACCOUNT_DELAY_MS = 8_000;

export const INVALID_CREDENTIALS = "Email or password is not right.";
export const TOO_MANY_ATTEMPTS = "Too many failed sign-in attempts. Wait 15 minutes and try again.";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
}

/** The delay before answering an account that failed `failures` times: 0.5 s doubling, at most 8 s. */
export function accountDelayMs(failures: number): number {
  if (failures < ACCOUNT_DELAY_AFTER) return 0;
  return Math.min(500 * 2 ** (failures - ACCOUNT_DELAY_AFTER), MAX_ACCOUNT_DELAY_MS);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function verifySignIn(
  db: Db,
  input: { email: string; password: string; ip?: string | null },
  options: { now?: Date; wait?: (ms: number) => Promise<void> } = {},
): Promise<SignedInUser> {
  const now = options.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const ip = input.ip ?? null;
  const windowStart = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const sameIp = ip === null ? isNull(loginAttempts.ip) : eq(loginAttempts.ip, ip);

  const lastSuccess = async (where: ReturnType<typeof and>) => {
    const [row] = await db.select({ at: max(loginAttempts.at) }).from(loginAttempts).where(and(where, eq(loginAttempts.succeeded, true)));
    const at = row?.at ? new Date(row.at) : null;
    return at && at > windowStart ? at : windowStart;
  };
  const failuresSince = async (where: ReturnType<typeof and>, since: Date) => {
    const [row] = await db.select({ n: count() }).from(loginAttempts).where(and(where, eq(loginAttempts.succeeded, false), gt(loginAttempts.at, since)));
    return row?.n ?? 0;
  };

  const byAccountAndIp = and(eq(loginAttempts.email, email), sameIp);
  const pairFailures = await failuresSince(byAccountAndIp, await lastSuccess(byAccountAndIp));
  // Per address in all, successes do not clear it: a guesser with an account of their own must not reset it.
  const ipFailures = ip === null ? 0 : await failuresSince(eq(loginAttempts.ip, ip), windowStart);
  if (pairFailures >= MAX_FAILURES_PER_ACCOUNT_AND_IP || ipFailures >= MAX_FAILURES_PER_IP) {
    throw new AppError("rate_limited", TOO_MANY_ATTEMPTS, { retryAfter: SIGN_IN_WINDOW_MS / 1000 });
  }

  const byAccount = eq(loginAttempts.email, email);
  const delay = accountDelayMs(await failuresSince(byAccount, await lastSuccess(byAccount)));
  if (delay > 0) await (options.wait ?? sleep)(delay);

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const ok = user?.passwordHash
    ? await verifyPassword(input.password, user.passwordHash)
    : (await verifyPassword(input.password, await passwordHashForTiming()), false);

  await db.insert(loginAttempts).values({ email, ip, succeeded: ok, at: now });
  if (!ok || !user) throw new AppError("unauthorized", INVALID_CREDENTIALS);
  return { id: user.id, email: user.email, name: user.name };
}
