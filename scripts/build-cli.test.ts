// The shipped command on a copy of the project: it builds itself when there is no build, an edit to
// scripts/ or lib/ is in the very next run, and without a way to build it still runs (through tsx).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let copy: string;

function regulars(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(copy, "scripts/regulars.mjs"), ...args], {
    cwd: copy,
    env: { ...process.env, DATABASE_URL: undefined, PGLITE_DIR: undefined },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function edit(file: string, from: string, to: string) {
  const full = path.join(copy, file);
  const text = fs.readFileSync(full, "utf8");
  expect(text).toContain(from);
  fs.writeFileSync(full, text.replace(from, to));
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-build-"));
  for (const entry of ["scripts", "lib"]) fs.cpSync(path.resolve(entry), path.join(copy, entry), { recursive: true });
  for (const file of ["package.json", "package-lock.json", "tsconfig.json"]) fs.copyFileSync(path.resolve(file), path.join(copy, file));
  fs.symlinkSync(path.resolve("node_modules"), path.join(copy, "node_modules"));
});
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe("the regulars command", () => {
  it("builds itself on the first run and runs the build", () => {
    const run = regulars(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: regulars <command>");
    expect(fs.existsSync(path.join(copy, "dist/cli/cli.mjs"))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(copy, "dist/cli/manifest.json"), "utf8")).inputs).toContain("lib/predict/summary-csv.ts");
  });

  it("runs an edit to scripts/ or lib/ on the next run, not the old build", () => {
    edit("scripts/cli.ts", "Usage: regulars <command>", "Usage (edited): regulars <command>");
    expect(regulars(["--help"]).stdout).toContain("Usage (edited): regulars <command>");

    const bad = path.join(copy, "bad-summary.csv");
    fs.writeFileSync(bad, "id,frequency,recency,T\nc1,2,12,10\n");
    expect(regulars(["clv", "fit", "--summary", bad, "--json"]).stderr).toContain("The summary has 1 invalid row; nothing was fitted.");
    edit("lib/predict/summary-csv.ts", "nothing was fitted.", "no fit (edited).");
    const run = regulars(["clv", "fit", "--summary", bad, "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("The summary has 1 invalid row; no fit (edited).");
  });

  it("still runs when it cannot build", () => {
    // A file where the build directory should be: the build fails, the sources run through tsx.
    fs.rmSync(path.join(copy, "dist"), { recursive: true, force: true });
    fs.writeFileSync(path.join(copy, "dist"), "");
    const run = regulars(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage (edited): regulars <command>");
  });
});
