import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import { targetAudience } from "../campaigns/target-audience";
import { recordConsentEvents } from "../consent/record-consent-events";
import type { Database } from "../db/client";
import { campaigns, customers, segmentMembers, segments, sends, surveyResponses, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { answerSurvey } from "./answer-survey";
import { getSurveyPage } from "./get-survey-page";

const NOW = new Date("2026-06-10T10:00:00Z");
const CHOOSE = "Choose a number from 0 to 10.";

describe.each(engines())("answering a survey on $name", (engine) => {
  let database: Database;
  let shopId: string;
  let otherShopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>, shop = shopId) => withShop(shop, fn, database);

  /** A campaign of `purpose` sent to the customers (each with a grant for it); their sends by customer. */
  async function sendCampaign(shop: string, purpose: "surveys" | "marketing", customerIds: string[]) {
    return inShop(async (tx) => {
      const [segment] = await tx.insert(segments).values({ shopId: shop, key: `s-${purpose}-${customerIds[0]}`, name: "Asked", kind: "custom", rules: {} }).returning();
      await tx.insert(segmentMembers).values(customerIds.map((customerId) => ({ shopId: shop, segmentId: segment!.id, customerId })));
      await recordConsentEvents(tx, customerIds.map((customerId) => ({
        customerId, channel: "email" as const, purpose, action: "grant" as const, method: "checkout" as const, actorType: "customer" as const, evidence: { form: "checkout" }, occurredAt: new Date("2026-05-01T10:00:00Z"),
      })), { now: NOW });
      const [campaign] = await tx.insert(campaigns).values({ shopId: shop, name: `A ${purpose} campaign`, channel: "email", purpose, segmentId: segment!.id, status: "approved", holdoutPct: 0 }).returning();
      await tx.insert(variants).values({ shopId: shop, campaignId: campaign!.id, key: "A", subject: "A question", body: "{{survey_link}}" });
      await targetAudience(tx, campaign!.id, { trigger: "manual", now: NOW });
      const rows = await tx.select().from(sends).where(eq(sends.campaignId, campaign!.id));
      return Object.fromEntries(rows.map((s) => [s.customerId, s.id])) as Record<string, string>;
    }, shop);
  }

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Corner bakery"));
    ({ shopId: otherShopId } = await makeShop(database, "Another shop"));
  });
  afterAll(() => database.close());

  it("records the first answer, with the campaign and the message it answers, and shows it on the page", async () => {
    const ann = await addCustomer(database, shopId, { firstName: "Ann" });
    const sendId = (await sendCampaign(shopId, "surveys", [ann.id]))[ann.id]!;
    const link = { customerId: ann.id, sendId };
    const before = await inShop((tx) => getSurveyPage(tx, link));
    expect(before).toMatchObject({ shop: { name: "Corner bakery" }, erased: false, answer: null });

    expect(await inShop((tx) => answerSurvey(tx, link, { score: "9", comment: "  Lovely bread.  " }, { now: NOW }))).toEqual({ recorded: true });
    const stored = await inShop((tx) => tx.select().from(surveyResponses).where(eq(surveyResponses.sendId, sendId)));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ customerId: ann.id, campaignId: before.campaignId, score: 9, comment: "Lovely bread." });
    expect(stored[0]!.respondedAt.toISOString()).toBe(NOW.toISOString());
    expect((await inShop((tx) => getSurveyPage(tx, link))).answer).toEqual({ score: 9, comment: "Lovely bread.", respondedAt: NOW });
  });

  it("refuses a second answer to the same message as already answered, and keeps the first", async () => {
    const ben = await addCustomer(database, shopId, { firstName: "Ben" });
    const sendId = (await sendCampaign(shopId, "surveys", [ben.id]))[ben.id]!;
    const link = { customerId: ben.id, sendId };
    expect(await inShop((tx) => answerSurvey(tx, link, { score: 3 }, { now: NOW }))).toEqual({ recorded: true });
    const later = new Date(NOW.getTime() + 60_000);
    expect(await inShop((tx) => answerSurvey(tx, link, { score: "10", comment: "Changed my mind" }, { now: later }))).toEqual({ recorded: false, reason: "already_answered" });
    const stored = await inShop((tx) => tx.select().from(surveyResponses).where(eq(surveyResponses.sendId, sendId)));
    expect(stored.map((r) => [r.score, r.comment, r.respondedAt.toISOString()])).toEqual([[3, null, NOW.toISOString()]]);
  });

  it.each([
    ["no score", {}],
    ["an empty score (nothing chosen)", { score: "" }],
    ["a score above 10", { score: "11" }],
    ["a score below 0", { score: "-1" }],
    ["half a point", { score: "7.5" }],
    ["words", { score: "nine" }],
  ])("refuses %s with an error on the score field, and records nothing", async (_name, input) => {
    const cid = await addCustomer(database, shopId);
    const sendId = (await sendCampaign(shopId, "surveys", [cid.id]))[cid.id]!;
    const error = await inShop((tx) => answerSurvey(tx, { customerId: cid.id, sendId }, input as { score: unknown }, { now: NOW })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "invalid_input", fields: [{ field: "score", message: CHOOSE }] });
    expect(await inShop((tx) => tx.select().from(surveyResponses).where(eq(surveyResponses.sendId, sendId)))).toEqual([]);
  });

  it("refuses a comment over 2000 characters on the comment field", async () => {
    const cid = await addCustomer(database, shopId);
    const sendId = (await sendCampaign(shopId, "surveys", [cid.id]))[cid.id]!;
    const error = await inShop((tx) => answerSurvey(tx, { customerId: cid.id, sendId }, { score: "8", comment: "x".repeat(2001) })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_input", fields: [{ field: "comment" }] });
  });

  it("answers not_found for any link that does not name a survey message of this very customer", async () => {
    const cat = await addCustomer(database, shopId);
    const dan = await addCustomer(database, shopId);
    const survey = await sendCampaign(shopId, "surveys", [cat.id, dan.id]);
    const offer = await sendCampaign(shopId, "marketing", [cat.id]);
    const stranger = await addCustomer(database, otherShopId);
    const elsewhere = await sendCampaign(otherShopId, "surveys", [stranger.id]);
    const cases: [string, { customerId: string; sendId: string | null }, string?][] = [
      ["another customer's message", { customerId: cat.id, sendId: survey[dan.id]! }],
      ["a message that is not a survey", { customerId: cat.id, sendId: offer[cat.id]! }],
      ["a message that does not exist", { customerId: cat.id, sendId: "0190a3e4-0000-7000-8000-000000000000" }],
      ["a link naming no message", { customerId: cat.id, sendId: null }],
      ["another shop's message, read in this shop", { customerId: stranger.id, sendId: elsewhere[stranger.id]! }],
    ];
    for (const [name, link] of cases) {
      await expect(inShop((tx) => getSurveyPage(tx, link)), name).rejects.toMatchObject({ code: "not_found" });
      await expect(inShop((tx) => answerSurvey(tx, link, { score: 9 })), name).rejects.toMatchObject({ code: "not_found" });
    }
    // Nothing was recorded for any of them.
    const all = await inShop((tx) => tx.select().from(surveyResponses));
    expect(all.filter((r) => [cat.id, dan.id, stranger.id].includes(r.customerId ?? ""))).toEqual([]);
  });

  it("records nothing for an erased customer's link", async () => {
    const eve = await addCustomer(database, shopId);
    const sendId = (await sendCampaign(shopId, "surveys", [eve.id]))[eve.id]!;
    await inShop((tx) => tx.update(customers).set({ email: null, erasedAt: NOW }).where(eq(customers.id, eve.id)));
    expect((await inShop((tx) => getSurveyPage(tx, { customerId: eve.id, sendId }))).erased).toBe(true);
    await expect(inShop((tx) => answerSurvey(tx, { customerId: eve.id, sendId }, { score: 9 }))).rejects.toMatchObject({ code: "not_found" });
  });
});
