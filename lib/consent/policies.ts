// Policy versions: the privacy and marketing text a customer saw when they decided. A published
// version never changes (a trigger refuses UPDATE and DELETE, drizzle/0016); each carries the
// SHA-256 of its text, which every consent event that relied on it copies into its own hash.
import { createHash } from "node:crypto";
import { asc, desc, eq, gt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { policyVersions } from "../db/schema";
import { currentShopId, type ShopTx } from "../db/tenant";
import { AppError } from "../errors";
import { fieldErrors } from "../shops/schemas";

export interface Policy {
  id: string;
  version: string;
  text: string;
  sha256: string;
  effectiveAt: Date;
}

export type PolicySummary = Omit<Policy, "text"> & { createdAt: Date; length: number };

/** SHA-256 of the text exactly as stored (UTF-8, no normalisation beyond what publish did). */
export const policySha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export const PublishPolicySchema = z.object({
  version: z
    .string()
    .trim()
    .min(1, "Give the version a label, such as 2026-12 or v3.")
    .max(40, "Use at most 40 characters for the label.")
    .regex(/^[\p{L}\p{N} ._\-/]+$/u, "Use letters, digits, spaces, dots, dashes or slashes in the label."),
  // Line endings normalised so the same text pasted from Windows or a Mac hashes the same.
  text: z
    .string()
    .transform((t) => t.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().min(20, "Write the policy text (at least 20 characters).").max(50_000, "Keep the policy under 50,000 characters.")),
  effectiveAt: z.coerce.date("Give the date the version takes effect."),
});
export type PublishPolicyInput = z.input<typeof PublishPolicySchema>;

const columns = {
  id: policyVersions.id,
  version: policyVersions.version,
  text: policyVersions.text,
  sha256: policyVersions.sha256,
  effectiveAt: policyVersions.effectiveAt,
};

/** Publishes a new, immutable version. Its effective date may be in the past by at most a day. */
export async function publishPolicy(tx: ShopTx, input: PublishPolicyInput, options: { now?: Date } = {}): Promise<Policy> {
  const parsed = PublishPolicySchema.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_input", "The policy was not published.", { fields: fieldErrors(parsed.error) });
  const { version, text, effectiveAt } = parsed.data;
  const now = options.now ?? new Date();
  // Backdating would make past consent events point at a text nobody saw when they decided.
  if (effectiveAt.getTime() < now.getTime() - 86_400_000) {
    throw new AppError("invalid_input", "The policy was not published.", {
      fields: [{ field: "effectiveAt", message: "A new version cannot take effect in the past; choose today or a later date." }],
    });
  }
  const shopId = await currentShopId(tx);
  const [row] = await tx
    .insert(policyVersions)
    .values({ shopId, version, text, sha256: policySha256(text), effectiveAt })
    .onConflictDoNothing({ target: [policyVersions.shopId, policyVersions.version] })
    .returning(columns);
  if (!row) {
    throw new AppError("conflict", "The policy was not published.", {
      fields: [{ field: "version", message: `Version "${version}" is already published; versions never change, so give the new one another label.` }],
    });
  }
  return row;
}

/** Every version of the shop, newest effective date first. */
export async function listPolicies(tx: ShopTx): Promise<PolicySummary[]> {
  return tx
    .select({
      id: policyVersions.id,
      version: policyVersions.version,
      sha256: policyVersions.sha256,
      effectiveAt: policyVersions.effectiveAt,
      createdAt: policyVersions.createdAt,
      length: sql<number>`length(${policyVersions.text})::int`,
    })
    .from(policyVersions)
    .orderBy(desc(policyVersions.effectiveAt), desc(policyVersions.createdAt));
}

/** One version by id, or null (another shop's version is simply not there). */
export async function findPolicy(tx: ShopTx, id: string): Promise<Policy | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const [row] = await tx.select(columns).from(policyVersions).where(eq(policyVersions.id, id)).limit(1);
  return row ?? null;
}

/** The version in effect at a moment: the latest effective date not after it, or null before the first. */
export async function currentPolicy(tx: ShopTx, at: Date = new Date()): Promise<Policy | null> {
  const [row] = await tx
    .select(columns)
    .from(policyVersions)
    .where(lte(policyVersions.effectiveAt, at))
    .orderBy(desc(policyVersions.effectiveAt), desc(policyVersions.createdAt))
    .limit(1);
  return row ?? null;
}

/** The version that takes effect next after a moment, if one is scheduled. */
export async function nextPolicy(tx: ShopTx, at: Date = new Date()): Promise<Policy | null> {
  const [row] = await tx
    .select(columns)
    .from(policyVersions)
    .where(gt(policyVersions.effectiveAt, at))
    .orderBy(asc(policyVersions.effectiveAt))
    .limit(1);
  return row ?? null;
}
