// `regulars stats lift|nps`: the same statistics the pages show (lib/metrics/stats), for checking
// a figure by hand or from another tool. Contract: ../shared/DESIGN.md "Contracts".
import { AppError } from "../lib/errors";
import { compareProportions, powerSentence, type Group } from "../lib/metrics/stats/compare-proportions";
import { netPromoterScore } from "../lib/metrics/stats/nps";

type Options = Partial<Record<"control" | "treatment" | "promoters" | "passives" | "detractors", string>>;

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

function group(name: "control" | "treatment", value: string | undefined): Group {
  const m = value?.match(/^\s*(\d+)\s*\/\s*(\d+)\s*$/);
  if (!m) throw new AppError("invalid_input", `--${name} must be CONVERSIONS/CUSTOMERS, e.g. --${name} 120/4000${value === undefined ? "" : ` (got "${value}")`}.`);
  return { conversions: Number(m[1]), n: Number(m[2]) };
}

function count(name: "promoters" | "passives" | "detractors", value: string | undefined): number {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) throw new AppError("invalid_input", `--${name} must be a whole number of answers, e.g. --${name} 40${value === undefined ? "" : ` (got "${value}")`}.`);
  return Number(value);
}

/** Input the statistics refuse (more conversions than customers…) is the caller's to fix. */
function asInput<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof RangeError) throw new AppError("invalid_input", e.message);
    throw e;
  }
}

export function statsCommand(sub: string | undefined, opts: Options): { value: unknown; text: string } {
  if (sub === "lift") {
    const control = group("control", opts.control);
    const treatment = group("treatment", opts.treatment);
    const r = asInput(() => compareProportions(control, treatment));
    if (!r.enough) {
      const value = { controlRate: null, treatmentRate: null, absoluteLift: null, relativeLift: null, ci95: null, pValue: null, notEnoughData: r.reason };
      return { value, text: `Not enough data: ${r.reason}` };
    }
    const { enough: _, ...value } = r;
    const lines = [
      `Control ${pct(r.controlRate)} (${control.conversions}/${control.n}), treatment ${pct(r.treatmentRate)} (${treatment.conversions}/${treatment.n}).`,
      `Difference ${pct(r.absoluteLift)} (95 % CI ${pct(r.absoluteCi95[0])} to ${pct(r.absoluteCi95[1])}), p = ${r.pValue.toPrecision(3)}.`,
      r.relativeLift === null
        ? "The control converted nobody, so there is no relative lift."
        : `Relative lift ${pct(r.relativeLift)} (95 % CI ${pct(r.ci95![0])} to ${pct(r.ci95![1])}).`,
      ...(r.minimumDetectableLift === null ? [] : [powerSentence(r.minimumDetectableLift)]),
    ];
    return { value, text: lines.join("\n") };
  }
  if (sub === "nps") {
    const counts = { promoters: count("promoters", opts.promoters), passives: count("passives", opts.passives), detractors: count("detractors", opts.detractors) };
    const r = netPromoterScore(counts);
    if (!r.enough) return { value: { nps: null, se: null, ci95: null, n: counts.promoters + counts.passives + counts.detractors, notEnoughData: r.reason }, text: `Not enough data: ${r.reason}` };
    const { enough: _, ...value } = r;
    const text = `NPS ${r.nps.toFixed(1)} ± ${(r.ci95[1] - r.nps).toFixed(1)} (95 % CI, SE ${r.se.toFixed(2)}, n = ${r.n})${r.rough ? "; fewer than 30 answers, so the figure is rough" : ""}.`;
    return { value, text };
  }
  throw new AppError("invalid_input", `Unknown stats command "${sub ?? ""}". Use: stats lift --control CONV/N --treatment CONV/N, or stats nps --promoters P --passives Q --detractors D.`);
}
