"use client";
// Approve, pause, resume and finish, for owners (the page shows them to owners only; the server refuses viewers too).
import { useActionState } from "react";
import { campaignAction, type CampaignActionState } from "@/app/(dashboard)/campaigns/actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";

export function CampaignButtons({ campaignId, status, hasQueued }: { campaignId: string; status: string; hasQueued: boolean }) {
  const [state, formAction, pending] = useActionState<CampaignActionState, FormData>(campaignAction.bind(null, campaignId), null);
  return (
    <div className="space-y-2">
      <form action={formAction} className="flex flex-wrap gap-2">
        {status === "draft" && <Button type="submit" name="do" value="approve" disabled={pending}>Approve and send</Button>}
        {(status === "approved" || status === "sending") && <Button type="submit" name="do" value="pause" variant="secondary" disabled={pending}>Pause</Button>}
        {status === "paused" && <Button type="submit" name="do" value="resume" disabled={pending}>Resume</Button>}
        {(status === "sending" || status === "paused") && !hasQueued && <Button type="submit" name="do" value="done" variant="secondary" disabled={pending}>Mark done</Button>}
      </form>
      {state && "error" in state && <FormMessage>{state.error}</FormMessage>}
      {state && "ok" in state && <FormMessage tone="success">{state.ok}</FormMessage>}
    </div>
  );
}
