import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import {
  INVALID_CREDENTIALS,
  MAX_ACCOUNT_DELAY_MS,
  MAX_FAILURES_PER_ACCOUNT_AND_IP,
  MAX_FAILURES_PER_IP,
  SIGN_IN_WINDOW_MS,
  accountDelayMs,
  verifySignIn,
} from "./verify-sign-in";

describe("the delay for an account under attack", () => {
  it("starts after a few failures, doubles, and stays bounded", () => {
    expect([0, 4, 5, 6, 7, 8, 9, 50].map(accountDelayMs)).toEqual([0, 0, 500, 1000, 2000, 4000, 8000, MAX_ACCOUNT_DELAY_MS]);
  });
});

describe.each(engines())("sign-in on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  // The delay is recorded rather than slept, so the tests say what an owner would wait.
  const waits: number[] = [];
  const at = (start: Date, seconds: number) => ({ now: new Date(start.getTime() + seconds * 1000), wait: async (ms: number) => void waits.push(ms) });
  const fail = (email: string, ip: string | null, options: ReturnType<typeof at>) =>
    expect(verifySignIn(database.db, { email, password: "a wrong guess", ip }, options)).rejects.toMatchObject({ code: "unauthorized" });

  it("signs in with the right password, whatever the email's case", async () => {
    const shop = await makeShop(database);
    const user = await verifySignIn(database.db, { email: shop.ownerEmail.toUpperCase(), password: shop.ownerPassword });
    expect(user.email).toBe(shop.ownerEmail);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const shop = await makeShop(database);
    const wrong = await verifySignIn(database.db, { email: shop.ownerEmail, password: "not the password" }).catch((e) => e);
    const unknown = await verifySignIn(database.db, { email: "nobody@example.com", password: "not the password" }).catch((e) => e);
    expect(wrong).toMatchObject({ code: "unauthorized", message: INVALID_CREDENTIALS });
    expect(unknown).toMatchObject({ code: "unauthorized", message: INVALID_CREDENTIALS });
  });

  it("makes an address that failed too often for an account wait, even with the right password, until the window passes", async () => {
    const shop = await makeShop(database);
    const start = new Date();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_IP; i++) await fail(shop.ownerEmail, "203.0.113.7", at(start, i));
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "203.0.113.7" }, at(start, 10))).rejects.toMatchObject({
      code: "rate_limited",
      retryAfter: SIGN_IN_WINDOW_MS / 1000,
    });
    const later = at(start, SIGN_IN_WINDOW_MS / 1000 + 10);
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "203.0.113.7" }, later)).resolves.toMatchObject({
      email: shop.ownerEmail,
    });
  });

  it("lets the owner sign in from their own address while others hammer the account, only slower", async () => {
    const shop = await makeShop(database);
    const start = new Date();
    let t = 0;
    for (const ip of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
      for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_IP; i++) await fail(shop.ownerEmail, ip, at(start, t++));
      // That address is now refused for this account without its guess even being checked.
      await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip }, at(start, t++))).rejects.toMatchObject({ code: "rate_limited" });
    }
    waits.length = 0;
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "192.0.2.10" }, at(start, t++))).resolves.toMatchObject({
      email: shop.ownerEmail,
    });
    expect(waits).toEqual([MAX_ACCOUNT_DELAY_MS]);
    // The owner's success lifts the delay; the attackers' addresses stay refused.
    waits.length = 0;
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "192.0.2.10" }, at(start, t++))).resolves.toBeTruthy();
    expect(waits).toEqual([]);
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "198.51.100.1" }, at(start, t++))).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("stops an address that tries many accounts, and only that address", async () => {
    const shop = await makeShop(database);
    const start = new Date();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await fail(`guess-${i}@example.com`, "203.0.113.99", at(start, i));
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "203.0.113.99" }, at(start, 40))).rejects.toMatchObject({ code: "rate_limited" });
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "203.0.113.100" }, at(start, 41))).resolves.toBeTruthy();
  });

  it("forgets an address's failures for an account once it signs in", async () => {
    const shop = await makeShop(database);
    const start = new Date();
    let t = 0;
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_IP - 1; i++) await fail(shop.ownerEmail, "192.0.2.50", at(start, t++));
    await verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "192.0.2.50" }, at(start, t++));
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_IP - 1; i++) await fail(shop.ownerEmail, "192.0.2.50", at(start, t++));
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword, ip: "192.0.2.50" }, at(start, t++))).resolves.toBeTruthy();
  });
});
