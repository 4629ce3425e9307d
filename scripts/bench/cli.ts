// `regulars bench cli`: how long the shipped command takes, start to finish, as a user or a script
// runs it: `regulars clv fit --summary FILE --json` on 5,000 generated customers (BG/NBD and
// Gamma-Gamma at CDNOW's parameters, with spend), wall time of the whole process, JSON read from a
// pipe. The baseline, in the same run, is `node -e 0`: Node starting and stopping with nothing to
// do, the floor of any command written for Node. Also timed: `regulars --help` (the command's own
// start-up, no work) and, when python3 with numpy and scipy is there, the Python script of
// `bench clv` run once from the shell on the same customers (start-up, imports, the BG/NBD fit).
// Every figure is the median of `repeats` runs after one warm-up run (which also rebuilds the
// command if a source changed, so no run is timed with a build in it).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError } from "../../lib/errors";
import { simulateBgNbdCustomers } from "../../lib/predict/simulate-bgnbd";

export interface CliBenchResult {
  name: "cli";
  /** `regulars clv fit --summary FILE --json` on `customers` customers, wall time, median ms. */
  project_ms: number;
  /** `node -e 0`, wall time, median ms. */
  baseline_ms: number;
  ratio: number;
  /** What project_ms should stay under. */
  target_ms: number;
  customers: number;
  repeats: number;
  /** `regulars --help`, wall time, median ms: the command starting with no work to do. */
  help_ms: number;
  /** python3 running scripts/bench/clv_baseline.py once on the same customers; null without python3, numpy and scipy. */
  python_scipy_ms: number | null;
  runs_ms: { project: number[]; baseline: number[]; help: number[]; python_scipy: number[] | null };
  note: string;
}

const TARGET_MS = 500;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Runs a command once to warm up, then `repeats` times; wall times in ms. Fails on a non-zero exit. */
function timeCommand(command: string, args: string[], repeats: number, env: NodeJS.ProcessEnv = process.env): { runs: number[]; stdout: string } {
  const runs: number[] = [];
  let stdout = "";
  for (let i = 0; i <= repeats; i++) {
    const started = performance.now();
    const run = spawnSync(command, args, { encoding: "utf8", maxBuffer: 256 * 2 ** 20, env, timeout: 120_000 });
    const ms = performance.now() - started;
    if (run.error || run.status !== 0) {
      throw new Error(`${path.basename(command)} ${args.join(" ")} failed: ${run.error?.message ?? run.stderr.trim().split("\n").pop()}`);
    }
    if (i > 0) runs.push(round(ms));
    stdout = run.stdout;
  }
  return { runs, stdout };
}

function writeSummaries(dir: string, customers: number): { summary: string; pythonSummary: string } {
  const rows = simulateBgNbdCustomers({
    customers,
    bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
    seed: `bench-cli-${customers}`,
    cohortDays: 84,
    endDay: 545,
    daysPerUnit: 7,
  });
  const summary = path.join(dir, "summary.csv");
  fs.writeFileSync(summary, "id,frequency,recency,T,monetary_value\n" + rows.map((r) => `${r.id},${r.frequency},${r.recency},${r.T},${r.monetaryValue}`).join("\n") + "\n");
  // clv_baseline.py reads the first three columns as frequency, recency and T.
  const pythonSummary = path.join(dir, "summary-frt.csv");
  fs.writeFileSync(pythonSummary, "frequency,recency,T\n" + rows.map((r) => `${r.frequency},${r.recency},${r.T}`).join("\n") + "\n");
  return { summary, pythonSummary };
}

function pythonAvailable(): { ok: boolean; why: string } {
  const run = spawnSync("python3", ["-c", "import numpy, scipy"], { encoding: "utf8" });
  if (run.error) return { ok: false, why: "python3 could not be started" };
  if (run.status !== 0) return { ok: false, why: `python3 has no ${/No module named '?(\w+)/.exec(run.stderr)?.[1] ?? "numpy or scipy"}` };
  return { ok: true, why: "" };
}

export async function benchCli(options: { root: string; customers?: number; repeats?: number; log: (s: string) => void }): Promise<CliBenchResult> {
  const { root, log } = options;
  const customers = options.customers ?? 5_000;
  const repeats = options.repeats ?? 7;
  const bin = path.join(root, "scripts/regulars.mjs");
  if (!fs.existsSync(bin)) throw new AppError("invalid_input", `No regulars command at ${bin}.`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-bench-cli-"));
  try {
    log(`Generating ${customers} customers…`);
    const { summary, pythonSummary } = writeSummaries(dir, customers);

    log(`regulars clv fit --summary (${customers} customers) --json, ${repeats} runs…`);
    const project = timeCommand(process.execPath, [bin, "clv", "fit", "--summary", summary, "--json"], repeats);
    const fitted = (JSON.parse(project.stdout) as { customers: unknown[] }).customers.length;
    if (fitted !== customers) throw new Error(`clv fit answered ${fitted} customers, not ${customers}.`);

    log("regulars --help…");
    const help = timeCommand(process.execPath, [bin, "--help"], repeats);
    log("Baseline: node -e 0…");
    const baseline = timeCommand(process.execPath, ["-e", "0"], repeats);

    const python = pythonAvailable();
    let pythonRuns: number[] | null = null;
    if (python.ok) {
      log("python3 clv_baseline.py once on the same customers…");
      // As in `bench clv`: a larger malloc top pad keeps numpy's temporaries from being handed back.
      const env = { ...process.env, MALLOC_TOP_PAD_: String(64 * 2 ** 20) };
      pythonRuns = timeCommand("python3", [path.join(root, "scripts/bench/clv_baseline.py"), pythonSummary, "1"], repeats, env).runs;
    }

    const projectMs = median(project.runs);
    const baselineMs = median(baseline.runs);
    return {
      name: "cli",
      project_ms: round(projectMs),
      baseline_ms: round(baselineMs),
      ratio: Number((projectMs / baselineMs).toFixed(2)),
      target_ms: TARGET_MS,
      customers,
      repeats,
      help_ms: round(median(help.runs)),
      python_scipy_ms: pythonRuns ? round(median(pythonRuns)) : null,
      runs_ms: { project: project.runs, baseline: baseline.runs, help: help.runs, python_scipy: pythonRuns },
      note: [
        "Wall times of whole processes, medians after one warm-up run.",
        "python_scipy_ms: python3 starting, importing numpy and scipy, reading the file and fitting BG/NBD twice (one row per customer, then identical customers collapsed); no Gamma-Gamma and no per-customer predictions, so it does less than clv fit.",
        python.ok ? "" : `No Python figure: ${python.why}.`,
      ]
        .filter(Boolean)
        .join(" "),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
