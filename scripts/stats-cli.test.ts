// `regulars stats lift|nps` as other tools use it: the shipped command as a subprocess, one JSON
// object on stdout per the DESIGN contract, one-line errors and exit codes.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import reference from "../test/fixtures/stats/reference.json";

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [path.resolve("scripts/regulars.mjs"), "stats", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("regulars stats", () => {
  it("lift: answers the contract's fields, matching numpy and scipy", () => {
    const ref = reference.proportions[2]!;
    const run = cli(["lift", "--control", `${ref.control[0]}/${ref.control[1]}`, "--treatment", `${ref.treatment[0]}/${ref.treatment[1]}`, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ controlRate: ref.controlRate, treatmentRate: ref.treatmentRate });
    for (const key of ["absoluteLift", "relativeLift", "pValue"] as const) expect(out[key]).toBeCloseTo(ref[key], 9);
    expect(out.ci95[0]).toBeCloseTo(ref.ci95[0]!, 9);
    expect(out.ci95[1]).toBeCloseTo(ref.ci95[1]!, 9);
    expect(out.minimumDetectableLift).toBeCloseTo(ref.minimumDetectableLift, 9);
  });

  it("lift: says in words what the numbers mean, and what they cannot tell", () => {
    const run = cli(["lift", "--control", "200/10000", "--treatment", "250/10000"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Control 2.00 % (200/10000), treatment 2.50 % (250/10000).");
    expect(run.stdout).toContain("Relative lift 25.00 % (95 % CI 2.02 % to 47.98 %).");
    expect(run.stdout).toContain("a lift smaller than 27.7 % would be missed more than 1 time in 5");
  });

  it("lift: no conversions anywhere is not enough data, not a number", () => {
    const run = cli(["lift", "--control", "0/40", "--treatment", "0/50", "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      controlRate: null, treatmentRate: null, absoluteLift: null, relativeLift: null, ci95: null, pValue: null,
      notEnoughData: "No one converted in either group, so the groups cannot be told apart yet.",
    });
  });

  it("nps: answers {nps, se, ci95, n} by DESIGN's formula", () => {
    const run = cli(["nps", "--promoters", "40", "--passives", "30", "--detractors", "30", "--json"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.n).toBe(100);
    expect(out.nps).toBeCloseTo(10, 9);
    expect(out.se).toBeCloseTo(100 * Math.sqrt((0.4 + 0.3 - 0.1 ** 2) / 100), 12);
    expect(out.ci95[0]).toBeCloseTo(10 - 1.959964 * out.se, 5);
    expect(out.rough).toBe(false);
    expect(cli(["nps", "--promoters", "4", "--passives", "3", "--detractors", "3"]).stdout).toContain("fewer than 30 answers, so the figure is rough");
  });

  it("refuses input it cannot read, saying what to write instead (exit 2)", () => {
    expect(cli(["lift", "--control", "abc", "--treatment", "1/10"])).toMatchObject({ code: 2, stderr: 'regulars: --control must be CONVERSIONS/CUSTOMERS, e.g. --control 120/4000 (got "abc").\n' });
    expect(cli(["lift", "--control", "20/10", "--treatment", "1/10"])).toMatchObject({ code: 2, stderr: "regulars: control: 20 conversions out of 10 customers is more than all of them.\n" });
    expect(cli(["nps", "--promoters", "4", "--passives", "x", "--detractors", "3"]).code).toBe(2);
    expect(cli(["median"]).stderr).toContain('Unknown stats command "median"');
  });
});
