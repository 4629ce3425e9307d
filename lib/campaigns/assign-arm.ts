// Which arm of a campaign a customer falls in — the holdout or one of the variants — decided by a
// hash of the campaign and the customer, so the same customer always lands in the same arm (a
// re-run, a retry or a preview never moves anyone) and arms fill in their asked shares. The point
// is the first 52 bits of MD5("campaign:customer") as a fraction of 2^52: uniform, the same in the
// application and in SQL (assignmentPointSql), which targets a whole audience in one statement.
// MD5 is used for spread, not secrecy: nobody gains by predicting their arm.
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";

const BITS = 52;
const SCALE = 2 ** BITS;

/** A number in [0, 1), fixed for this campaign and customer. */
export function assignmentPoint(campaignId: string, customerId: string): number {
  const hex = createHash("md5").update(`${campaignId}:${customerId}`).digest("hex").slice(0, BITS / 4);
  return parseInt(hex, 16) / SCALE;
}

/** The same point in SQL, for a campaign id and a customer id column. */
export function assignmentPointSql(campaignId: string, customerId: SQL): SQL {
  return sql`(('x' || substr(md5(${campaignId} || ':' || ${customerId}::text), 1, ${BITS / 4}))::bit(${sql.raw(String(BITS))})::bigint::float8 / ${SCALE}::float8)`;
}

export interface Arms {
  /** Share held out, 0–100 (percent): these customers get nothing and measure what would have happened anyway. */
  holdoutPct: number;
  /** Variants with their relative weights (paused variants left out by the caller). */
  variants: readonly { id: string; weight: number }[];
}

export type Arm = { holdout: true; variantId: null } | { holdout: false; variantId: string };

/**
 * The holdout takes the bottom holdoutPct % of the points; the rest is cut into the variants'
 * weights in their given order. Shares asked of the arms, for the sample-ratio check, come from
 * armShares with the same order.
 */
export function assignArm(point: number, arms: Arms): Arm {
  const holdout = arms.holdoutPct / 100;
  if (point < holdout || arms.variants.length === 0) return { holdout: true, variantId: null };
  const total = arms.variants.reduce((s, v) => s + v.weight, 0);
  let edge = holdout;
  for (const v of arms.variants) {
    edge += ((1 - holdout) * v.weight) / total;
    if (point < edge) return { holdout: false, variantId: v.id };
  }
  return { holdout: false, variantId: arms.variants[arms.variants.length - 1]!.id };
}

/** The shares the arms were asked to have: holdout first, then each variant, summing to 1. */
export function armShares(arms: Arms): number[] {
  const holdout = arms.holdoutPct / 100;
  const total = arms.variants.reduce((s, v) => s + v.weight, 0);
  return [holdout, ...arms.variants.map((v) => ((1 - holdout) * v.weight) / total)];
}

/**
 * The same cut in SQL: a CASE over the point, answering the variant id or null for the holdout.
 * The edges are computed here, once, so SQL and assignArm agree to the last bit.
 */
export function assignArmSql(point: SQL, arms: Arms): SQL {
  const holdout = arms.holdoutPct / 100;
  if (arms.variants.length === 0) return sql`null::uuid`;
  const total = arms.variants.reduce((s, v) => s + v.weight, 0);
  let edge = holdout;
  const whens = arms.variants.map((v, i) => {
    edge += ((1 - holdout) * v.weight) / total;
    const last = i === arms.variants.length - 1;
    return last ? sql`else ${v.id}::uuid` : sql`when p < ${edge}::float8 then ${v.id}::uuid`;
  });
  return sql`(select case when p < ${holdout}::float8 then null::uuid ${sql.join(whens, sql` `)} end from (select ${point} as p) pt)`;
}
