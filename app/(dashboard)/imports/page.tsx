import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { NotYet } from "@/components/shell/not-yet";

export const metadata: Metadata = { title: "Imports" };

export default async function Page() {
  await requireShop();
  return <NotYet title="Imports">Customers, orders, consent evidence and marketing spend from CSV exports of your store platform, with a report of every row that could not be used.</NotYet>;
}
