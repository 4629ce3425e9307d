import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { NotYet } from "@/components/shell/not-yet";

export const metadata: Metadata = { title: "Consent log" };

export default async function Page() {
  await requireShop();
  return <NotYet title="Consent log">The append-only, hash-chained record of every consent given and withdrawn, with a check that proves nothing was changed.</NotYet>;
}
