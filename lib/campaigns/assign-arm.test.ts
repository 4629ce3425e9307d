import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { queryRows, type Database } from "../db/client";
import { sampleRatioCheck, type SampleRatioCheck } from "../metrics/stats/sample-ratio";
import { armShares, assignArm, assignArmSql, assignmentPoint, assignmentPointSql, type Arms } from "./assign-arm";

const CAMPAIGN = "0190a6d0-1111-7000-8000-000000000001";
// Customer ids as the database makes them: time-ordered, so consecutive ids share most of their digits.
const customerId = (i: number) => `0190a6d0-${(0x2000 + Math.floor(i / 65536)).toString(16)}-7${(i % 4096).toString(16).padStart(3, "0")}-8000-${i.toString(16).padStart(12, "0")}`;
const ARMS: Arms = { holdoutPct: 10, variants: [{ id: "0190a6d0-3333-7000-8000-00000000000a", weight: 1 }, { id: "0190a6d0-3333-7000-8000-00000000000b", weight: 1 }] };

describe("assigning customers to a campaign's arms", () => {
  it("puts the same customer in the same arm every time, and another campaign mixes them anew", () => {
    const first = Array.from({ length: 1000 }, (_, i) => assignArm(assignmentPoint(CAMPAIGN, customerId(i)), ARMS));
    const again = Array.from({ length: 1000 }, (_, i) => assignArm(assignmentPoint(CAMPAIGN, customerId(i)), ARMS));
    expect(again).toEqual(first);
    const other = Array.from({ length: 1000 }, (_, i) => assignArm(assignmentPoint("0190a6d0-1111-7000-8000-000000000002", customerId(i)), ARMS));
    const moved = other.filter((a, i) => a.variantId !== first[i]!.variantId).length;
    expect(moved).toBeGreaterThan(400); // independent draws agree about 0.1² + 2 × 0.45² ≈ 41 % of the time
  });

  it("fills the arms in their asked shares: no sample-ratio mismatch over 100,000 customers", () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) {
      const arm = assignArm(assignmentPoint(CAMPAIGN, customerId(i)), ARMS);
      counts[arm.holdout ? 0 : ARMS.variants.findIndex((v) => v.id === arm.variantId) + 1]! += 1;
    }
    expect(armShares(ARMS)).toEqual([0.1, 0.45, 0.45]);
    const check = sampleRatioCheck(counts, armShares(ARMS)) as SampleRatioCheck;
    expect(check.mismatch).toBe(false);
    // Within four standard deviations of 10,000 for the holdout (sd ≈ 95).
    expect(Math.abs(counts[0]! - 10_000)).toBeLessThan(380);
  });

  it("respects weights and an empty holdout, and holds everyone out when no variant is left", () => {
    const weighted: Arms = { holdoutPct: 0, variants: [{ id: "a", weight: 3 }, { id: "b", weight: 1 }] };
    expect(armShares(weighted)).toEqual([0, 0.75, 0.25]);
    expect(assignArm(0, weighted)).toEqual({ holdout: false, variantId: "a" });
    expect(assignArm(0.7499, weighted)).toEqual({ holdout: false, variantId: "a" });
    expect(assignArm(0.75, weighted)).toEqual({ holdout: false, variantId: "b" });
    expect(assignArm(0.5, { holdoutPct: 10, variants: [] })).toEqual({ holdout: true, variantId: null });
  });
});

describe.each(engines())("the same assignment in SQL on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database.close());

  it("gives every customer the same point and the same arm as the application", async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => customerId(i * 7919));
    const rows = await queryRows<{ id: string; point: number; variant: string | null }>(
      database.db,
      sql`select id, point, ${assignArmSql(sql`point`, ARMS)} as variant
            from (select id, ${assignmentPointSql(CAMPAIGN, sql`id`)} as point from unnest(${`{${ids.join(",")}}`}::uuid[]) as c(id)) c`,
    );
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) {
      const point = assignmentPoint(CAMPAIGN, r.id);
      expect(r.point).toBe(point);
      expect(r.variant).toBe(assignArm(point, ARMS).variantId);
    }
  });
});
