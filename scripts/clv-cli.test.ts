// `regulars clv fit` as other tools use it: the shipped command (scripts/regulars.mjs) as a
// subprocess, JSON on stdout, one-line errors and exit codes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const CDNOW = path.resolve(process.cwd(), "../shared/data/cdnow");

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [path.resolve("scripts/regulars.mjs"), ...args], {
    env: { ...process.env, DATABASE_URL: undefined, PGLITE_DIR: undefined },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("regulars clv fit", () => {
  it("fits CDNOW's summary and answers one JSON object with every customer", () => {
    const run = cli(["clv", "fit", "--summary", path.join(CDNOW, "cdnow_customers_summary.csv"), "--horizon", "39", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out).sort()).toEqual(["bgnbd", "customers", "gammaGamma"]);
    expect(Object.keys(out.bgnbd).sort()).toEqual(["a", "alpha", "b", "logLikelihood", "r"]);
    const published = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const [key, value] of Object.entries(published)) expect(Math.abs(out.bgnbd[key] - value) / value).toBeLessThan(0.005);
    expect(Math.abs(out.bgnbd.logLikelihood - -9582.4)).toBeLessThanOrEqual(0.1);
    expect(out.gammaGamma).toBeNull();
    expect(out.customers).toHaveLength(2357);
    expect(Object.keys(out.customers[0]).sort()).toEqual(["expectedAvgValue", "expectedPurchases", "id", "pAlive"]);
    expect(out.customers[0]).toMatchObject({ id: "1", expectedAvgValue: null });
    expect(out.customers[0].expectedPurchases).toBeCloseTo(1.226, 3);
    expect(out.customers.every((c: { pAlive: number }) => c.pAlive > 0 && c.pAlive <= 1)).toBe(true);
  });

  it("fits the spend model when the summary has monetary values", () => {
    const run = cli(["clv", "fit", "--summary", path.join(CDNOW, "cdnow_customers_summary_with_transactions.csv"), "--json"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.gammaGamma.p.toFixed(2)).toBe("6.25");
    expect(out.gammaGamma.q.toFixed(2)).toBe("3.74");
    expect(out.customers.every((c: { expectedAvgValue: number }) => c.expectedAvgValue > 0)).toBe(true);
  });

  it("refuses a bad file with exit code 2, naming the row", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-clv-"));
    try {
      const file = path.join(dir, "summary.csv");
      fs.writeFileSync(file, "id,frequency,recency,T\nc1,1,3,10\nc2,2,12,10\n");
      const run = cli(["clv", "fit", "--summary", file, "--json"]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toEqual(["regulars: The summary has 1 invalid row; nothing was fitted.", "  row 3: recency 12 is greater than T 10"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a missing file and a bad horizon with exit code 2", () => {
    const missing = cli(["clv", "fit", "--summary", "/nonexistent/summary.csv", "--json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe("regulars: No file at /nonexistent/summary.csv.");
    const horizon = cli(["clv", "fit", "--summary", path.join(CDNOW, "cdnow_customers_summary.csv"), "--horizon", "soon", "--json"]);
    expect(horizon.code).toBe(2);
    expect(horizon.stderr.trim()).toBe('regulars: --horizon must be a positive number of time units, not "soon".');
  });
});
