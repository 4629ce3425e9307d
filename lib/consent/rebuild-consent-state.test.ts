import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { consentState } from "../db/schema";
import { withShop } from "../db/tenant";
import { rebuildConsentState } from "./rebuild-consent-state";
import { recordConsentEvents } from "./record-consent-events";
import type { ConsentEventInput } from "./schemas";

const channels = ["email", "sms", "push"] as const;
const purposes = ["marketing", "personalization", "surveys"] as const;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe.each(engines())("consent state rebuilt from the ledger on $name", (engine) => {
  let database: Database;
  let shopId: string;

  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
  });
  afterAll(() => database?.close());

  it("matches the stored state after many events arriving out of time order, with ties", async () => {
    const customers = await Promise.all(Array.from({ length: 6 }, () => addCustomer(database, shopId)));
    const rnd = random(7);
    const inputs: ConsentEventInput[] = Array.from({ length: 400 }, () => {
      const grant = rnd() < 0.55;
      return {
        customerId: customers[Math.floor(rnd() * customers.length)]!.id,
        channel: channels[Math.floor(rnd() * 3)]!,
        purpose: purposes[Math.floor(rnd() * 3)]!,
        action: grant ? "grant" : "withdraw",
        method: "preference_page",
        actorType: "customer",
        // Whole days over a year, so several events share an instant and the later seq must win.
        occurredAt: new Date(Date.UTC(2025, 0, 1) + Math.floor(rnd() * 365) * 86_400_000),
      };
    });
    for (let i = 0; i < inputs.length; i += 37) await withShop(shopId, (tx) => recordConsentEvents(tx, inputs.slice(i, i + 37)), database);

    const result = await withShop(shopId, (tx) => rebuildConsentState(tx), database);
    expect(result).toMatchObject({ matches: true, differences: [], repaired: false });
    expect(result.derived).toBe(result.stored);
    expect(result.derived).toBeGreaterThan(40);

    // An independent oracle in TypeScript: the latest by time, then by order of writing.
    const latest = new Map<string, { at: number; granted: boolean }>();
    for (const e of inputs) {
      const key = `${e.customerId}|${e.channel}|${e.purpose}`;
      const at = e.occurredAt.getTime();
      const seen = latest.get(key);
      if (!seen || seen.at <= at) latest.set(key, { at, granted: e.action === "grant" });
    }
    const stored = await withShop(shopId, (tx) => tx.select().from(consentState), database);
    expect(stored.length).toBe(latest.size);
    for (const s of stored) expect(s.granted).toBe(latest.get(`${s.customerId}|${s.channel}|${s.purpose}`)?.granted);
  });

  it("names a stored state that drifted from the ledger, and repairs it", async () => {
    const [row] = await withShop(shopId, (tx) => tx.select().from(consentState).limit(1), database);
    await withShop(shopId, (tx) => tx.execute(sql`update consent_state set granted = not granted where customer_id = ${row!.customerId} and channel = ${row!.channel} and purpose = ${row!.purpose}`), database);
    const drifted = await withShop(shopId, (tx) => rebuildConsentState(tx), database);
    expect(drifted.matches).toBe(false);
    expect(drifted.differences).toEqual([
      { customerId: row!.customerId, channel: row!.channel, purpose: row!.purpose, stored: { granted: !row!.granted, eventId: row!.eventId }, derived: { granted: row!.granted, eventId: row!.eventId } },
    ]);
    expect(await withShop(shopId, (tx) => rebuildConsentState(tx, { repair: true }), database)).toMatchObject({ repaired: true });
    expect(await withShop(shopId, (tx) => rebuildConsentState(tx), database)).toMatchObject({ matches: true });
  });
});
