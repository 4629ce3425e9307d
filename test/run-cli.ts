// The shipped `regulars` command (scripts/regulars.mjs) as a subprocess, as other tools run it:
// with no database of the caller's environment unless the test gives one.
import { spawnSync } from "node:child_process";
import path from "node:path";

export function runCli(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [path.resolve("scripts/regulars.mjs"), ...args], {
    env: { ...process.env, DATABASE_URL: undefined, PGLITE_DIR: undefined, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
