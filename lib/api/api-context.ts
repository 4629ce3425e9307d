// The API writes through the same writers as CSV imports, so an order or a customer is stored
// the same way whichever door it came in by. Field names stand where column names would.
import type { z } from "zod";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import type { ImportContext } from "../ingest/kind-writer";
import type { RowOutcome } from "../ingest/schemas";
import { getShop } from "../shops/get-shop";

export async function apiContext(tx: ShopTx, now = new Date()): Promise<ImportContext> {
  const shop = await getShop(tx);
  return {
    shopId: await currentShopId(tx),
    importId: null,
    fileSha256: "0".repeat(64),
    fileName: "api",
    settings: { numberFormat: "1,234.56", dateOrder: "day-first", timeZone: shop.timeZone, currency: shop.currency },
    now,
    columnOf: (field) => field,
    memo: new Map(),
    memoLimit: 100_000,
  };
}

export type Outcome = "created" | "updated" | "unchanged";

/** A writer's outcome as the API says it; a rejection becomes a 400 naming the field. */
export function apiOutcome(outcome: RowOutcome | undefined): Outcome {
  if (outcome === undefined) throw new Error("writer gave no outcome");
  if (typeof outcome === "object") throw new AppError("invalid_input", outcome.error, { fields: [{ field: outcome.column, message: outcome.error }] });
  return outcome === "imported" ? "created" : outcome;
}

/** Parses a request body, answering a 400 that names every field to fix. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    // An unknown key is named by its own path, so a caller sees which field to remove.
    const fields = parsed.error.issues.flatMap((i) =>
      i.code === "unrecognized_keys"
        ? i.keys.map((key) => ({ field: [...i.path, key].join("."), message: "unknown field; remove it" }))
        : [{ field: i.path.join(".") || "(body)", message: i.message }],
    );
    throw new AppError("invalid_input", `The request body is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join("; ")}`, { fields });
  }
  return parsed.data;
}
