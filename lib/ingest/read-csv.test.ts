// A corpus of awkward files, made here byte by byte, read as an owner's spreadsheet would show them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inspectFile, readCsvRecords, type CsvRecord } from "./read-csv";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-csv-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SHA_OF_SMALL_FILE = "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470";
let n = 0;
function file(content: string | Buffer): string {
  const p = path.join(dir, `f${++n}.csv`);
  fs.writeFileSync(p, content);
  return p;
}

async function read(p: string) {
  const facts = await inspectFile(p);
  let header: string[] = [];
  const rows: CsvRecord[] = [];
  for await (const r of readCsvRecords(p, facts.encoding)) {
    if ("header" in r) header = r.header;
    else rows.push(r);
  }
  return { facts, header, rows };
}

describe("reading CSV files", () => {
  it("drops a UTF-8 byte-order mark and keeps accents", async () => {
    const { header, rows, facts } = await read(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("email,first_name\nzoë@example.com,Zoë\n")])));
    expect(header).toEqual(["email", "first_name"]);
    expect(rows).toEqual([{ row: 2, values: ["zoë@example.com", "Zoë"] }]);
    expect(facts.encoding).toBe("utf-8");
  });

  it("detects semicolons, tabs and pipes, even with commas inside quoted amounts", async () => {
    expect((await read(file('id;total\r\n1;"1.234,50"\r\n2;"12,00"\r\n'))).rows.map((r) => r.values)).toEqual([["1", "1.234,50"], ["2", "12,00"]]);
    expect((await read(file("id\ttotal\n1\t3,50\n"))).rows[0]?.values).toEqual(["1", "3,50"]);
    expect((await read(file("id|total\n1|3\n"))).rows[0]?.values).toEqual(["1", "3"]);
  });

  it("keeps quoted newlines and commas inside one cell, and numbers rows as a spreadsheet does", async () => {
    const { rows } = await read(file('id,note\r\n1,"line one\r\nline two, with comma"\r\n\r\n2,"say ""hi"""\r\n\r\n\r\n'));
    expect(rows).toEqual([
      { row: 2, values: ["1", "line one\r\nline two, with comma"] },
      { row: 4, values: ["2", 'say "hi"'] },
    ]);
  });

  it("reads a Windows-1252 file from an old spreadsheet program", async () => {
    const { rows, facts } = await read(file(Buffer.from([...Buffer.from("name,city\n"), 0x5a, 0x6f, 0xeb, 0x2c, 0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, 0x0a])));
    expect(facts.encoding).toBe("windows-1252");
    expect(rows[0]?.values).toEqual(["Zoë", "München"]);
  });

  it("hashes the exact bytes", async () => {
    const p = file("a,b\n1,2\n");
    // sha256 of the eight bytes "a,b\n1,2\n", as printed by `printf 'a,b\n1,2\n' | sha256sum`
    expect((await inspectFile(p)).sha256).toBe(SHA_OF_SMALL_FILE);
  });

  it.each([
    ["a 0-byte file", Buffer.alloc(0), "The file is empty (0 bytes)."],
    ["a binary file", Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]), "This is not a CSV text file"],
  ])("refuses %s as a whole", async (_name, content, message) => {
    await expect(read(file(content))).rejects.toThrow(message);
  });

  it("reads a header-only file as no rows, and a file of blank lines as having no header", async () => {
    expect((await read(file("email,first_name\r\n"))).rows).toEqual([]);
    await expect(read(file("\n\n  \n"))).rejects.toThrow("The file has no header row.");
  });
});
