// `regulars consent verify|rebuild` and `regulars purge` as other tools use them: the shipped command
// as a subprocess, one JSON object on stdout, exit 3 when the ledger does not fit.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordConsentEvents } from "../lib/consent/record-consent-events";
import { openDatabase } from "../lib/db/client";
import { consentEvents, events } from "../lib/db/schema";
import { withShop } from "../lib/db/tenant";
import { engines } from "../test/databases";
import { runCli } from "../test/run-cli";
import { addCustomer, makeShop } from "../test/factories";

const cli = runCli;

describe.each(engines())("regulars consent and purge commands on $name", (engine) => {
  let env: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;
  let shopId: string;
  let ids: string[];
  let hashes: string[];

  const withDb = async <T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    const database = await openDatabase(env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "pglite", dir: env.PGLITE_DIR! });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  };

  beforeAll(async () => {
    if (engine.name === "postgres") {
      const database = await engine.open();
      env = { DATABASE_URL: database.url };
      cleanup = () => database.close();
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-consent-cli-"));
      env = { PGLITE_DIR: path.join(dir, "pglite") };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    await withDb(async (database) => {
      shopId = (await makeShop(database)).shopId;
      const customer = await addCustomer(database, shopId);
      const at = (d: number) => new Date(Date.UTC(2026, 0, d));
      await withShop(shopId, (tx) =>
        recordConsentEvents(tx, [1, 2, 3, 4, 5].map((d) => ({
          customerId: customer.id, channel: "email" as const, purpose: "marketing" as const, action: d % 2 ? ("grant" as const) : ("withdraw" as const),
          method: "preference_page" as const, actorType: "customer" as const, occurredAt: at(d),
        }))), database);
      await withShop(shopId, (tx) => tx.insert(events).values([
        { shopId, customerId: customer.id, type: "product.viewed", occurredAt: new Date("2020-01-01T00:00:00Z") },
        { shopId, customerId: customer.id, type: "product.viewed", occurredAt: new Date() },
      ]), database);
      const rows = await withShop(shopId, (tx) => tx.select().from(consentEvents).orderBy(asc(consentEvents.seq)), database);
      ids = rows.map((r) => r.id);
      hashes = rows.map((r) => r.hash);
    });
  });
  afterAll(() => cleanup?.());

  it("verifies an intact ledger, also against a checkpoint, and answers with its head", () => {
    const run = cli(["consent", "verify", "--shop", shopId, "--json"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, events: 5, firstBadEventId: null, headSeq: 5, headHash: hashes[4] });
    const checked = cli(["consent", "verify", "--shop", shopId, "--checkpoint", `3:${hashes[2]}`, "--json"], env);
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true, checkpoint: { seq: 3, hash: hashes[2], matched: true } });
  });

  it("refuses a malformed checkpoint with exit code 2 and a sentence saying what to write", () => {
    const run = cli(["consent", "verify", "--shop", shopId, "--checkpoint", "3:abc", "--json"], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Write the checkpoint as SEQ:HASH");
  });

  it("purges expired raw events and says what it removed", () => {
    const run = cli(["purge", "--shop", shopId, "--json"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ removed: 1, byType: { "product.viewed": 1 }, remaining: 1 });
  });

  it("names the edited event and exits with 3", async () => {
    await withDb((database) =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update consent_events set action = 'withdraw' where id = ${ids[4]!}`);
      }),
    );
    const run = cli(["consent", "verify", "--shop", shopId, "--json"], env);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, events: 5, firstBadEventId: ids[4], firstBadSeq: 5, problem: "edited" });
    // The state was derived from the event as written; the edited ledger no longer gives it.
    const rebuilt = cli(["consent", "rebuild", "--shop", shopId, "--json"], env);
    expect(rebuilt.code).toBe(3);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ matches: false });
  });

  it("answers not found for a shop that does not exist", () => {
    const run = cli(["consent", "verify", "--shop", "not-a-shop", "--json"], env);
    expect(run.code).toBe(4);
  });
});
