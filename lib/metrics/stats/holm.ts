// Holm's step-down correction: with several variants each compared with the holdout, a variant is
// called different only if its p-value survives the number of comparisons made. Adjusted p-values
// (as R's p.adjust(method = "holm")): sort ascending, multiply the k-th smallest by (m − k + 1),
// keep them non-decreasing, cap at 1. Returned in the input's order.
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`A p-value lies between 0 and 1 (got ${p}).`);
  const order = pValues.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
