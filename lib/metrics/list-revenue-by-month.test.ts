// Revenue per month: the current month is partial, in the shop's time zone, on both engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop } from "../../test/factories";
import type { Database } from "../db/client";
import { withShop } from "../db/tenant";
import { listRevenueByMonth } from "./list-revenue-by-month";

describe.each(engines())("revenue by month on $name", (engine) => {
  let database: Database;
  let shopId: string;
  beforeAll(async () => {
    database = await engine.open();
    shopId = (await makeShop(database)).shopId;
    await addCustomer(database, shopId, {
      orders: [
        { totalMinor: 1000, placedAt: new Date("2026-05-20T10:00:00Z") },
        { totalMinor: 2000, placedAt: new Date("2026-06-02T10:00:00Z") },
        // 30 June 20:00 in London is already 1 July 08:00 in Auckland.
        { totalMinor: 4000, placedAt: new Date("2026-06-30T20:00:00Z") },
      ],
    });
  });
  afterAll(() => database?.close());

  const list = (timeZone: string, now: Date) => withShop(shopId, (tx) => listRevenueByMonth(tx, { months: 3, timeZone, now }), database);

  it("marks only the current month partial, with the days it covers so far", async () => {
    const months = await list("Europe/London", new Date("2026-06-15T12:00:00Z"));
    expect(months.map(({ month, partial, daysCovered, daysInMonth }) => ({ month, partial, daysCovered, daysInMonth }))).toEqual([
      { month: "2026-04", partial: false, daysCovered: 30, daysInMonth: 30 },
      { month: "2026-05", partial: false, daysCovered: 31, daysInMonth: 31 },
      { month: "2026-06", partial: true, daysCovered: 15, daysInMonth: 30 },
    ]);
    expect(months.map((m) => m.revenueMinor)).toEqual([0, 1000, 2000]);
  });

  it("counts the month and its days in the shop's time zone, not the server's", async () => {
    const now = new Date("2026-06-30T23:30:00Z");
    const london = await list("Europe/London", now);
    expect(london.at(-1)).toMatchObject({ month: "2026-07", partial: true, daysCovered: 1, daysInMonth: 31, revenueMinor: 0 });
    expect(london.at(-2)).toMatchObject({ month: "2026-06", partial: false, daysCovered: 30, revenueMinor: 6000 });

    const auckland = await list("Pacific/Auckland", now);
    expect(auckland.at(-1)).toMatchObject({ month: "2026-07", partial: true, daysCovered: 1, revenueMinor: 4000, orders: 1 });
    expect(auckland.at(-2)).toMatchObject({ month: "2026-06", partial: false, revenueMinor: 2000 });

    const losAngeles = await list("America/Los_Angeles", now);
    expect(losAngeles.at(-1)).toMatchObject({ month: "2026-06", partial: true, daysCovered: 30, daysInMonth: 30, revenueMinor: 6000 });
  });

  it("ends with a chosen month of the range, whole, and never past the current one", async () => {
    const now = new Date("2026-07-15T12:00:00Z");
    const may = await withShop(shopId, (tx) => listRevenueByMonth(tx, { months: 2, timeZone: "Europe/London", now, to: "2026-05" }), database);
    expect(may.map(({ month, partial, revenueMinor }) => ({ month, partial, revenueMinor }))).toEqual([
      { month: "2026-04", partial: false, revenueMinor: 0 },
      { month: "2026-05", partial: false, revenueMinor: 1000 },
    ]);
    const later = await withShop(shopId, (tx) => listRevenueByMonth(tx, { months: 2, timeZone: "Europe/London", now, to: "2027-01" }), database);
    expect(later.map((m) => [m.month, m.partial])).toEqual([["2026-06", false], ["2026-07", true]]);
  });
});
