// Conversion of a treatment group against its control (a campaign's recipients against its
// holdout): the difference, the relative lift with its 95 % interval by the delta method, the
// two-sided p-value of the two-proportion z-test, and what the groups' sizes can detect at all.
// Formulas: ../shared/DESIGN.md "Lift"; docs/decisions record where each comes from.
import { normalCdf, normalQuantile, twoSidedNormalP } from "./distributions";
import { notEnough, type NotEnoughData } from "./not-enough-data";

export interface Group {
  conversions: number;
  n: number;
}

export interface ProportionComparison {
  enough: true;
  controlRate: number;
  treatmentRate: number;
  /** treatment − control, in rate units (0.01 = one percentage point). */
  absoluteLift: number;
  /** 95 % interval of the absolute lift (unpooled standard error). */
  absoluteCi95: [number, number];
  /** treatment ÷ control − 1; null when the control converted nobody (no ratio exists). */
  relativeLift: number | null;
  /** 95 % interval of the relative lift by the delta method; null with relativeLift. */
  ci95: [number, number] | null;
  /** Two-sided p-value of the pooled two-proportion z-test. */
  pValue: number;
  z: number;
  /**
   * The smallest relative lift these group sizes would detect 80 % of the time at the 5 % level,
   * given the control's rate: a lift below it cannot be told from noise. Null when the control
   * converted nobody.
   */
  minimumDetectableLift: number | null;
  /** Power to detect the observed lift, were it the true one. */
  power: number;
}

const Z95 = normalQuantile(0.975);
const Z80 = normalQuantile(0.8);

function checkGroup(name: string, g: Group) {
  if (!Number.isInteger(g.n) || g.n < 0) throw new RangeError(`${name}: the number of customers must be a whole number of 0 or more (got ${g.n}).`);
  if (!Number.isInteger(g.conversions) || g.conversions < 0) throw new RangeError(`${name}: conversions must be a whole number of 0 or more (got ${g.conversions}).`);
  if (g.conversions > g.n) throw new RangeError(`${name}: ${g.conversions} conversions out of ${g.n} customers is more than all of them.`);
}

export function compareProportions(control: Group, treatment: Group): ProportionComparison | NotEnoughData {
  checkGroup("control", control);
  checkGroup("treatment", treatment);
  if (control.n < 2 || treatment.n < 2) {
    return notEnough(`Each group needs at least 2 customers; the control has ${control.n} and the treatment ${treatment.n}.`);
  }
  const pc = control.conversions / control.n;
  const pt = treatment.conversions / treatment.n;
  const pooled = (control.conversions + treatment.conversions) / (control.n + treatment.n);
  if (pooled === 0 || pooled === 1) {
    const what = pooled === 0 ? "No one converted" : "Everyone converted";
    return notEnough(`${what} in either group, so the groups cannot be told apart yet.`);
  }
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const z = (pt - pc) / pooledSe;
  const se = Math.sqrt((pc * (1 - pc)) / control.n + (pt * (1 - pt)) / treatment.n);
  const absoluteLift = pt - pc;

  let relativeLift: number | null = null;
  let ci95: [number, number] | null = null;
  let minimumDetectableLift: number | null = null;
  if (pc > 0) {
    // Delta method for R = pt / pc: Var(R) ≈ R² (Var(pt)/pt² + Var(pc)/pc²), written without
    // dividing by pt so that a treatment with no conversions still gets an interval.
    const ratio = pt / pc;
    const varRatio = (pt * (1 - pt)) / treatment.n / (pc * pc) + (ratio * ratio * (1 - pc)) / (pc * control.n);
    const half = Z95 * Math.sqrt(varRatio);
    relativeLift = ratio - 1;
    ci95 = [relativeLift - half, relativeLift + half];
    minimumDetectableLift = ((Z95 + Z80) * Math.sqrt(pc * (1 - pc) * (1 / control.n + 1 / treatment.n))) / pc;
  }
  // Power of the two-sided test at the observed difference (normal approximation).
  const shift = Math.abs(absoluteLift) / (se || pooledSe);
  const power = normalCdf(shift - Z95) + normalCdf(-shift - Z95);

  return {
    enough: true,
    controlRate: pc,
    treatmentRate: pt,
    absoluteLift,
    absoluteCi95: [absoluteLift - Z95 * se, absoluteLift + Z95 * se],
    relativeLift,
    ci95,
    pValue: twoSidedNormalP(z),
    z,
    minimumDetectableLift,
    power,
  };
}

/** The power statement an owner reads beside a lift (never "winner" without it). */
export function powerSentence(minimumDetectableLift: number): string {
  return `With these numbers a lift smaller than ${(100 * minimumDetectableLift).toFixed(1)} % would be missed more than 1 time in 5 (80 % power at the 5 % level): a smaller one cannot be told from noise.`;
}
