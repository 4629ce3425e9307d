import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop, uniqueEmail } from "../../test/factories";
import type { Database } from "../db/client";
import { apiKeys, users } from "../db/schema";
import { withShop, withUser } from "../db/tenant";
import { hashApiKey } from "./credentials";
import { addMember } from "./add-member";
import { createShop } from "./create-shop";
import { getShop } from "./get-shop";
import { updateShop } from "./update-shop";
import { listMembers } from "./list-members";
import { listUserShops } from "./list-user-shops";

describe.each(engines())("shops and members on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it("creates a shop with its owner, an API key stored hashed and a webhook secret", async () => {
    const shop = await makeShop(database, "Harbour Bikes");
    expect(shop.apiKey).toMatch(/^rk_/);
    expect(shop.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const keys = await withShop(shop.shopId, (tx) => tx.select().from(apiKeys), database);
    expect(keys).toHaveLength(1);
    expect(keys[0]?.keyHash).toBe(hashApiKey(shop.apiKey));
    expect(JSON.stringify(keys)).not.toContain(shop.apiKey);
    const mine = await withUser(shop.userId, listUserShops, database);
    expect(mine).toEqual([{ shopId: shop.shopId, name: "Harbour Bikes", role: "owner" }]);
  });

  it("changes the shop's currency and country in Settings, refusing codes that are not ones", async () => {
    const shop = await makeShop(database);
    const inShop = <T>(fn: Parameters<typeof withShop<T>>[1]) => withShop(shop.shopId, fn, database);
    const settings = { name: "Harbour Bikes", timeZone: "America/Toronto", marginPct: 40 };
    await inShop((tx) => updateShop(tx, { ...settings, currency: "CAD", country: "CA" }));
    expect(await inShop(getShop)).toMatchObject({ currency: "CAD", country: "CA", timeZone: "America/Toronto" });
    await expect(inShop((tx) => updateShop(tx, { ...settings, currency: "Dollars", country: "Canada" }))).rejects.toMatchObject({
      code: "invalid_input",
      fields: expect.arrayContaining([expect.objectContaining({ field: "currency" }), expect.objectContaining({ field: "country" })]),
    });
    expect(await inShop(getShop)).toMatchObject({ currency: "CAD", country: "CA" });
    // An empty country clears it; leaving it out keeps it.
    await inShop((tx) => updateShop(tx, { ...settings, currency: "CAD", country: "" }));
    expect((await inShop(getShop)).country).toBeNull();
  });

  it("refuses a taken email and a weak password with field errors, writing nothing", async () => {
    const shop = await makeShop(database);
    const before = (await database.db.select({ n: count() }).from(users))[0]!.n;
    await expect(createShop({ name: "Second", ownerEmail: shop.ownerEmail, ownerPassword: "another good one" }, { database })).rejects.toMatchObject({
      code: "conflict",
      fields: [{ field: "ownerEmail", message: "This email is already registered. Sign in instead." }],
    });
    await expect(createShop({ name: "", ownerEmail: "bad", ownerPassword: "short" }, { database })).rejects.toMatchObject({
      code: "invalid_input",
      fields: expect.arrayContaining([
        { field: "name", message: "Enter the shop's name." },
        { field: "ownerEmail", message: "Enter a valid email address." },
        { field: "ownerPassword", message: "Use at least 10 characters." },
      ]),
    });
    expect((await database.db.select({ n: count() }).from(users))[0]!.n).toBe(before);
  });

  it("adds a viewer who then sees the shop with the viewer role", async () => {
    const shop = await makeShop(database);
    const email = uniqueEmail("viewer");
    const { userId, created } = await addMember(shop.shopId, { email, role: "viewer", password: "viewer password 1" }, database);
    expect(created).toBe(true);
    expect(await withUser(userId, listUserShops, database)).toEqual([{ shopId: shop.shopId, name: "Test shop", role: "viewer" }]);
    const members = await withShop(shop.shopId, listMembers, database);
    expect(members.map((m) => [m.email, m.role])).toEqual([
      [shop.ownerEmail, "owner"],
      [email, "viewer"],
    ]);
    await expect(addMember(shop.shopId, { email, role: "owner", password: "viewer password 1" }, database)).rejects.toMatchObject({ code: "conflict" });
    // The person of one shop is not visible to another shop.
    const other = await makeShop(database);
    const seen = await withShop(other.shopId, listMembers, database);
    expect(seen.map((m) => m.email)).toEqual([other.ownerEmail]);
    const [row] = await database.db.select().from(users).where(eq(users.email, email));
    expect(row?.passwordHash).toMatch(/^scrypt\$/);
  });
});
