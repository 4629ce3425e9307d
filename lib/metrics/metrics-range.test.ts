// Month ranges in a shop's time zone: the defaults, the refusals, and the instants a month begins
// at on either side of daylight-saving changes (checked against the zones' published rules: London
// is UTC+1 from the last Sunday of March to the last Sunday of October, New York UTC−4 from the
// second Sunday of March to the first Sunday of November, Auckland UTC+13 until the first Sunday
// of April and UTC+12 after).
import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { addMonths, monthIn, monthStart, rangeInstants, resolveRange } from "./metrics-range";

describe("metrics range", () => {
  it("defaults to the shop's first order's month through the current month", () => {
    expect(resolveRange({}, { currentMonth: "2026-06", firstMonth: "2025-11" })).toMatchObject({ from: "2025-11", to: "2026-06", channel: null });
    expect(resolveRange({}, { currentMonth: "2026-06", firstMonth: null }).months).toEqual(["2026-06"]);
    expect(resolveRange({ from: "2025-12", to: "2026-02", channel: "web" }, { currentMonth: "2026-06", firstMonth: null })).toEqual({
      from: "2025-12", to: "2026-02", channel: "web", months: ["2025-12", "2026-01", "2026-02"],
    });
  });

  it("refuses a malformed month, a range that runs backwards and one longer than ten years, naming the field", () => {
    const refusal = (input: unknown) => {
      try {
        resolveRange(input, { currentMonth: "2026-06", firstMonth: null });
      } catch (e) {
        if (isAppError(e, "invalid_input")) return e.fields[0];
      }
      return null;
    };
    expect(refusal({ from: "2026-13" })).toEqual({ field: "from", message: "Use a month as YYYY-MM, e.g. 2026-01." });
    expect(refusal({ from: "2026-05", to: "2026-01" })).toEqual({ field: "from", message: "The first month must not come after the last." });
    expect(refusal({ from: "2000-01", to: "2026-01" })?.message).toBe("At most 120 months.");
  });

  it("finds the instant each month begins in the shop's time zone, across daylight-saving changes", () => {
    expect(monthStart("2026-03", "Europe/London").toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(monthStart("2026-04", "Europe/London").toISOString()).toBe("2026-03-31T23:00:00.000Z");
    expect(monthStart("2026-11", "Europe/London").toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(monthStart("2026-04", "America/New_York").toISOString()).toBe("2026-04-01T04:00:00.000Z");
    expect(monthStart("2026-12", "America/New_York").toISOString()).toBe("2026-12-01T05:00:00.000Z");
    expect(monthStart("2026-04", "Pacific/Auckland").toISOString()).toBe("2026-03-31T11:00:00.000Z");
    expect(monthStart("2026-05", "Pacific/Auckland").toISOString()).toBe("2026-04-30T12:00:00.000Z");
    // The instant itself is in that month there, and a millisecond before is the month before.
    for (const zone of ["Europe/London", "America/New_York", "Pacific/Auckland", "Asia/Kolkata", "UTC"]) {
      for (const month of ["2026-01", "2026-03", "2026-04", "2026-10", "2026-11"]) {
        const start = monthStart(month, zone);
        expect(monthIn(start, zone), `${month} in ${zone}`).toBe(month);
        expect(monthIn(new Date(start.getTime() - 1), zone), `before ${month} in ${zone}`).toBe(addMonths(month, -1));
      }
    }
  });

  it("covers whole months: from the start of the first to the start of the month after the last", () => {
    expect(rangeInstants({ from: "2026-03", to: "2026-04" }, "Europe/London")).toEqual({
      start: new Date("2026-03-01T00:00:00Z"),
      end: new Date("2026-04-30T23:00:00Z"),
    });
  });
});
