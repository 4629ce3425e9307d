// The classic named RFM groups, as one grid: recency score (rows, 5 = most recent) against the
// rounded mean of the frequency and spend scores (columns). Every cell has exactly one group, so
// every customer with an order is in exactly one group. Scores get their group in SQL from this grid.
import { sql, type SQL } from "drizzle-orm";

export const RFM_GROUPS = {
  champions: { name: "Champions", says: "among your most recent, most frequent and highest-spending customers" },
  loyal: { name: "Loyal customers", says: "orders often and spends well, and not long ago" },
  potential_loyalists: { name: "Potential loyalists", says: "a recent customer who has come back or spent more than most" },
  new: { name: "New customers", says: "a recent first order" },
  promising: { name: "Promising", says: "ordered fairly recently, but only once or for little" },
  need_attention: { name: "Need attention", says: "an average customer whose last order is getting older" },
  about_to_sleep: { name: "About to sleep", says: "ordered little, and less recently than most" },
  at_risk: { name: "At-risk customers", says: "used to order often or spend well, but not for a long time" },
  cant_lose: { name: "Can't lose", says: "one of the most valuable customers, gone quiet for a long time" },
  hibernating: { name: "Hibernating", says: "ordered little, long ago" },
  lost: { name: "Lost", says: "one small order, long ago" },
} as const;

export type RfmGroup = keyof typeof RFM_GROUPS;

/** RFM_GRID[recency - 1][frequencyAndSpend - 1]. */
export const RFM_GRID: readonly (readonly RfmGroup[])[] = [
  /* R1 */ ["lost", "hibernating", "at_risk", "cant_lose", "cant_lose"],
  /* R2 */ ["hibernating", "about_to_sleep", "at_risk", "at_risk", "cant_lose"],
  /* R3 */ ["about_to_sleep", "need_attention", "need_attention", "loyal", "loyal"],
  /* R4 */ ["promising", "potential_loyalists", "potential_loyalists", "champions", "champions"],
  /* R5 */ ["new", "potential_loyalists", "potential_loyalists", "champions", "champions"],
];

/** A customer's group in SQL: the grid as a two-dimensional array; the mean of frequency and spend rounds halves up. */
export function rfmGroupSql(recency: SQL, frequency: SQL, monetary: SQL): SQL {
  const grid = `{${RFM_GRID.map((row) => `{${row.join(",")}}`).join(",")}}`;
  return sql`(${grid}::text[])[${recency}][floor((${frequency} + ${monetary}) / 2.0 + 0.5)::int]`;
}
