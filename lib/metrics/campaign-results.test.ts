// A campaign's results against its holdout, on a campaign built by hand: who was held out, who got
// which variant and when, and what each of them bought. The expected counts, rates, lifts, Holm's
// correction, the incremental revenue and the ROMI are worked out here from those rows; the
// p-values and intervals come from scipy (test/fixtures/stats/campaign-results-reference.py).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { campaignDecisions, campaignRuns, campaigns, customers, orders, sends, shops, variants } from "../db/schema";
import { withShop, type ShopTx } from "../db/tenant";
import { isAppError } from "../errors";
import { getCampaignResults, poolSamples, type CampaignResults } from "./campaign-results";
import { NO_CAMPAIGN_RESULTS, summarizeCampaignRevenue } from "./summarize-campaign-revenue";
import type { ProportionComparison } from "./stats/compare-proportions";
import type { WelchResult } from "./stats/welch";
import type { ProportionEstimate } from "./stats/wilson-interval";

const DAY = 86_400_000;
const DECIDED = new Date("2026-05-04T21:30:00Z"); // inside quiet hours: messages went out the next morning
const SENT = new Date(DECIDED.getTime() + 10 * 3_600_000);
const LATER = new Date("2026-06-01T12:00:00Z");
const at = (from: Date, days: number, extraMs = 0) => new Date(from.getTime() + days * DAY + extraMs);
const close = (actual: number, expected: number, digits = 9) => expect(actual).toBeCloseTo(expected, digits);

/** Every number anywhere in the results is finite: nothing an owner reads is NaN or Infinity. */
function expectFinite(value: unknown, path = "results"): void {
  if (typeof value === "number") expect(Number.isFinite(value), `${path} is ${value}`).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectFinite(v, `${path}[${i}]`));
  else if (value && typeof value === "object" && !(value instanceof Date)) for (const [k, v] of Object.entries(value)) expectFinite(v, `${path}.${k}`);
}

interface Person {
  arm: "holdout" | string;
  /** The send's status for a variant's customer; the holdout has none. */
  status?: "sent" | "queued" | "skipped";
  orders?: { at: Date; totalMinor: number; status?: "paid" | "cancelled" }[];
}

describe.each(engines())("campaign results on $name", (engine) => {
  let database: Database;
  let shopId: string;
  const inShop = <T>(fn: (tx: ShopTx) => Promise<T>) => withShop(shopId, fn, database);
  let serial = 0;

  /** A campaign with its variants, one run decided at `decided`, and the people in it. */
  async function build(options: { holdoutPct: number; costMinor?: number; variants: string[]; people: Person[]; decided?: Date; sent?: Date; noRun?: boolean }) {
    return inShop(async (tx) => {
      const [campaign] = await tx.insert(campaigns).values({ shopId, name: `Campaign ${++serial}`, channel: "email", purpose: "marketing", status: "done", holdoutPct: options.holdoutPct, costMinor: options.costMinor ?? 0 }).returning();
      const vs = options.variants.length === 0 ? [] : await tx.insert(variants).values(options.variants.map((key) => ({ shopId, campaignId: campaign!.id, key, subject: "Hello", body: "Hi" }))).returning();
      const variantId = (key: string) => vs.find((v) => v.key === key)!.id;
      if (options.noRun) return campaign!.id;
      const [run] = await tx.insert(campaignRuns).values({ shopId, campaignId: campaign!.id, trigger: "approval", decidedAt: options.decided ?? DECIDED }).returning();
      const people = options.people.length === 0 ? [] : await tx.insert(customers).values(options.people.map((_, i) => ({ shopId, email: `c${serial}-${i}@example.com` }))).returning({ id: customers.id });
      if (people.length > 0) {
        await tx.insert(campaignDecisions).values(options.people.map((p, i) => ({
          shopId, runId: run!.id, customerId: people[i]!.id, outcome: p.arm === "holdout" ? "holdout" : p.arm === "excluded" ? "no_consent" : "queued",
          variantId: p.arm === "holdout" || p.arm === "excluded" ? null : variantId(p.arm),
        })));
      }
      const queued = options.people.flatMap((p, i) => (p.arm === "holdout" || p.arm === "excluded" ? [] : [{ p, id: people[i]!.id }]));
      if (queued.length > 0) {
        await tx.insert(sends).values(queued.map(({ p, id }) => ({
          shopId, runId: run!.id, campaignId: campaign!.id, variantId: variantId(p.arm), customerId: id, channel: "email" as const,
          status: p.status ?? "sent", why: "test", idempotencyKey: `campaign:${campaign!.id}:once:${id}`,
          sentAt: (p.status ?? "sent") === "sent" ? (options.sent ?? SENT) : null, skipReason: p.status === "skipped" ? "no_consent" : null,
        })));
      }
      const orderRows = options.people.flatMap((p, i) => (p.orders ?? []).map((o, k) => ({
        shopId, customerId: people[i]!.id, externalId: `o-${people[i]!.id}-${k}`, placedAt: o.at, totalMinor: o.totalMinor, currency: "EUR", status: o.status ?? "paid",
        cancelledAt: o.status === "cancelled" ? o.at : null,
      })));
      if (orderRows.length > 0) await tx.insert(orders).values(orderRows);
      return campaign!.id;
    });
  }
  const results = (campaignId: string, now = LATER) => inShop((tx) => getCampaignResults(tx, campaignId, { now }));

  beforeAll(async () => {
    database = await engine.open();
    ({ shopId } = await makeShop(database, "Results shop"));
    await inShop((tx) => tx.update(shops).set({ marginBp: 4000 }).where(eq(shops.id, shopId)));
  });
  afterAll(() => database?.close());

  // Holdout: 40 held out, 4 bought within the 5 days (2000, 3000, 4000, 5000). Three more bought,
  // but not within the window: the day before the run, 5 days and a minute after it, and an order
  // that was cancelled.
  // Variant A: 80 got it; 30 bought — 14 for 3000 two days after the message, one for 3000 and again
  // for 1000 (two orders, one customer), 15 for 5000 exactly 5 days after it (the window's last
  // moment counts). One more bought between the run and the message: not because of it. Two more
  // were in A but their message was skipped at sending: left out, counted as not sent.
  // Variant B: 80 got it; 9 bought (eight for 4000, one for 6000).
  // One customer was left out by consent and bought: no arm.
  const people = (): Person[] => [
    ...[2000, 3000, 4000, 5000].map((t) => ({ arm: "holdout", orders: [{ at: at(DECIDED, 1), totalMinor: t }] })),
    { arm: "holdout", orders: [{ at: at(DECIDED, -1), totalMinor: 9000 }] },
    { arm: "holdout", orders: [{ at: at(DECIDED, 5, 60_000), totalMinor: 9000 }] },
    { arm: "holdout", orders: [{ at: at(DECIDED, 1), totalMinor: 9000, status: "cancelled" }] },
    ...Array.from({ length: 33 }, () => ({ arm: "holdout" })),
    ...Array.from({ length: 14 }, () => ({ arm: "A", orders: [{ at: at(SENT, 2), totalMinor: 3000 }] })),
    { arm: "A", orders: [{ at: at(SENT, 2), totalMinor: 3000 }, { at: at(SENT, 4), totalMinor: 1000 }] },
    ...Array.from({ length: 15 }, () => ({ arm: "A", orders: [{ at: at(SENT, 5), totalMinor: 5000 }] })),
    { arm: "A", orders: [{ at: at(DECIDED, 0, 3_600_000), totalMinor: 9000 }] },
    ...Array.from({ length: 49 }, () => ({ arm: "A" })),
    ...Array.from({ length: 2 }, () => ({ arm: "A", status: "skipped" as const, orders: [{ at: at(SENT, 1), totalMinor: 9000 }] })),
    ...Array.from({ length: 8 }, () => ({ arm: "B", orders: [{ at: at(SENT, 1), totalMinor: 4000 }] })),
    { arm: "B", orders: [{ at: at(SENT, 3), totalMinor: 6000 }] },
    ...Array.from({ length: 71 }, () => ({ arm: "B" })),
    { arm: "excluded", orders: [{ at: at(SENT, 1), totalMinor: 9000 }] },
  ];

  let main: string;
  let r: CampaignResults;
  beforeAll(async () => {
    main = await build({ holdoutPct: 20, costMinor: 5000, variants: ["A", "B"], people: people() });
    r = await results(main);
  });

  it("counts each arm's customers and those who bought within the window after their message (the holdout's: after the run)", () => {
    const [holdout, a, b] = r.arms;
    expect(r.arms.map((x) => x.key)).toEqual(["holdout", "A", "B"]);
    expect([holdout!.assigned, holdout!.n, holdout!.conversions, holdout!.revenueMinor, holdout!.orders]).toEqual([40, 40, 4, 14000, 4]);
    expect([a!.assigned, a!.n, a!.notSent, a!.pending, a!.conversions, a!.revenueMinor, a!.orders]).toEqual([82, 80, 2, 0, 30, 14 * 3000 + 4000 + 15 * 5000, 31]);
    expect([b!.assigned, b!.n, b!.conversions, b!.revenueMinor, b!.orders]).toEqual([80, 80, 9, 8 * 4000 + 6000, 9]);
    expect(holdout!.revenuePerCustomerMinor).toBe(14000 / 40);
    expect(a!.averageOrderMinor).toBeCloseTo(121000 / 31, 9);
    // Wilson intervals of 4/40 and 30/80 (scipy binomtest(...).proportion_ci(method="wilson")).
    const ha = holdout!.conversion as ProportionEstimate;
    close(ha.rate, 0.1);
    close(ha.ci95[0], 0.03957952868260636);
    close(ha.ci95[1], 0.23051775227522295);
    const aa = a!.conversion as ProportionEstimate;
    close(aa.ci95[0], 0.2769417870153118);
    close(aa.ci95[1], 0.48451274536857003);
    expect(r.status).toBe("complete");
    expect(r.attributionDays).toBe(5);
  });

  it("gives each variant's lift over the holdout with its delta-method interval, p-value and power statement", () => {
    const a = r.comparisons[0]!.conversion as ProportionComparison;
    // By hand: 30/80 = 0.375 against 4/40 = 0.1.
    close(a.controlRate, 0.1);
    close(a.treatmentRate, 0.375);
    close(a.absoluteLift, 0.275);
    close(a.relativeLift!, 0.375 / 0.1 - 1);
    // The pooled z-test by hand: p̂ = 34/120.
    const pooled = 34 / 120;
    close(a.z, 0.275 / Math.sqrt(pooled * (1 - pooled) * (1 / 40 + 1 / 80)));
    close(a.pValue, 0.0016246520216046574);
    close(a.ci95![0], -0.8941793573763261);
    close(a.ci95![1], 6.394179357376326);
    close(a.absoluteCi95[0], 0.13394130216355288);
    close(a.minimumDetectableLift!, 1.62757393390986);
    expect(r.comparisons[0]!.powerSentence).toBe("With these numbers a lift smaller than 162.8 % would be missed more than 1 time in 5 (80 % power at the 5 % level): a smaller one cannot be told from noise.");

    const b = r.comparisons[1]!.conversion as ProportionComparison;
    close(b.relativeLift!, 9 / 80 / 0.1 - 1);
    close(b.pValue, 0.8354723430196486);
    close(b.ci95![0], -1.129331491132856);
  });

  it("corrects for two variants by Holm's method and calls only the one that stays significant better", () => {
    expect(r.corrected).toBe(true);
    // By hand: the smaller p-value times 2, the larger times 1 and never below the first.
    const pa = 0.0016246520216046574;
    const pb = 0.8354723430196486;
    close(r.comparisons[0]!.adjustedPValue!, 2 * pa);
    close(r.comparisons[1]!.adjustedPValue!, Math.max(2 * pa, pb));
    expect(r.comparisons.map((c) => c.verdict)).toEqual(["better", "no_difference"]);
    expect(r.comparisons[0]!.sentence).toBe("Variant A converted more customers than the holdout (p = 0.003 after correcting for several variants).");
    expect(r.comparisons[1]!.sentence).toBe("Variant B cannot be told apart from the holdout (p = 0.835 after correcting for several variants): no winner.");
    expect(r.winner).toEqual({ variantId: r.arms[1]!.variantId, key: "A", label: "Variant A" });
  });

  it("compares order values by Welch's t and revenue per customer, and gives the return on the campaign's cost", () => {
    const ov = r.comparisons[0]!.orderValue as WelchResult;
    // scipy.stats.ttest_ind(A's 31 orders, the holdout's 4, equal_var=False)
    close(ov.difference, 121000 / 31 - 3500);
    close(ov.t, 0.5956321622095864);
    close(ov.df, 3.625695094535886);
    close(ov.pValue, 0.5865911097282017);
    close(r.comparisons[0]!.incrementalRevenueMinor!, (121000 / 80 - 14000 / 40) * 80);
    // ROMI by hand: the 160 who got a message bought 159000, 993.75 each; the holdout 350 each.
    // Incremental revenue (993.75 − 350) × 160 = 103000; × 40 % margin = 41200; (41200 − 5000) ÷ 5000.
    if (!r.romi.enough) throw new Error(r.romi.reason);
    close(r.romi.incrementalRevenueMinor, 103000);
    close(r.romi.incrementalMarginMinor, 41200);
    close(r.romi.romi, 7.24);
    // The interval from Welch's interval of revenue per customer, 160 treated against 40 held out.
    close(r.romi.incrementalRevenueCi95[0], 30558.82559704817, 5);
    close(r.romi.ci95[0], 1.4447060477638538, 7);
    close(r.romi.ci95[1], 13.035293952236147, 7);
  });

  it("checks the split against the asked shares", () => {
    // 40 : 82 : 80 against 20 : 40 : 40 % is a fair split.
    expect(r.sampleRatio).toMatchObject({ enough: true, mismatch: false });
    expectFinite(r);
  });

  it("uses the shop's attribution window: six days take in the holdout's order placed 5 days and a minute after the run", async () => {
    await inShop((tx) => tx.update(shops).set({ attributionDays: 6 }).where(eq(shops.id, shopId)));
    try {
      const six = await results(main);
      expect(six.attributionDays).toBe(6);
      expect(six.arms[0]!.conversions).toBe(5);
    } finally {
      await inShop((tx) => tx.update(shops).set({ attributionDays: 5 }).where(eq(shops.id, shopId)));
    }
  });

  it("says the figures are still being measured while a window is open or a message waits", async () => {
    const early = await results(main, at(DECIDED, 2));
    expect(early.status).toBe("measuring");
    expect(early.windowClosesAt).toEqual(at(SENT, 5));
    expect(early.arms[0]!.conversions).toBe(4);
    expect(early.arms[1]!.conversions).toBe(0);
    const waiting = await build({ holdoutPct: 50, variants: ["A"], people: [{ arm: "holdout" }, { arm: "holdout" }, { arm: "A" }, { arm: "A", status: "queued" }] });
    const w = await results(waiting);
    expect(w.status).toBe("measuring");
    expect(w.arms[1]).toMatchObject({ assigned: 2, n: 1, pending: 1, notSent: 0 });
    expect(w.statusSentence).toContain("1 messages are still to be sent");
  });

  it("gives one variant's p-value uncorrected", async () => {
    const one = await build({ holdoutPct: 50, variants: ["A"], people: [
      ...Array.from({ length: 10 }, (_, i) => ({ arm: "holdout", orders: i < 2 ? [{ at: at(DECIDED, 1), totalMinor: 1000 }] : [] })),
      ...Array.from({ length: 10 }, (_, i) => ({ arm: "A", orders: i < 5 ? [{ at: at(SENT, 1), totalMinor: 1000 + i }] : [] })),
    ] });
    const x = await results(one);
    expect(x.corrected).toBe(false);
    const c = x.comparisons[0]!.conversion as ProportionComparison;
    expect(x.comparisons[0]!.adjustedPValue).toBe(c.pValue);
    // 5/10 against 2/10 is not significant: no winner.
    expect(x.comparisons[0]!.verdict).toBe("no_difference");
    expect(x.winner).toBeNull();
    // Every holdout order has the same value, but A's vary: Welch still has a spread to use.
    expect(x.comparisons[0]!.orderValue.enough).toBe(true);
    expect(x.romi).toEqual({ enough: false, reason: "No cost was entered for this campaign, so there is no return on it to compute." });
  });

  it("says 'not enough data' instead of a number: no one bought, a group of one, no spread, no holdout, never sent", async () => {
    const nobody = await results(await build({ holdoutPct: 50, costMinor: 1000, variants: ["A"], people: [{ arm: "holdout" }, { arm: "holdout" }, { arm: "A" }, { arm: "A" }, { arm: "A" }] }));
    expect(nobody.comparisons[0]!.conversion).toEqual({ enough: false, reason: "No one converted in either group, so the groups cannot be told apart yet." });
    expect(nobody.comparisons[0]).toMatchObject({ verdict: "not_enough_data", adjustedPValue: null, powerSentence: null, underpowered: null });
    expect(nobody.comparisons[0]!.orderValue).toEqual({ enough: false, reason: "Each group needs at least 2 orders; one has 0." });
    // No one bought, so the return is exactly −100 %: the cost with nothing against it.
    expect(nobody.romi).toMatchObject({ enough: true, romi: -1, incrementalRevenueMinor: 0 });
    expectFinite(nobody);

    const single = await results(await build({ holdoutPct: 50, costMinor: 1000, variants: ["A"], people: [{ arm: "holdout", orders: [{ at: at(DECIDED, 1), totalMinor: 500 }] }, { arm: "A" }, { arm: "A" }] }));
    expect(single.comparisons[0]!.conversion).toEqual({ enough: false, reason: "Each group needs at least 2 customers; the control has 1 and the treatment 2." });
    expect(single.romi).toEqual({ enough: false, reason: "It takes at least 2 customers in the holdout and 2 who got a message; there are 1 and 2." });
    expectFinite(single);

    const same = await results(await build({ holdoutPct: 50, variants: ["A"], people: [
      ...Array.from({ length: 3 }, () => ({ arm: "holdout", orders: [{ at: at(DECIDED, 1), totalMinor: 2500 }] })),
      ...Array.from({ length: 3 }, () => ({ arm: "A", orders: [{ at: at(SENT, 1), totalMinor: 2500 }] })),
    ] }));
    expect(same.comparisons[0]!.orderValue).toEqual({ enough: false, reason: "Every order in both groups has the same value, so there is no spread to test against." });
    expect(same.comparisons[0]!.conversion).toEqual({ enough: false, reason: "Everyone converted in either group, so the groups cannot be told apart yet." });
    expectFinite(same);

    const noHoldout = await results(await build({ holdoutPct: 0, variants: ["A"], people: [{ arm: "A", orders: [{ at: at(SENT, 1), totalMinor: 500 }] }, { arm: "A" }] }));
    expect(noHoldout.status).toBe("no_holdout");
    expect(noHoldout.arms[0]).toMatchObject({ key: "holdout", n: 0, conversion: { enough: false } });
    expect(noHoldout.comparisons[0]!.verdict).toBe("not_enough_data");
    expect(noHoldout.sampleRatio).toBeNull();
    expectFinite(noHoldout);

    const never = await results(await build({ holdoutPct: 10, variants: ["A", "B"], people: [], noRun: true }));
    expect(never.status).toBe("not_started");
    expect(never.statusSentence).toBe("No results yet: the campaign has not been sent to anyone.");
    expect(never.arms.map((x) => x.n)).toEqual([0, 0, 0]);
    expect(never.winner).toBeNull();
    expect(never.sampleRatio).toBeNull();
    expectFinite(never);
  });

  it("answers not found for an unknown campaign, a malformed id and another shop's campaign", async () => {
    const other = await makeShop(database, "Other shop");
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      await expect(results(id)).rejects.toSatisfy((e) => isAppError(e, "not_found"));
    }
    await expect(withShop(other.shopId, (tx) => getCampaignResults(tx, main), database)).rejects.toSatisfy((e) => isAppError(e, "not_found"));
  });

  // The Overview's revenue from campaigns: each campaign against its own holdout, added up. Its own
  // month (January 2027), so the other campaigns of this file are not in it.
  it("adds up each campaign's revenue against its own holdout, with the interval of the sum", async () => {
    const decided = new Date("2027-01-10T10:00:00Z");
    const sent = new Date("2027-01-10T12:00:00Z");
    const holdoutValues = [1000, 0, 0, 0];
    const messagedValues = [3000, 2000, 0, 0, 0, 0];
    await build({
      holdoutPct: 40, variants: ["A"], decided, sent,
      people: [
        { arm: "holdout", orders: [{ at: at(decided, 1), totalMinor: 1000 }] },
        { arm: "holdout", orders: [{ at: at(decided, 6), totalMinor: 7000 }] }, // after the 5-day window
        { arm: "holdout" }, { arm: "holdout" },
        { arm: "A", orders: [{ at: at(sent, 1), totalMinor: 3000 }] },
        { arm: "A", orders: [{ at: at(sent, 2), totalMinor: 2000 }] },
        { arm: "A", orders: [{ at: at(decided, 0, 3_600_000), totalMinor: 9000 }] }, // before its message
        { arm: "A" }, { arm: "A" }, { arm: "A" },
      ],
    });
    // A campaign without a holdout: its revenue counts as messaged, but it has nothing to compare with.
    await build({ holdoutPct: 0, variants: ["A"], decided, sent, people: [1, 2, 3].map(() => ({ arm: "A", orders: [{ at: at(sent, 1), totalMinor: 1000 }] })) });

    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = (xs: number[]) => xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1);
    const n = messagedValues.length;
    const incremental = n * (mean(messagedValues) - mean(holdoutValues)); // 6 × (833.33 − 250) = 3500
    const se = Math.sqrt(n * n * (variance(messagedValues) / n + variance(holdoutValues) / holdoutValues.length));

    const r = await inShop((tx) => summarizeCampaignRevenue(tx, { start: new Date("2027-01-01T00:00:00Z"), end: new Date("2027-02-01T00:00:00Z"), now: new Date("2027-01-31T00:00:00Z") }));
    expect(r.status).toBe("ok");
    if (r.status !== "ok") return;
    expect(r.campaigns).toBe(2);
    expect(r.compared).toBe(1);
    expect(r.n).toEqual({ messaged: 9, holdout: 4 });
    expect(r.messagedRevenueMinor).toBe(5000 + 3000);
    expect(r.incrementalMinor).toBe(Math.round(incremental));
    expect(r.incrementalMinor).toBe(3500);
    expect(r.interval.low).toBe(Math.round(incremental - 1.959963984540054 * se));
    expect(r.interval.high).toBe(Math.round(incremental + 1.959963984540054 * se));
    expect(r.attributionDays).toBe(5);

    const none = await inShop((tx) => summarizeCampaignRevenue(tx, { start: new Date("2030-01-01T00:00:00Z"), end: new Date("2030-02-01T00:00:00Z"), now: new Date("2030-03-01T00:00:00Z") }));
    expect(none).toEqual({ status: "no_data", hint: NO_CAMPAIGN_RESULTS });
  });
});

describe("pooling samples", () => {
  it("gives the mean and sample variance of the values put together", () => {
    const a = [1, 2, 3, 10];
    const b = [4, 4, 9];
    const all = [...a, ...b];
    const mean = all.reduce((s, x) => s + x, 0) / all.length;
    const variance = all.reduce((s, x) => s + (x - mean) ** 2, 0) / (all.length - 1);
    const stats = (xs: number[]) => {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      return { n: xs.length, mean: m, variance: xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) };
    };
    const pooled = poolSamples([stats(a), stats(b), { n: 0, mean: 0, variance: 0 }]);
    expect(pooled.n).toBe(7);
    close(pooled.mean, mean, 12);
    close(pooled.variance, variance, 12);
    expect(poolSamples([])).toEqual({ n: 0, mean: 0, variance: 0 });
  });
});
