import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase, queryRows, redactUrl } from "./client";

describe("opening the database", () => {
  it("names the URL (without its password) and the reason when Postgres cannot be reached", async () => {
    const error = await openDatabase({ kind: "postgres", url: "postgres://shop:s3cret@127.0.0.1:1/regulars" }).catch((e) => e);
    expect(error).toMatchObject({ code: "database_unavailable" });
    expect(error.message).toMatch(/^Cannot connect to the database at postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/regulars: .*ECONNREFUSED/);
    expect(error.message).not.toContain("s3cret");
    expect(error.message.split("\n")).toHaveLength(1);
  });

  it("names a database that does not exist", async () => {
    const error = await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/no_such_database_here" }).catch((e) => e);
    expect(error).toMatchObject({ code: "database_unavailable" });
    expect(error.message).toContain("no_such_database_here");
  });

  it("redacts passwords in labels", () => {
    expect(redactUrl("postgres://u:pw@db.example.com:5432/x")).toBe("postgres://u:***@db.example.com:5432/x");
    expect(redactUrl("not a url")).toBe("(unparseable DATABASE_URL)");
  });

  it("refuses a PGlite directory another process holds, names that process, and leaves the data intact", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-lock-"));
    const dataDir = path.join(dir, "pglite");
    const holder = spawn(process.execPath, ["--import", "tsx", path.resolve("test/fixtures/hold-pglite.ts"), dataDir], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
        holder.on("exit", (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const error = await openDatabase({ kind: "pglite", dir: dataDir }).catch((e) => e);
      expect(error).toMatchObject({ code: "database_locked" });
      expect(error.message).toContain(`in use by process ${holder.pid}`);
      expect(error.message).toContain("hold-pglite");
    } finally {
      holder.kill("SIGKILL");
      await new Promise((r) => holder.once("exit", r));
    }
    // The holder died without cleaning up: its stale lock is taken over and its data is all there.
    const database = await openDatabase({ kind: "pglite", dir: dataDir });
    try {
      const rows = await queryRows<{ note: string }>(database.db, sql`select note from lock_probe`);
      expect(rows).toEqual([{ note: "written by the holder" }]);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
