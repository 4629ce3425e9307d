import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { migrationsFolder, type Database } from "../db/client";
import { getSystemStatus } from "./get-system-status";

describe.each(engines())("system status on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it("counts every migration shipped in drizzle/ as applied and names the database", async () => {
    const shipped = (JSON.parse(fs.readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: { when: number }[] }).entries;
    const status = await getSystemStatus(database);
    expect(status.migrations).toBe(shipped.length);
    expect(status.lastMigrationAt?.getTime()).toBe(Math.max(...shipped.map((e) => e.when)));
    expect(status.database).toBe(database.label);
    expect(status.roundTripMs).toBeGreaterThanOrEqual(0);
  });
});
