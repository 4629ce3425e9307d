import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { endSession, endUserSessions, isSessionLive, SESSION_MAX_AGE_S, startSession } from "./sessions";

describe.each(engines())("sessions on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());
  const days = (from: Date, n: number) => new Date(from.getTime() + n * 86_400_000);

  it("a signed-out session stays out, and the person's other sessions stay in", async () => {
    const { userId } = await makeShop(database);
    const laptop = await startSession(database.db, userId);
    const phone = await startSession(database.db, userId);
    expect(await isSessionLive(database.db, laptop, userId)).toBe(true);
    await endSession(database.db, laptop);
    expect(await isSessionLive(database.db, laptop, userId)).toBe(false);
    expect(await isSessionLive(database.db, phone, userId)).toBe(true);
  });

  it("ends every session of a person at once, and no one else's", async () => {
    const a = await makeShop(database);
    const b = await makeShop(database);
    const first = await startSession(database.db, a.userId);
    const second = await startSession(database.db, a.userId);
    const other = await startSession(database.db, b.userId);
    expect(await endUserSessions(database.db, a.userId)).toBe(2);
    expect(await isSessionLive(database.db, first, a.userId)).toBe(false);
    expect(await isSessionLive(database.db, second, a.userId)).toBe(false);
    expect(await isSessionLive(database.db, other, b.userId)).toBe(true);
  });

  it("names one person: another person's id with it is refused", async () => {
    const a = await makeShop(database);
    const b = await makeShop(database);
    const session = await startSession(database.db, a.userId);
    expect(await isSessionLive(database.db, session, b.userId)).toBe(false);
  });

  it("expires unused, and lives on while it is used", async () => {
    const { userId } = await makeShop(database);
    const start = new Date();
    const idle = await startSession(database.db, userId, start);
    expect(await isSessionLive(database.db, idle, userId, days(start, SESSION_MAX_AGE_S / 86_400 + 1))).toBe(false);

    const used = await startSession(database.db, userId, start);
    for (let day = 2; day <= 20; day += 2) expect(await isSessionLive(database.db, used, userId, days(start, day))).toBe(true);
  });
});
