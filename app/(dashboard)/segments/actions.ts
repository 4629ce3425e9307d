"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireShop } from "@/app/_server/require-shop";
import { withShop } from "@/lib/db/tenant";
import { isAppError, type FieldError } from "@/lib/errors";
import { deleteCustomSegment, saveCustomSegment } from "@/lib/segments/custom-segments";

export type SaveSegmentState = { error: string; fields: FieldError[] } | { id: string };

/** Saves a custom segment (new when id is null); answers the errors naming each rule, or the saved id. */
export async function saveSegmentAction(id: string | null, input: unknown): Promise<SaveSegmentState> {
  try {
    const ctx = await requireShop({ role: "owner" });
    const saved = await withShop(ctx.shopId, (tx) => saveCustomSegment(tx, input, { id: id ?? undefined }));
    revalidatePath("/segments");
    return { id: saved.id };
  } catch (e) {
    if (isAppError(e)) return { error: e.message, fields: e.fields };
    throw e;
  }
}

export async function deleteSegmentAction(id: string): Promise<void> {
  const ctx = await requireShop({ role: "owner" });
  await withShop(ctx.shopId, (tx) => deleteCustomSegment(tx, id));
  revalidatePath("/segments");
  redirect("/segments");
}
