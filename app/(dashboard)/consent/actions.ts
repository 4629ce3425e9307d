"use server";
import { requireShop } from "@/app/_server/require-shop";
import type { VerifyState } from "@/components/consent/verify-panel";
import { checkLedger } from "@/lib/consent/ledger-checks";
import { parseCheckpoint } from "@/lib/consent/verify-ledger";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";

/** Owners and viewers alike may check the ledger: it changes nothing but the record of the check. */
export async function verifyLedgerAction(_prev: VerifyState, form: FormData): Promise<VerifyState> {
  const ctx = await requireShop();
  const raw = form.get("checkpoint");
  try {
    const checkpoint = typeof raw === "string" && raw.trim() !== "" ? parseCheckpoint(raw) : null;
    const result = await withShop(ctx.shopId, (tx) => checkLedger(tx, { checkpoint, source: "page" }));
    return { result, checkedAt: new Date().toISOString() };
  } catch (e) {
    if (isAppError(e, "invalid_input")) return { error: e.message, fields: Object.fromEntries(e.fields.map((f) => [f.field, f.message])) };
    throw e;
  }
}
