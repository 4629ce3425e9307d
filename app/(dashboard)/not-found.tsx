import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <EmptyState
      title="Not found"
      action={
        <Link href="/" className={buttonClass("secondary")}>
          Back to the overview
        </Link>
      }
    >
      There is nothing here, or it belongs to another shop.
    </EmptyState>
  );
}
