// `regulars bench clv`: the BG/NBD and Gamma-Gamma fits on the whole CDNOW master file (23,570
// customers, 78 weeks to 1998-06-30) and on generated customers, against, in the same run, a Python
// scipy fit of the same BG/NBD likelihood on the same summary (scripts/bench/clv_baseline.py).
// project_ms and baseline_ms are both the CDNOW BG/NBD fit alone, the median of `repeats` runs after
// one warm-up run, timed inside each process (no start-up, no file reading).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "../../lib/errors";
import { collapseObservations, fitBgNbd, type BgNbdFit } from "../../lib/predict/bgnbd";
import { fitSummary } from "../../lib/predict/fit-summary";
import { fitGammaGamma, type GammaGammaFit } from "../../lib/predict/gamma-gamma";
import { simulateBgNbdCustomers } from "../../lib/predict/simulate-bgnbd";
import { dayOfYyyymmdd, summarizePurchases, type CustomerSummary, type Purchase } from "../../lib/predict/summarize-purchases";

// From the project root: the compiled command runs from dist/cli, not from beside this file.
const BASELINE_SCRIPT = path.join(process.env.REGULARS_ROOT ?? process.cwd(), "scripts/bench/clv_baseline.py");
const END = "19980630";

export interface ClvBenchResult {
  name: "clv";
  /** Regulars' BG/NBD fit on the CDNOW master summary, median ms. */
  project_ms: number;
  /** scipy Nelder-Mead fit of the same likelihood on the same summary, median ms; null without python3 and scipy. */
  baseline_ms: number | null;
  ratio: number | null;
  note: string;
  repeats: number;
  cdnow: Report & { summary_ms: number; bgnbd_first_run_ms: number };
  generated: Report & { simulate_ms: number };
  baseline: Record<string, unknown> | null;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function time<T>(repeats: number, f: () => T): { ms: number; firstMs: number; value: T } {
  let started = performance.now();
  let value = f();
  const firstMs = performance.now() - started;
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    started = performance.now();
    value = f();
    times.push(performance.now() - started);
  }
  return { ms: median(times), firstMs, value };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

type Report = Omit<ReturnType<typeof report>, "firstRunMs">;

function report(rows: CustomerSummary[], repeats: number) {
  const bg = time<BgNbdFit>(repeats, () => fitBgNbd(rows));
  const gg = time<GammaGammaFit>(repeats, () => fitGammaGamma(rows));
  const all = time(repeats, () => fitSummary(rows, { horizon: 52 }));
  return {
    customers: rows.length,
    repeat_customers: rows.filter((r) => r.frequency > 0).length,
    patterns: collapseObservations(rows).x.length,
    bgnbd_ms: round(bg.ms),
    bgnbd: { ...bg.value.params, logLikelihood: bg.value.logLikelihood, iterations: bg.value.iterations, converged: bg.value.converged },
    gamma_gamma_ms: round(gg.ms),
    gammaGamma: { ...gg.value.params, converged: gg.value.converged },
    /** Both fits and every customer's 52-week expected purchases, P(alive) and expected value (`clv fit`). */
    clv_fit_ms: round(all.ms),
    firstRunMs: bg.firstMs,
  };
}

/** CDNOW_master.txt: customer_id, YYYYMMDD, CDs, dollars; header line first. */
export function readCdnowMaster(file: string): Purchase[] {
  const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
  const purchases: Purchase[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/\s+/);
    if (cells.length < 4) continue;
    purchases.push({ customerId: cells[0]!, day: dayOfYyyymmdd(cells[1]!), amount: Number(cells[3]) });
  }
  return purchases;
}

function runBaseline(rows: CustomerSummary[], repeats: number, dir: string): { result: Record<string, unknown> | null; note: string } {
  const csv = path.join(dir, "cdnow-master-summary.csv");
  fs.writeFileSync(csv, "frequency,recency,T\n" + rows.map((r) => `${r.frequency},${r.recency},${r.T}`).join("\n") + "\n");
  // glibc hands numpy's 190 KB temporaries back to the system after every operation and page-faults
  // them in again, which makes each likelihood evaluation about 4× slower; a larger top pad keeps the
  // heap, so the baseline is timed at its best.
  const env = { ...process.env, MALLOC_TOP_PAD_: String(64 * 2 ** 20) };
  const run = spawnSync("python3", [BASELINE_SCRIPT, csv, String(repeats)], { encoding: "utf8", timeout: 600_000, env });
  if (run.error) return { result: null, note: `No baseline: python3 could not be started (${run.error.message}).` };
  if (run.status !== 0) {
    const why = /No module named '?(\w+)/.exec(run.stderr)?.[1];
    return { result: null, note: why ? `No baseline: python3 has no ${why}.` : `No baseline: the scipy script failed: ${run.stderr.trim().split("\n").pop()}` };
  }
  return { result: JSON.parse(run.stdout) as Record<string, unknown>, note: "" };
}

export async function benchClv(options: { dataDir: string; customers: number; repeats?: number; log: (s: string) => void }): Promise<ClvBenchResult> {
  const { log } = options;
  const repeats = options.repeats ?? 5;
  const master = path.join(options.dataDir, "CDNOW_master.txt");
  if (!fs.existsSync(master)) throw new AppError("invalid_input", `No CDNOW master file at ${master}.`);

  log("CDNOW master file: building the weekly summary…");
  const summaryStarted = performance.now();
  const rows = summarizePurchases(readCdnowMaster(master), { endDay: dayOfYyyymmdd(END), daysPerUnit: 7 });
  const summaryMs = performance.now() - summaryStarted;
  log(`  ${rows.length} customers. Fitting BG/NBD and Gamma-Gamma…`);
  const { firstRunMs, ...cdnow } = report(rows, repeats);

  log(`Generating ${options.customers} customers (BG/NBD at CDNOW's parameters, 12-week cohort, 78 weeks, by day)…`);
  const simulateStarted = performance.now();
  const generatedRows = simulateBgNbdCustomers({
    customers: options.customers,
    bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
    seed: `bench-clv-${options.customers}`,
    cohortDays: 84,
    endDay: 545,
    daysPerUnit: 7,
  });
  const simulateMs = performance.now() - simulateStarted;
  log("  fitting…");
  const { firstRunMs: _unused, ...generated } = report(generatedRows, repeats);

  log("Baseline: scipy Nelder-Mead on the same CDNOW summary…");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-bench-clv-"));
  let baseline: { result: Record<string, unknown> | null; note: string };
  try {
    baseline = runBaseline(rows, repeats, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const baselineMs = typeof baseline.result?.ms === "number" ? baseline.result.ms : null;

  return {
    name: "clv",
    project_ms: round(cdnow.bgnbd_ms),
    baseline_ms: baselineMs === null ? null : round(baselineMs),
    ratio: baselineMs === null ? null : Number((cdnow.bgnbd_ms / baselineMs).toFixed(3)),
    note:
      baseline.note ||
      "project_ms and baseline_ms: the BG/NBD fit on the CDNOW master summary, median of the repeats, timed in-process. Gamma-Gamma, the whole `clv fit` and the generated customers are timed for Regulars only.",
    repeats,
    cdnow: { ...cdnow, summary_ms: round(summaryMs), bgnbd_first_run_ms: round(firstRunMs) },
    generated: { ...generated, simulate_ms: round(simulateMs) },
    baseline: baseline.result,
  };
}
