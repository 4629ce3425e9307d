// The first rows of a file with the mapping an import would use, for the owner to check before
// anything is written.
import { FIELDS, fieldLabel, proposeMapping, type ImportKind, type ProposedMapping } from "./columns";
import { detectDateOrder } from "./detect-date-order";
import type { ParseSettings } from "./parse-values";
import { inspectFile, readCsvRecords, type TextEncoding } from "./read-csv";

export interface FilePreview {
  header: string[];
  rows: string[][];
  mapping: ProposedMapping;
  encoding: TextEncoding;
  /** Field → label choices for the mapping selects. */
  choices: { field: string; label: string }[];
  /** How the file writes dates like 05/04/2026, from its own dates (else the shop's country). */
  dateOrder: ParseSettings["dateOrder"];
  /** Customers only: which columns will create consent, as owner-readable sentences. */
  consentEvidence: string[];
}

export async function previewFile(
  path: string,
  kind: ImportKind,
  overrides: Record<string, string> = {},
  rowCount = 5,
  country: string | null = null,
): Promise<FilePreview> {
  const facts = await inspectFile(path);
  let header: string[] = [];
  const rows: string[][] = [];
  for await (const record of readCsvRecords(path, facts.encoding)) {
    if ("header" in record) header = record.header;
    else rows.push(record.values);
    if (rows.length >= rowCount) break;
  }
  const mapping = proposeMapping(kind, header, overrides);
  const consentEvidence = header.flatMap((h, i) => {
    const f = mapping.fields[i];
    if (f === "acceptsEmailMarketing") return [`"${h}" = yes grants email marketing consent (recorded as imported evidence with this file's fingerprint and the row).`];
    if (f === "acceptsSmsMarketing") return [`"${h}" = yes grants SMS marketing consent (recorded as imported evidence with this file's fingerprint and the row).`];
    return [];
  });
  return {
    header, rows, mapping, encoding: facts.encoding, consentEvidence,
    dateOrder: await detectDateOrder(path, facts.encoding, mapping, country),
    choices: Object.keys(FIELDS[kind]).map((field) => ({ field, label: fieldLabel(kind, field) })),
  };
}
