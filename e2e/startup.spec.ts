// Start-up faults a self-hoster meets: the server stops with one line naming what failed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";

function startServer(env: Record<string, string>, port: number) {
  const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    env: { ...process.env, DATABASE_URL: "", PGLITE_DIR: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test("an unreachable database stops the server with one clear line", async () => {
  const server = startServer({ DATABASE_URL: "postgres://shop:hunter22@127.0.0.1:1/regulars" }, 3191);
  const code = await Promise.race([server.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 45_000))]);
  if (code === "timeout") server.child.kill("SIGKILL");
  expect(code).toBe(1);
  const errorLines = server.output().split("\n").filter((l) => l.includes("Regulars:"));
  expect(errorLines).toHaveLength(1);
  expect(errorLines[0]).toMatch(/Regulars: Cannot connect to the database at postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/regulars: .*ECONNREFUSED/);
  expect(server.output()).not.toContain("hunter22");
  expect(server.output()).not.toMatch(/^\s+at /m);
});

test("a PGlite directory held by the running dashboard is refused, naming the holder", async () => {
  const dir = path.resolve(".data/e2e/pglite");
  const holder = Number(fs.readFileSync(`${dir}.lock`, "utf8"));
  const server = startServer({ PGLITE_DIR: dir }, 3192);
  const code = await Promise.race([server.exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 45_000))]);
  if (code === "timeout") server.child.kill("SIGKILL");
  expect(code).toBe(1);
  expect(server.output()).toContain(`is in use by process ${holder}`);
});
