import { z } from "zod";
import { ParseSettingsOverridesSchema } from "./parse-values";
import { IMPORT_KINDS } from "./columns";

export const ImportKindSchema = z.enum(IMPORT_KINDS);

export const ImportOptionsSchema = z.object({
  kind: ImportKindSchema,
  fileName: z.string().min(1).max(255),
  settings: ParseSettingsOverridesSchema.default({}),
  /** Header → field chosen by the owner ("" ignores the column). */
  mapping: z.record(z.string(), z.string()).default({}),
});
export type ImportOptions = z.input<typeof ImportOptionsSchema>;

export interface RowError {
  row: number;
  column: string;
  message: string;
}

export interface ImportResult {
  importId: string;
  kind: z.infer<typeof ImportKindSchema>;
  fileSha256: string;
  total: number;
  imported: number;
  /** Rows that matched something already stored; `unchanged` of them changed nothing. */
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  ignoredColumns: { column: string; reason: "unknown" | "sensitive" | "duplicate" }[];
  notes: string[];
}

/** Per-row outcome a kind's writer reports back for the counts. */
export type RowOutcome = "imported" | "updated" | "unchanged" | { error: string; column: string };
