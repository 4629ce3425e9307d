import { eq } from "drizzle-orm";
import type { z } from "zod";
import { customers } from "../db/schema";
import type { ShopTx } from "../db/tenant";
import { customersWriter } from "../ingest/write-customers";
import { apiContext, apiOutcome, type Outcome } from "./api-context";
import type { CustomerInputSchema } from "./schemas";

/** Creates or updates a customer by the platform's id, else by email. */
export async function upsertCustomer(tx: ShopTx, input: z.output<typeof CustomerInputSchema>): Promise<{ id: string; outcome: Outcome }> {
  const ctx = await apiContext(tx);
  const value = {
    externalId: input.externalId ?? null, email: input.email ?? null, phone: input.phone ?? null, firstName: input.firstName ?? null,
    lastName: input.lastName ?? null, timeZone: input.timeZone ?? null, locale: input.locale ?? null, acceptsEmail: null, acceptsSms: null,
  };
  const cells = { timeZone: value.timeZone ?? undefined, locale: value.locale ?? undefined, email: value.email ?? undefined, externalId: value.externalId ?? undefined };
  customersWriter.parse(cells, ctx); // the same checks as an import row (time zone, locale)
  const outcomes = await customersWriter.write(tx, [{ row: 1, value }], ctx);
  const outcome = apiOutcome(outcomes.get(1));
  const [row] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(value.externalId ? eq(customers.externalId, value.externalId) : eq(customers.email, value.email!));
  return { id: row!.id, outcome };
}
