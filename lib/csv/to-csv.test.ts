import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCustomer, makeShop } from "../../test/factories";
import { engines } from "../../test/databases";
import type { Database } from "../db/client";
import { segmentMembers, segments } from "../db/schema";
import { withShop } from "../db/tenant";
import { getRejectedRowsCsv } from "../ingest/list-imports";
import { runImport } from "../ingest/run-import";
import { segmentMembersCsv } from "../segments/read-segments";
import { escapeFormula, toCsv } from "./to-csv";

const parse = (csv: string) => Papa.parse<string[]>(csv.trim()).data;

describe("CSV downloads", () => {
  it("makes every cell that a spreadsheet would run as a formula read as text", () => {
    for (const cell of ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1+1"]) {
      expect(escapeFormula(cell)).toBe(`'${cell}`);
    }
  });

  it("leaves ordinary text, amounts and phone numbers as they are, so a re-import reads the same values", () => {
    for (const cell of ["Ann", "ann@example.com", "", "12.50", "-12.50", "+44 20 7946 0958", "a=b", "O'Brien", "(030) 1234-56"]) {
      expect(escapeFormula(cell)).toBe(cell);
    }
  });

  it("quotes cells with commas, quotes and line breaks and escapes the header too", () => {
    const csv = toCsv(["name", "=note"], [["Lee, Ann", 'say "hi"\nthere'], [null, 3]]);
    expect(parse(csv)).toEqual([["name", "'=note"], ["Lee, Ann", 'say "hi"\nthere'], ["", "3"]]);
  });
});

describe.each(engines())("CSV downloads on $name", (engine) => {
  let database: Database;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-csv-"));
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  it("escapes formulas in the rejected rows of an import", async () => {
    const { shopId } = await makeShop(database);
    const file = path.join(dir, "customers.csv");
    fs.writeFileSync(file, ["external_id,first_name,email,phone", 'C1,"=HYPERLINK(""http://evil.example"",""open"")",not-an-email,+44 20 7946 0958', "C2,@SUM(A1),also-bad,-1"].join("\n"));
    const result = await runImport({ shopId, database }, file, { kind: "customers", fileName: "customers.csv" });
    expect(result.rejected).toBe(2);
    const { csv } = await withShop(shopId, (tx) => getRejectedRowsCsv(tx, result.importId), database);
    expect(parse(csv).slice(1).map((r) => r.slice(0, 4))).toEqual([
      ["C1", "'=HYPERLINK(\"http://evil.example\",\"open\")", "not-an-email", "+44 20 7946 0958"],
      ["C2", "'@SUM(A1)", "also-bad", "-1"],
    ]);
  });

  it("escapes formulas in a segment's member list", async () => {
    const { shopId } = await makeShop(database);
    const customer = await addCustomer(database, shopId, { firstName: "=cmd|' /C calc'!A0", lastName: "+Lee", email: "lee@example.com" });
    await withShop(
      shopId,
      async (tx) => {
        const [segment] = await tx.insert(segments).values({ shopId, key: "custom_x", name: "X", kind: "custom" }).returning();
        await tx.insert(segmentMembers).values({ shopId, segmentId: segment!.id, customerId: customer.id, reasonParams: { sentence: "-because" } });
        const rows = parse(await segmentMembersCsv(tx, segment!.id));
        expect(rows[1]?.slice(1, 5)).toEqual(["lee@example.com", "'=cmd|' /C calc'!A0", "'+Lee", "'-because"]);
      },
      database,
    );
  });
});
