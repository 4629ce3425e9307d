import type { Metadata } from "next";
import { requireShop } from "@/app/_server/require-shop";
import { NotYet } from "@/components/shell/not-yet";

export const metadata: Metadata = { title: "Campaigns" };

export default async function Page() {
  await requireShop();
  return <NotYet title="Campaigns">Messages to a segment, sent only to customers with a current consent for the channel and purpose, with a holdout to measure what they earned.</NotYet>;
}
