// A statistic that cannot be computed honestly answers why, in words an owner can act on, instead
// of a number (never NaN, Infinity or a division by zero on a page).
export interface NotEnoughData {
  enough: false;
  /** What is missing, e.g. "Each group needs at least 2 customers; the holdout has 1." */
  reason: string;
}

export const notEnough = (reason: string): NotEnoughData => ({ enough: false, reason });
