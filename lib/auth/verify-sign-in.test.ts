import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { INVALID_CREDENTIALS, MAX_FAILURES_PER_EMAIL, SIGN_IN_WINDOW_MS, verifySignIn } from "./verify-sign-in";

describe.each(engines())("sign-in on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

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

  it("makes repeated failures wait, even for the right password, until the window passes", async () => {
    const shop = await makeShop(database);
    const start = new Date();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: `guess ${i}` }, start)).rejects.toMatchObject({ code: "unauthorized" });
    }
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword }, start)).rejects.toMatchObject({
      code: "rate_limited",
      retryAfter: SIGN_IN_WINDOW_MS / 1000,
    });
    const later = new Date(start.getTime() + SIGN_IN_WINDOW_MS + 1000);
    await expect(verifySignIn(database.db, { email: shop.ownerEmail, password: shop.ownerPassword }, later)).resolves.toMatchObject({
      email: shop.ownerEmail,
    });
  });
});
