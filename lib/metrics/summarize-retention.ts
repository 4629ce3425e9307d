// Repeat purchase, churn by lifecycle stage and opted-in against not-opted-in customers, from the
// acquisition groups (one pass over the sales, lib/metrics/list-acquisition-groups.ts).
import { LIFECYCLE_STAGES, type LifecycleStage } from "../segments/lifecycle";
import { addGroups, type AcquisitionGroup, type GroupTotals } from "./list-acquisition-groups";
import { noData, ok, type Figure, type Interval } from "./metric-result";
import { NO_ORDERS_HINT } from "./summarize-customer-value";
import { compareProportions, type ProportionComparison } from "./stats/compare-proportions";
import type { NotEnoughData } from "./stats/not-enough-data";
import { welchTest, type Sample, type WelchResult } from "./stats/welch";
import { wilsonInterval } from "./stats/wilson-interval";

export interface Share {
  n: number;
  count: number;
  rate: number;
  interval: Interval;
}

export interface LifecycleShare {
  stage: LifecycleStage;
  name: string;
  customers: number;
  share: number;
}

export interface ChurnByLifecycle {
  /** Customers the last segment refresh placed in a stage. */
  n: number;
  stages: LifecycleShare[];
  /** The share in the "churned" stage, with its 95 % interval. */
  churned: Share;
  /** Customers with orders here that the last refresh did not score (newer than it). */
  notScored: number;
}

export interface CohortSide {
  n: number;
  repeat: Figure<Share>;
  revenuePerCustomerMinor: number;
}

export interface OptInComparison {
  caveat: "not causal";
  explanation: string;
  optedIn: CohortSide;
  notOptedIn: CohortSide;
  /** Opted-in against not-opted-in repeat rates (treatment = opted in). */
  repeatDifference: ProportionComparison | NotEnoughData;
  /** Revenue per customer, opted in − not opted in, Welch's t. */
  revenueDifference: WelchResult | NotEnoughData;
}

export interface Retention {
  repeatRate: Figure<Share>;
  churnByLifecycle: Figure<ChurnByLifecycle>;
  optInComparison: Figure<OptInComparison>;
}

/** A share with its 95 % Wilson interval, or why there is none. */
export function share(count: number, n: number, hint = NO_ORDERS_HINT): Figure<Share> {
  const w = wilsonInterval(count, n);
  if (!w.enough) return noData(hint);
  return ok({ n, count, rate: w.rate, interval: { low: w.ci95[0], high: w.ci95[1], level: 0.95, method: "Wilson score" } });
}

function sampleOf(t: GroupTotals): Sample {
  const n = t.customers;
  const mean = n > 0 ? t.revenueMinor / n : 0;
  // From the sums of revenue and of its squares; rounding can take a zero spread a hair below 0.
  const variance = n > 1 ? Math.max(0, (t.revenueSquares - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, variance };
}

function side(t: GroupTotals): CohortSide {
  return { n: t.customers, repeat: share(t.repeaters, t.customers), revenuePerCustomerMinor: t.customers > 0 ? Math.round(t.revenueMinor / t.customers) : 0 };
}

export function summarizeRetention(groups: readonly AcquisitionGroup[], options: { refreshed: boolean }): Retention {
  const all = addGroups(groups);
  const repeatRate = share(all.repeaters, all.customers);

  let churnByLifecycle: Figure<ChurnByLifecycle>;
  const scored = groups.filter((g) => g.lifecycle !== null);
  const n = addGroups(scored).customers;
  if (all.customers === 0) churnByLifecycle = noData(NO_ORDERS_HINT);
  else if (!options.refreshed || n === 0) churnByLifecycle = noData("Lifecycle stages are set when segments are refreshed: open Segments and refresh, or run `regulars segments refresh`.");
  else {
    const count = (stage: string) => addGroups(scored.filter((g) => g.lifecycle === stage)).customers;
    const churned = share(count("churned"), n);
    churnByLifecycle = churned.status === "no_data" ? churned : ok({
      n,
      stages: (Object.keys(LIFECYCLE_STAGES) as LifecycleStage[]).map((stage) => ({ stage, name: LIFECYCLE_STAGES[stage].name, customers: count(stage), share: count(stage) / n })),
      churned,
      notScored: all.customers - n,
    });
  }

  const optedIn = addGroups(groups.filter((g) => g.consent === "opted_in"));
  const notOptedIn = addGroups(groups.filter((g) => g.consent === "not_opted_in"));
  let optInComparison: Figure<OptInComparison>;
  if (optedIn.customers === 0 || notOptedIn.customers === 0) {
    optInComparison = noData(
      all.customers === 0
        ? NO_ORDERS_HINT
        : optedIn.customers === 0
          ? "None of these customers has a current marketing grant, so there is no opted-in group to compare."
          : "Every one of these customers has opted in, so there is no other group to compare with.",
    );
  } else {
    const repeatDifference = compareProportions({ conversions: notOptedIn.repeaters, n: notOptedIn.customers }, { conversions: optedIn.repeaters, n: optedIn.customers });
    optInComparison = ok({
      caveat: "not causal" as const,
      explanation: "Customers who opt in may simply be the keener ones: a difference here is not the effect of messages. Only a campaign's holdout shows that.",
      optedIn: side(optedIn),
      notOptedIn: side(notOptedIn),
      repeatDifference,
      revenueDifference: welchTest(sampleOf(notOptedIn), sampleOf(optedIn)),
    });
  }
  return { repeatRate, churnByLifecycle, optInComparison };
}
