// Idempotency-Key on POSTs: the first request with a key runs and its answer is stored in the
// same transaction as its effect; a retry with the key gets the stored answer and no second
// effect. The same key with a different body is a conflict, not a silent replay.
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { idempotencyKeys } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { AppError } from "../errors";

export interface StoredAnswer {
  status: number;
  body: unknown;
  replayed: boolean;
}

export async function withIdempotency(
  tx: ShopTx,
  input: { shopId: string; scope: string; key: string | null; requestBody: string },
  run: () => Promise<{ status: number; body: unknown }>,
): Promise<StoredAnswer> {
  if (input.key === null) return { ...(await run()), replayed: false };
  if (!/^[\x21-\x7E]{1,200}$/.test(input.key)) {
    throw new AppError("invalid_input", "Idempotency-Key must be 1 to 200 visible ASCII characters without spaces, such as a UUID.", {
      fields: [{ field: "Idempotency-Key", message: "1 to 200 visible ASCII characters" }],
    });
  }
  const fingerprint = createHash("sha256").update(input.requestBody).digest("hex");
  const claimed = await tx
    .insert(idempotencyKeys)
    .values({ shopId: input.shopId, scope: input.scope, key: input.key, responseBody: { fingerprint } })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) {
    const [stored] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key)));
    const body = stored?.responseBody as { fingerprint?: string; answer?: unknown } | null;
    if (!stored || body?.fingerprint !== fingerprint) {
      throw new AppError("conflict", "This Idempotency-Key was already used with a different request body.");
    }
    return { status: stored.responseStatus ?? 200, body: body.answer, replayed: true };
  }
  const answer = await run();
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: answer.status, responseBody: { fingerprint, answer: answer.body } })
    .where(and(eq(idempotencyKeys.scope, input.scope), eq(idempotencyKeys.key, input.key)));
  return { ...answer, replayed: false };
}
