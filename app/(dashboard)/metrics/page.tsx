import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { NotYet } from "@/components/shell/not-yet";

export const metadata: Metadata = { title: "Metrics" };

export default async function Page() {
  await requireShop();
  return <NotYet title="Metrics">Customer value, acquisition cost, NPS, opt-out rate and campaign lift, each with its sample size and interval.</NotYet>;
}
