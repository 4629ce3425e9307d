"use client";
import { useTransition } from "react";
import { deleteSegmentAction } from "@/app/(dashboard)/segments/actions";
import { Button } from "@/components/ui/button";

export function DeleteSegmentButton({ id, name }: { id: string; name: string }) {
  const [pending, start] = useTransition();
  return (
    <Button
      variant="danger"
      disabled={pending}
      onClick={() => {
        if (window.confirm(`Delete the segment "${name}"? Its customers stay; only the segment goes.`)) start(() => deleteSegmentAction(id));
      }}
    >
      {pending ? "Deleting…" : "Delete"}
    </Button>
  );
}
