import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isAppError, type AppError } from "../errors";
import { CDNOW_DIR } from "./fixtures/cdnow";
import { readSummaryCsv } from "./summary-csv";

function rejection(text: string): AppError {
  try {
    readSummaryCsv(text);
  } catch (e) {
    if (isAppError(e, "invalid_input")) return e;
    throw e;
  }
  throw new Error("The summary was accepted.");
}

const GOOD = "id,frequency,recency,T\n";

describe("readSummaryCsv", () => {
  it("reads CDNOW's summary files, with Fader & Hardie's column names too", () => {
    const plain = readSummaryCsv(fs.readFileSync(path.join(CDNOW_DIR, "cdnow_customers_summary.csv"), "utf8")).rows;
    expect(plain).toHaveLength(2357);
    expect(plain[0]).toEqual({ id: "1", frequency: 2, recency: 30.43, T: 38.86 });
    expect(plain.reduce((s, r) => s + r.frequency, 0)).toBe(2457);

    const withSpend = readSummaryCsv(fs.readFileSync(path.join(CDNOW_DIR, "cdnow_customers_summary_with_transactions.csv"), "utf8")).rows;
    expect(withSpend).toHaveLength(2357);
    expect(withSpend[0]).toEqual({ id: "1", frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 });
    expect(withSpend.map(({ monetaryValue: _, ...rest }) => rest)).toEqual(plain);
  });

  it("reads any column order, spaces, CRLF, a byte-order mark, quoted ids and blank lines", () => {
    const text = "\uFEFFT, Frequency ,recency,ID,monetary_value\r\n38.86,2,30.43,\"a,1\",22.35\r\n\r\n30,0,0,b,\r\n";
    expect(readSummaryCsv(text).rows).toEqual([
      { id: "a,1", frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 },
      { id: "b", frequency: 0, recency: 0, T: 30, monetaryValue: 0 },
    ]);
  });

  it.each([
    ["non-numeric", `${GOOD}1,two,3,10\n`, "row 2", 'frequency "two" is not a number'],
    ["empty", `${GOOD}1,2,,10\n`, "row 2", "recency is empty"],
    ["negative", `${GOOD}1,0,0,-4\n`, "row 2", "T -4 is negative"],
    ["non-integer frequency", `${GOOD}1,1.5,3,10\n`, "row 2", "frequency 1.5 is not a whole number"],
    ["frequency > 0 with recency 0", `${GOOD}1,2,0,10\n`, "row 2", "frequency is 2 but recency is 0"],
    ["recency > T", `${GOOD}1,2,12,10\n`, "row 2", "recency 12 is greater than T 10"],
    ["frequency 0 with recency > 0", `${GOOD}1,0,3,10\n`, "row 2", "frequency is 0 but recency is 3"],
    ["a missing value", `${GOOD}1,2,3\n`, "row 2", "has 3 values, the header has 4"],
    ["a repeated id", `${GOOD}7,1,3,10\n7,0,0,10\n`, "row 3", 'id "7" is already on row 2'],
    ["bad spend", "id,frequency,recency,T,monetary_value\n1,1,3,10,ten\n", "row 2", 'monetary_value "ten" is not a number'],
  ])("rejects %s with its row number", (_case, text, field, message) => {
    const error = rejection(text);
    expect(error.message).toBe("The summary has 1 invalid row; nothing was fitted.");
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0]!.field).toBe(field);
    expect(error.fields[0]!.message).toContain(message);
  });

  it("lists every bad row by its spreadsheet row number, good rows between them", () => {
    const error = rejection(`${GOOD}a,1,3,10\nb,x,3,10\nc,0,0,10\n\nd,0,2,10\ne,2,0,10\n`);
    expect(error.message).toBe("The summary has 3 invalid rows; nothing was fitted.");
    expect(error.fields.map((f) => f.field)).toEqual(["row 3", "row 6", "row 7"]);
  });

  it("names every problem of a row", () => {
    const error = rejection(`${GOOD}a,-1.5,40,30\n`);
    expect(error.fields[0]!.message).toBe("frequency -1.5 is negative; recency 40 is greater than T 30");
  });

  it("lists the first 50 of many bad rows and says how many there are", () => {
    const error = rejection(GOOD + Array.from({ length: 120 }, (_, i) => `${i},x,0,1`).join("\n"));
    expect(error.message).toBe("The summary has 120 invalid rows; nothing was fitted. The first 50 are listed.");
    expect(error.fields).toHaveLength(50);
  });

  it.each([
    ["id,freq,recency,T\n1,0,0,1\n", 'The summary\'s header must be id,frequency,recency,T[,monetary_value] (found "id,freq,recency,T"): missing frequency; unknown column "freq".'],
    ["id,frequency,recency\n1,0,0\n", 'The summary\'s header must be id,frequency,recency,T[,monetary_value] (found "id,frequency,recency"): missing T.'],
    ["id,frequency,x,recency,T\n", 'The summary\'s header must be id,frequency,recency,T[,monetary_value] (found "id,frequency,x,recency,T"): frequency given twice.'],
  ])("names what is wrong with the header %#", (text, message) => {
    expect(rejection(text).message).toBe(message);
  });

  it("refuses an empty file and a file with no customers", () => {
    expect(rejection("\n \n").message).toMatch(/^The summary file is empty/);
    expect(rejection(GOOD).message).toBe("The summary has a header but no customers.");
  });
});
