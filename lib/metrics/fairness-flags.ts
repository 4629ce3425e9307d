// The one rule that says a group is treated unevenly, used by the fairness report and its page.
// Shares are compared with the group's share of the *consenting* customers (those who may be
// messaged at all), not of all customers: a group that said no is not under-served by getting
// nothing. Small groups are left alone, since a handful of customers swings any share.
// Documented for owners in docs/decisions/fairness-report.md.

/** How far apart two shares must be before a group is flagged. */
export const FAIRNESS_RULE = {
  /** Flag when a group's share of messages is more than this many times its share of consenting customers… */
  contactRatio: 1.5,
  /** …or its share of offers is less than its share of consenting customers divided by this. */
  offerRatio: 1.5,
  /** Groups with fewer consenting customers than this are never flagged. */
  minConsenting: 10,
  /** A segment is checked for a locale or time zone it leaves out once it has this many members… */
  minSegmentSize: 10,
  /** …and the group would be expected at least this many times in it (its share of the shop × the segment's size)… */
  minExpectedMembers: 5,
  /** …and is flagged when it holds fewer than the expected number divided by this. */
  segmentRatio: 3,
} as const;

export const FAIRNESS_RULE_TEXT =
  `A group is flagged when it has at least ${FAIRNESS_RULE.minConsenting} consenting customers and its share of the messages is more than ` +
  `${FAIRNESS_RULE.contactRatio} times its share of the consenting customers, or — when offers went out — its share of the offers is below ` +
  `its share of the consenting customers divided by ${FAIRNESS_RULE.offerRatio}. A segment is flagged for a language or time zone when it has at least ` +
  `${FAIRNESS_RULE.minSegmentSize} members, the group would be expected at least ${FAIRNESS_RULE.minExpectedMembers} times in it from its share of the shop, ` +
  `and it holds fewer than a ${FAIRNESS_RULE.segmentRatio === 3 ? "third" : `1/${FAIRNESS_RULE.segmentRatio}`} of that.`;

export type FairnessFlagKind = "more_contact" | "fewer_offers" | "segment_excludes";

export interface FairnessFlag {
  kind: FairnessFlagKind;
  dimension: string;
  group: string;
  /** The segment, for a segment_excludes flag. */
  segmentId?: string;
  /** Observed share ÷ expected share (the consenting share, or the shop's share for a segment). */
  ratio: number;
  sentence: string;
}

/** What the contact rule needs of a group. */
export interface GroupShares {
  dimension: string;
  dimensionLabel: string;
  key: string;
  label: string;
  consenting: number;
  messages: number;
  offerMessages: number;
  consentingShare: number | null;
  messageShare: number | null;
  offerShare: number | null;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const times = (x: number) => `${(Math.round(x * 10) / 10).toFixed(1)}×`;

export function contactFlags(groups: GroupShares[], totals: { messages: number; offerMessages: number }): FairnessFlag[] {
  const flags: FairnessFlag[] = [];
  for (const g of groups) {
    if (g.consenting < FAIRNESS_RULE.minConsenting || !g.consentingShare) continue;
    const who = `${g.dimensionLabel} “${g.label}”`;
    if (totals.messages > 0 && g.messageShare !== null && g.messageShare > FAIRNESS_RULE.contactRatio * g.consentingShare) {
      const ratio = g.messageShare / g.consentingShare;
      flags.push({
        kind: "more_contact", dimension: g.dimension, group: g.key, ratio,
        sentence: `${who} got ${pct(g.messageShare)} of the messages (${g.messages} of ${totals.messages}) but is ${pct(g.consentingShare)} of the consenting customers (${g.consenting}): ${times(ratio)} its share.`,
      });
    }
    if (totals.offerMessages > 0 && g.offerShare !== null && g.offerShare < g.consentingShare / FAIRNESS_RULE.offerRatio) {
      const ratio = g.offerShare / g.consentingShare;
      flags.push({
        kind: "fewer_offers", dimension: g.dimension, group: g.key, ratio,
        sentence: g.offerMessages === 0
          ? `${who} got none of the ${totals.offerMessages} offers although it is ${pct(g.consentingShare)} of the consenting customers (${g.consenting}).`
          : `${who} got ${pct(g.offerShare)} of the offers (${g.offerMessages} of ${totals.offerMessages}) but is ${pct(g.consentingShare)} of the consenting customers (${g.consenting}).`,
      });
    }
  }
  return flags;
}

/** A segment's share of a locale or time zone against the shop's. */
export interface SegmentMixGroup {
  segmentId: string;
  segmentName: string;
  segmentSize: number;
  dimension: string;
  dimensionLabel: string;
  key: string;
  label: string;
  members: number;
  shopShare: number;
}

export function segmentMixFlags(groups: SegmentMixGroup[]): FairnessFlag[] {
  const flags: FairnessFlag[] = [];
  for (const g of groups) {
    if (g.segmentSize < FAIRNESS_RULE.minSegmentSize) continue;
    const expected = g.shopShare * g.segmentSize;
    if (expected < FAIRNESS_RULE.minExpectedMembers || g.members >= expected / FAIRNESS_RULE.segmentRatio) continue;
    const segmentShare = g.members / g.segmentSize;
    flags.push({
      kind: "segment_excludes", dimension: g.dimension, group: g.key, segmentId: g.segmentId, ratio: segmentShare / g.shopShare,
      sentence: `Segment “${g.segmentName}” holds ${g.members} customers with ${g.dimensionLabel.toLowerCase()} “${g.label}” (${pct(segmentShare)} of its ${g.segmentSize}), ` +
        `where the shop's mix would give about ${Math.round(expected)} (${pct(g.shopShare)}): check whether one of its rules leaves them out.`,
    });
  }
  return flags;
}
