import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** A page whose capability is still being built says so plainly, and what it will hold. */
export function NotYet({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title="Not available yet">{children}</EmptyState>
    </>
  );
}
