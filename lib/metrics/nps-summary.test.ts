import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { customers, segmentMembers, segments, shops, surveyResponses } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { summarizeNps } from "./nps-summary";

// A shop in Berlin: CET (UTC+1) until 29 March 2026 01:00 UTC, CEST (UTC+2) after.
// [answered at (UTC), score, what it shows]
const ANSWERS: [string, number, string][] = [
  ["2026-02-28T22:30:00Z", 0, "23:30 on 28 Feb in Berlin: before the range"],
  ["2026-02-28T23:30:00Z", 10, "00:30 on 1 Mar in Berlin (CET): March, though February in UTC"],
  ["2026-03-15T12:00:00Z", 9, "March"],
  ["2026-03-29T00:30:00Z", 6, "01:30 CET, just before the clocks go forward: March"],
  ["2026-03-29T01:30:00Z", 8, "03:30 CEST, just after: March"],
  ["2026-03-31T21:30:00Z", 3, "23:30 on 31 Mar (CEST): March"],
  ["2026-03-31T22:30:00Z", 9, "00:30 on 1 Apr (CEST): April, though March in UTC"],
  ["2026-04-10T10:00:00Z", 10, "April"],
  ["2026-04-20T10:00:00Z", 7, "April"],
  ["2026-04-25T10:00:00Z", 9, "April"],
  ["2026-04-30T21:30:00Z", 0, "23:30 on 30 Apr: April"],
  ["2026-04-30T22:30:00Z", 10, "00:30 on 1 May: after the range"],
];
// The range: March and April in Berlin.
const FROM = new Date("2026-02-28T23:00:00Z"); // 1 Mar 00:00 CET
const TO = new Date("2026-04-30T22:00:00Z"); // 1 May 00:00 CEST

describe.each(engines())("the NPS summary on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Berlin shop"));
    await inShop((tx) => tx.update(shops).set({ timeZone: "Europe/Berlin" }).where(eq(shops.id, shopId)));
  });
  afterAll(() => database.close());

  it("counts promoters, passives and detractors in the range, with the score, its SE and 95 % interval, rough below 30", async () => {
    const ann = await addCustomer(database, shopId, { firstName: "Ann", lastName: "Lee" });
    await inShop((tx) => tx.insert(surveyResponses).values(ANSWERS.map(([at, score], i) => ({
      shopId, customerId: i === 1 ? ann.id : null, score, respondedAt: new Date(at),
      comment: i === 1 ? "Great bread" : i === 5 ? "Late delivery" : i === 0 ? "Outside the range" : null,
    }))));
    const summary = await inShop((tx) => summarizeNps(tx, { from: FROM, to: TO }));
    expect(summary.timeZone).toBe("Europe/Berlin");

    // In range, by hand: 10, 9, 6, 8, 3 | 9, 10, 7, 9, 0 → promoters (9–10) 5, passives (7–8) 2,
    // detractors (0–6) 3, n = 10; p = 0.5, d = 0.3.
    // NPS = 100 × (0.5 − 0.3) = 20.
    // SE  = 100 × √((0.5 + 0.3 − 0.2²) / 10) = 100 × √0.076 = 27.56810.
    // 95 % interval = 20 ± 1.959964 × 27.56810 = 20 ± 54.03247 → [−34.03247, 74.03247].
    expect(summary.overall).toMatchObject({ promoters: 5, passives: 2, detractors: 3, n: 10, rough: true });
    const overall = summary.overall.score;
    if (!overall.enough) throw new Error(overall.reason);
    expect(overall.nps).toBeCloseTo(20, 9);
    expect(overall.se).toBeCloseTo(27.5681, 4);
    expect(overall.ci95[0]).toBeCloseTo(-34.0325, 3);
    expect(overall.ci95[1]).toBeCloseTo(74.0325, 3);

    // By month in Berlin time, across the change to summer time:
    // March 10, 9, 6, 8, 3 → 2 / 1 / 2, n 5: NPS 0, SE 100 × √(0.8 / 5) = 40, ± 78.39856.
    // April 9, 10, 7, 9, 0 → 3 / 1 / 1, n 5: NPS 40, SE 100 × √((0.8 − 0.16) / 5) = 35.77709, ± 70.12180.
    expect(summary.byMonth.map((m) => [m.month, m.promoters, m.passives, m.detractors])).toEqual([["2026-03", 2, 1, 2], ["2026-04", 3, 1, 1]]);
    const [march, april] = summary.byMonth.map((m) => m.score);
    if (!march?.enough || !april?.enough) throw new Error("both months have a score");
    expect([march.nps, march.se, march.ci95[0], march.ci95[1]].map((x) => Number(x.toFixed(4)))).toEqual([0, 40, -78.3986, 78.3986]);
    expect([april.nps, april.se, april.ci95[0], april.ci95[1]].map((x) => Number(x.toFixed(4)))).toEqual([40, 35.7771, -30.1218, 110.1218]);
    expect(summary.byMonth.every((m) => m.rough)).toBe(true);

    // Comments in the range, newest first; the one outside it is not listed.
    expect(summary.comments.map((c) => [c.comment, c.score, c.customerName])).toEqual([["Late delivery", 3, null], ["Great bread", 10, "Ann Lee"]]);
  });

  it("shows every month of the range, an empty one and a single answer saying why there is no score", async () => {
    // March to May: May holds only the 00:30-on-1-May answer.
    const summary = await inShop((tx) => summarizeNps(tx, { from: FROM, to: new Date("2026-05-31T22:00:00Z") }));
    const may = summary.byMonth.find((m) => m.month === "2026-05")!;
    expect(may).toMatchObject({ n: 1, promoters: 1, rough: true, score: { enough: false } });
    const june = await inShop((tx) => summarizeNps(tx, { from: new Date("2026-05-31T22:00:00Z"), to: new Date("2026-06-30T22:00:00Z") }));
    expect(june.byMonth).toEqual([expect.objectContaining({ month: "2026-06", n: 0, rough: true, score: { enough: false, reason: "No survey answers yet." } })]);
  });

  it("is no longer rough from 30 answers", async () => {
    const { shopId: other } = await makeShop(database, "Busy shop");
    // 15 promoters, 9 passives, 6 detractors on 1–30 June, the last answer a detractor.
    const scores = [...Array(15).fill(10), ...Array(9).fill(7), ...Array(6).fill(2)] as number[];
    await withShop(other, (tx) => tx.insert(surveyResponses).values(scores.map((score, i) => ({
      shopId: other, score, respondedAt: new Date(Date.UTC(2026, 5, i + 1, 12)),
    }))), database);
    const june = await withShop(other, (tx) => summarizeNps(tx, { from: new Date("2026-06-01T00:00:00Z"), to: new Date("2026-07-01T00:00:00Z"), timeZone: "UTC" }), database);
    // p = 0.5, d = 0.2, n = 30: NPS 30, SE = 100 × √((0.7 − 0.09) / 30) = 14.25950, ± 1.959964 × 14.25950 = ± 27.94811 → [2.052, 57.948].
    expect(june.overall).toMatchObject({ n: 30, rough: false, score: { enough: true, rough: false } });
    const s = june.overall.score;
    if (!s.enough) throw new Error(s.reason);
    expect([s.nps, s.se, s.ci95[0], s.ci95[1]].map((x) => Number(x.toFixed(3)))).toEqual([30, 14.259, 2.052, 57.948]);
    // Without the last day's answer: 29, rough again.
    const fewer = await withShop(other, (tx) => summarizeNps(tx, { from: new Date("2026-06-01T00:00:00Z"), to: new Date("2026-06-30T00:00:00Z"), timeZone: "UTC" }), database);
    expect(fewer.overall).toMatchObject({ n: 29, detractors: 5, rough: true });
  });

  it("counts an answer under the segment its customer is in now, and an erased customer's answer anonymously", async () => {
    const bea = await addCustomer(database, shopId, { firstName: "Bea" });
    await inShop(async (tx) => {
      const [loyal] = await tx.insert(segments).values({ shopId, key: "loyal-test", name: "Loyal", kind: "custom", rules: {} }).returning();
      await tx.insert(segmentMembers).values({ shopId, segmentId: loyal!.id, customerId: bea.id });
      await tx.insert(surveyResponses).values([
        { shopId, customerId: bea.id, score: 9, comment: "Still great", respondedAt: new Date("2026-06-05T10:00:00Z") },
        { shopId, customerId: bea.id, score: 4, respondedAt: new Date("2026-06-06T10:00:00Z") },
      ]);
    });
    const june = () => inShop((tx) => summarizeNps(tx, { from: new Date("2026-05-31T22:00:00Z"), to: new Date("2026-06-30T22:00:00Z") }));
    expect((await june()).bySegment).toEqual([expect.objectContaining({ key: "loyal-test", name: "Loyal", n: 2, promoters: 1, detractors: 1 })]);
    await inShop((tx) => tx.update(customers).set({ firstName: null, email: null, erasedAt: new Date("2026-06-07T10:00:00Z") }).where(eq(customers.id, bea.id)));
    const after = await june();
    expect(after.overall.n).toBe(2);
    expect(after.comments).toEqual([expect.objectContaining({ comment: "Still great", customerName: null })]);
  });
});
