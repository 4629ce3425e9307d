import { asc, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { consentEvents } from "../db/schema";
import { withShop } from "../db/tenant";
import { hashConsentEvent } from "./hash-consent-event";
import { recordConsentEvents } from "./record-consent-events";
import type { ConsentEventInput } from "./schemas";
import { parseCheckpoint, verifyLedger } from "./verify-ledger";

const channels = ["email", "sms", "push"] as const;
const purposes = ["marketing", "personalization", "surveys"] as const;

describe.each(engines())("ledger verification on $name", (engine) => {
  let database: Database;

  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  /** A shop with n events over a few customers, written in several transactions. */
  async function ledger(n: number) {
    const { shopId } = await makeShop(database);
    const customers = [await addCustomer(database, shopId), await addCustomer(database, shopId)];
    const inputs: ConsentEventInput[] = Array.from({ length: n }, (_, i) => ({
      customerId: customers[i % 2]!.id,
      channel: channels[i % 3]!,
      purpose: purposes[(i >> 1) % 3]!,
      action: i % 4 === 3 ? "withdraw" : "grant",
      method: "preference_page",
      actorType: "customer",
      page: "/p/token",
      requestId: `req-${i}`,
      occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000),
    }));
    for (let i = 0; i < n; i += 7) await withShop(shopId, (tx) => recordConsentEvents(tx, inputs.slice(i, i + 7)), database);
    const rows = await withShop(shopId, (tx) => tx.select().from(consentEvents).orderBy(asc(consentEvents.seq)), database);
    return { shopId, rows };
  }

  const verify = (shopId: string, checkpoint?: string) =>
    withShop(shopId, (tx) => verifyLedger(tx, { batchSize: 4, checkpoint: checkpoint ? parseCheckpoint(checkpoint) : null }), database);

  /** As a superuser with triggers off: what someone with the database's keys could do. */
  const tamper = (...statements: ReturnType<typeof sql>[]) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const s of statements) await tx.execute(s);
    });

  it("finds an intact ledger whole, walking it in batches, and reports its head as a checkpoint", async () => {
    const { shopId, rows } = await ledger(23);
    const other = await ledger(5);
    const result = await verify(shopId);
    expect(result).toMatchObject({ ok: true, events: 23, firstBadEventId: null, problem: null, headSeq: 23, headHash: rows[22]!.hash });
    expect(result.reason).toBe("All 23 events fit: each hash matches its row and links to the one before.");
    expect(await verify(shopId, `23:${rows[22]!.hash}`)).toMatchObject({ ok: true, checkpoint: { seq: 23, matched: true } });
    expect(await verify(shopId, `10:${rows[9]!.hash.toUpperCase()}`)).toMatchObject({ ok: true, checkpoint: { seq: 10, matched: true } });
    expect(await verify(other.shopId)).toMatchObject({ ok: true, events: 5 });
    const empty = await makeShop(database);
    expect(await verify(empty.shopId)).toMatchObject({ ok: true, events: 0, headSeq: 0, headHash: null, reason: "The ledger is empty: no consent has been recorded yet." });
  });

  it("names the row a superuser edited", async () => {
    const { shopId, rows } = await ledger(12);
    const victim = rows[6]!;
    await tamper(sql`update consent_events set action = 'grant' where id = ${victim.id} and action = 'withdraw'`, sql`update consent_events set request_id = 'forged' where id = ${victim.id}`);
    const result = await verify(shopId);
    expect(result).toMatchObject({ ok: false, events: 12, firstBadEventId: victim.id, firstBadSeq: 7, problem: "edited" });
    expect(result.reason).toBe(`Event #7 was changed after it was written: its fields no longer give its hash ${victim.hash.slice(0, 12)}.`);
  });

  it("names the row after one a superuser removed", async () => {
    const { shopId, rows } = await ledger(12);
    await tamper(sql`delete from consent_events where id = ${rows[4]!.id}`);
    const result = await verify(shopId);
    expect(result).toMatchObject({ ok: false, events: 11, firstBadEventId: rows[5]!.id, firstBadSeq: 6, problem: "removed" });
    expect(result.reason).toBe("Event #5 is missing: the ledger jumps from #4 to #6, so a row was removed before event #6.");
  });

  it("names the first of two rows a superuser swapped", async () => {
    const { shopId, rows } = await ledger(12);
    const [a, b] = [rows[3]!, rows[8]!];
    await tamper(
      sql`update consent_events set seq = -1 where id = ${a.id}`,
      sql`update consent_events set seq = 4 where id = ${b.id}`,
      sql`update consent_events set seq = 9 where id = ${a.id}`,
    );
    const result = await verify(shopId);
    expect(result).toMatchObject({ ok: false, firstBadEventId: b.id, firstBadSeq: 4, problem: "reordered" });
    expect(result.reason).toBe("Event #4 was moved: its hash fits its fields only as event #9, so rows were reordered.");
  });

  it("names a row whose hash was recomputed but whose link was not", async () => {
    const { shopId, rows } = await ledger(8);
    const victim = rows[4]!;
    const edited = { ...victim, prevHash: "a".repeat(64) };
    await tamper(sql`update consent_events set prev_hash = ${edited.prevHash}, hash = ${hashConsentEvent(edited)} where id = ${victim.id}`);
    expect(await verify(shopId)).toMatchObject({ ok: false, firstBadEventId: victim.id, problem: "unlinked" });
  });

  it("needs the checkpoint to see rows removed from the end, or a chain recomputed from a row on", async () => {
    const { shopId, rows } = await ledger(10);
    const checkpoint = `10:${rows[9]!.hash}`;
    await tamper(sql`delete from consent_events where shop_id = ${shopId} and seq > 8`);
    expect(await verify(shopId)).toMatchObject({ ok: true, events: 8 });
    const cut = await verify(shopId, checkpoint);
    expect(cut).toMatchObject({ ok: false, events: 8, firstBadEventId: null, problem: "checkpoint", checkpoint: { seq: 10, matched: false } });
    expect(cut.reason).toBe("The checkpoint is at event #10 but the ledger has only 8 events: events were removed from its end.");

    // Rewrite event 3 and re-chain everything after it: every row fits again, the checkpoint does not.
    const kept = rows.slice(0, 8);
    let prevHash = kept[1]!.hash;
    const forged = kept.slice(2).map((r, i) => {
      const row = { ...r, action: i === 0 ? ("withdraw" as const) : r.action, prevHash };
      const hash = hashConsentEvent(row);
      prevHash = hash;
      return { ...row, hash };
    });
    await tamper(...forged.map((r) => sql`update consent_events set action = ${r.action}, prev_hash = ${r.prevHash}, hash = ${r.hash} where id = ${r.id}`));
    expect(await verify(shopId)).toMatchObject({ ok: true, events: 8 });
    const rewritten = await verify(shopId, `5:${rows[4]!.hash}`);
    expect(rewritten).toMatchObject({ ok: false, firstBadEventId: rows[4]!.id, firstBadSeq: 5, problem: "checkpoint" });
  });

  it("reads a checkpoint only as SEQ:HASH", () => {
    expect(parseCheckpoint(` 7:${"AB".repeat(32)} `)).toEqual({ seq: 7, hash: "ab".repeat(32) });
    for (const bad of ["7", `7:${"a".repeat(63)}`, `x:${"a".repeat(64)}`, `0:${"a".repeat(64)}`, `7:${"g".repeat(64)}`]) {
      expect(() => parseCheckpoint(bad)).toThrow(expect.objectContaining({ code: "invalid_input" }));
    }
  });

  it("refuses the application role any change to the ledger", async () => {
    const { shopId } = await ledger(2);
    const refusal = (q: ReturnType<typeof sql>) =>
      withShop(shopId, (tx) => tx.execute(q), database).then(
        () => "allowed",
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
    expect(await refusal(sql`update consent_events set action = 'grant'`)).toMatch(/permission denied/);
    expect(await refusal(sql`delete from consent_events`)).toMatch(/permission denied/);
    expect(await refusal(sql`truncate consent_events`)).toMatch(/permission denied/);
    expect(await verify(shopId)).toMatchObject({ ok: true, events: 2 });
  });
});
