import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { withShop } from "../db/tenant";
import { currentPolicy, findPolicy, listPolicies, nextPolicy, policySha256, publishPolicy } from "./policies";

const text = (n: number) => `We send offers by email only when you ask for them. Version ${n}.`;

describe.each(engines())("policy versions on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let otherShopId: string;
  const now = new Date("2026-06-01T12:00:00Z");

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    otherShopId = (await makeShop(database)).shopId;
  });
  afterAll(() => database?.close());

  it("publishes versions with the SHA-256 of their text and finds the one in effect at a time", async () => {
    const v1 = await withShop(shopId, (tx) => publishPolicy(tx, { version: "v1", text: text(1), effectiveAt: "2026-06-01" }, { now }), database);
    const v2 = await withShop(shopId, (tx) => publishPolicy(tx, { version: "v2", text: `${text(2)}\r\n`, effectiveAt: "2026-07-01" }, { now }), database);
    expect(v1.sha256).toBe(policySha256(text(1)));
    expect(v2.text).toBe(text(2));
    expect(v2.sha256).toBe(policySha256(text(2)));

    expect(await withShop(shopId, (tx) => currentPolicy(tx, new Date("2026-05-31T23:59:59Z")), database)).toBeNull();
    expect((await withShop(shopId, (tx) => currentPolicy(tx, new Date("2026-06-15T00:00:00Z")), database))?.version).toBe("v1");
    expect(await withShop(shopId, (tx) => currentPolicy(tx, new Date("2026-07-01T00:00:00Z")), database)).toEqual(v2);
    expect((await withShop(shopId, (tx) => nextPolicy(tx, new Date("2026-06-15T00:00:00Z")), database))?.version).toBe("v2");
    expect((await withShop(shopId, (tx) => listPolicies(tx), database)).map((p) => p.version)).toEqual(["v2", "v1"]);
    expect(await withShop(otherShopId, (tx) => currentPolicy(tx, new Date("2027-01-01")), database)).toBeNull();
    expect(await withShop(otherShopId, (tx) => findPolicy(tx, v1.id), database)).toBeNull();
  });

  it("refuses a label already used, a backdated version and a text too short, naming the field", async () => {
    await expect(withShop(shopId, (tx) => publishPolicy(tx, { version: "v1", text: text(3), effectiveAt: "2026-08-01" }, { now }), database)).rejects.toMatchObject({
      code: "conflict",
      fields: [{ field: "version" }],
    });
    await expect(withShop(shopId, (tx) => publishPolicy(tx, { version: "v0", text: text(3), effectiveAt: "2026-01-01" }, { now }), database)).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ field: "effectiveAt" }],
    });
    await expect(withShop(shopId, (tx) => publishPolicy(tx, { version: "v9", text: "short", effectiveAt: "2026-08-01" }, { now }), database)).rejects.toMatchObject({
      code: "invalid_input",
      fields: [{ field: "text" }],
    });
  });

  it("refuses to change or delete a published version, for the application and for a superuser", async () => {
    const refusal = (run: () => Promise<unknown>) =>
      run().then(
        () => "allowed",
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
    expect(await refusal(() => withShop(shopId, (tx) => tx.execute(sql`update policy_versions set text = 'changed'`), database))).toMatch(/permission denied/);
    expect(await refusal(() => withShop(shopId, (tx) => tx.execute(sql`delete from policy_versions`), database))).toMatch(/permission denied/);
    expect(await refusal(() => database.db.execute(sql`update policy_versions set text = 'changed'`))).toBe("policy_versions is immutable once published: UPDATE is refused");
    expect(await refusal(() => database.db.execute(sql`delete from policy_versions`))).toBe("policy_versions is immutable once published: DELETE is refused");
    expect(await refusal(() => database.db.execute(sql`truncate policy_versions cascade`))).toBe("policy_versions is immutable once published: TRUNCATE is refused");
    expect((await withShop(shopId, (tx) => currentPolicy(tx, new Date("2026-06-15")), database))?.text).toBe(text(1));
  });
});
