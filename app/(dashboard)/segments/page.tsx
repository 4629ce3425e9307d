import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { NotYet } from "@/components/shell/not-yet";

export const metadata: Metadata = { title: "Segments" };

export default async function Page() {
  await requireShop();
  return <NotYet title="Segments">Named groups such as champions, at risk and lapsed, each member with a sentence saying why, plus your own rule-based segments.</NotYet>;
}
