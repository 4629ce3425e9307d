import { describe, expect, it } from "vitest";
import { countryDateOrder, dateOrderOf } from "./detect-date-order";
import { parseAmount, parseDate, parseMonth, parsePhone, parseUnitPrice, parseYesNo, plainText } from "./parse-values";

const en = { numberFormat: "1,234.56" as const };
const de = { numberFormat: "1.234,56" as const };

describe("amounts", () => {
  it.each([
    ["1,234.50", en, 123450],
    ["1234.5", en, 123450],
    ["€ 12.00", en, 1200],
    ["EUR 7", en, 700],
    ["(5.00)", en, -500],
    ["-0.99", en, -99],
    ["1.234,50", de, 123450],
    ["12,5", de, 1250],
    ["1 234,50", de, 123450],
    ["", en, null],
  ])("reads %j", (text, settings, expected) => {
    expect(parseAmount(text, settings)).toBe(expected);
  });

  it.each([
    ["12.3.4", en, /not an amount written like 1,234.50/],
    ["abc", en, /not an amount/],
    ["1,234.50", de, /not an amount written like 1.234,50/],
    ["1.999", en, /more than two decimals/],
  ])("refuses %j", (text, settings, message) => {
    expect(() => parseAmount(text, settings)).toThrow(message);
  });
});

describe("dates", () => {
  const london = { dateOrder: "day-first" as const, timeZone: "Europe/London" };
  it.each([
    ["2026-03-05", london, "2026-03-05T00:00:00.000Z"],
    ["2026-07-05 14:22", london, "2026-07-05T13:22:00.000Z"], // summer time
    ["2026-03-05 14:22:01 +0100", london, "2026-03-05T13:22:01.000Z"], // Shopify
    ["2026-03-05T14:22:01Z", london, "2026-03-05T14:22:01.000Z"],
    ["05/04/2026", london, "2026-04-04T23:00:00.000Z"],
    ["05/04/2026", { dateOrder: "month-first" as const, timeZone: "America/New_York" }, "2026-05-04T04:00:00.000Z"],
    ["5/4/2026 2:05 pm", { dateOrder: "month-first" as const, timeZone: "UTC" }, "2026-05-04T14:05:00.000Z"],
    ["12/1/10 8:26", { dateOrder: "month-first" as const, timeZone: "UTC" }, "2010-12-01T08:26:00.000Z"], // UCI Online Retail
    ["31/12/99", london, "1999-12-31T00:00:00.000Z"], // a two-digit year in the future is last century's
    ["2026-03-29 01:30", london, "2026-03-29T01:30:00.000Z"], // the hour that does not exist is moved on, not lost
  ])("reads %j", (text, settings, iso) => {
    expect(parseDate(text, settings)?.toISOString()).toBe(iso);
  });

  it.each([["2026-02-30"], ["31/13/2026"], ["yesterday"], ["2026-03-05 25:00"]])("refuses %j", (text) => {
    expect(() => parseDate(text, london)).toThrow(/not a (real )?date/);
  });
});

describe("yes and no", () => {
  it.each([["yes", true], ["TRUE", true], ["1", true], ["subscribed", true], ["no", false], ["unsubscribed", false], ["", null]])("reads %j", (t, v) => {
    expect(parseYesNo(t)).toBe(v);
  });
  it("never turns an unclear value into a yes", () => {
    expect(() => parseYesNo("maybe")).toThrow('"maybe" is neither yes nor no.');
  });
});

describe("months", () => {
  it.each([["2026-03", "2026-03-01"], ["2026-3-15", "2026-03-01"], ["03/2026", "2026-03-01"], ["March 2026", "2026-03-01"]])("reads %j", (t, v) => {
    expect(parseMonth(t)).toBe(v);
  });
  it("refuses a month 13", () => expect(() => parseMonth("2026-13")).toThrow(/not a real month/));
});

describe("unit prices", () => {
  it.each([
    ["0.085", 8.5],
    ["2.55", 255],
    ["1,234.5678", 123456.78],
    ["", null],
  ])("reads %j to the fraction of a cent", (text, minor) => {
    expect(parseUnitPrice(text, en)).toBe(minor);
  });
  it("still refuses more than four decimals, and amounts keep two", () => {
    expect(() => parseUnitPrice("0.00001", en)).toThrow('"0.00001" has more than 4 decimals.');
    expect(() => parseAmount("0.085", en)).toThrow("more than two decimals");
  });
});

describe("identifying cells", () => {
  it.each([
    ["'7101000000001", "7101000000001"],
    ["  'LUBE-1 ", "LUBE-1"],
    ["(blank)", null],
    ["N/A", null],
    ["#N/A", null],
    ["-", null],
    ["", null],
    ["O'Brien-1", "O'Brien-1"],
  ])("reads %j as %j", (text, value) => {
    expect(plainText(text)).toBe(value);
  });
});

describe("phones", () => {
  it.each([
    ["'+16135550123", {}, "+16135550123"],
    ["(613) 555-0199", { country: "CA" }, "+16135550199"],
    ["07700 900123", { country: "GB" }, "+447700900123"],
    ["+44 7700 900123", {}, "+447700900123"],
    ["0049 30 901820", { country: "GB" }, "+4930901820"],
    ["", {}, null],
  ])("reads %j as E.164", (text, settings, phone) => {
    expect(parsePhone(text, settings)).toBe(phone);
  });
  it("says what to do with a number it cannot place", () => {
    expect(() => parsePhone("07700 900123", {})).toThrow("has no country code: write it as +44 20 7946 0958, or set the shop's country in Settings");
    expect(() => parsePhone("12", { country: "GB" })).toThrow('"12" is not a phone number in GB or with a country code.');
  });
});

describe("date order of a file", () => {
  it.each([
    ["12/13/10 10:00", "month-first"],
    ["13/12/2010", "day-first"],
    ["12/1/10 8:26", null],
    ["2010-12-13", null],
  ])("%j tells %j", (text, order) => {
    expect(dateOrderOf(text)).toBe(order);
  });
  it("falls back to the way the shop's country writes dates", () => {
    expect(countryDateOrder("US")).toBe("month-first");
    expect(countryDateOrder("GB")).toBe("day-first");
    expect(countryDateOrder(null)).toBe("day-first");
  });
});
