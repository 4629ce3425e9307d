"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import type { SettingsState } from "./actions";
import { rotateWebhookSecretAction, setAutomationAction } from "./webhook-actions";

export function RotateWebhookSecretForm({ canEdit }: { canEdit: boolean }) {
  const [state, action, pending] = useActionState<SettingsState>(rotateWebhookSecretAction, {});
  return (
    <form action={action} className="space-y-3" aria-label="Rotate the webhook secret">
      {state.error && <FormMessage>{state.error}</FormMessage>}
      {state.notice && <FormMessage tone="success">{state.notice}</FormMessage>}
      {state.secret && (
        <p className="break-all rounded-lg border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm" aria-label="New webhook secret">
          {state.secret}
        </p>
      )}
      <Button type="submit" variant="secondary" disabled={!canEdit || pending}>
        {pending ? "Rotating…" : "Rotate secret"}
      </Button>
    </form>
  );
}

export function AutomationSwitch({ automation, canEdit }: { automation: { key: string; name: string; on: boolean }; canEdit: boolean }) {
  const [state, action, pending] = useActionState<SettingsState, FormData>(setAutomationAction, {});
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="key" value={automation.key} />
      <input type="hidden" name="on" value={automation.on ? "off" : "on"} />
      <Button type="submit" variant={automation.on ? "secondary" : "primary"} className="py-1" disabled={!canEdit || pending}
        aria-label={`${automation.on ? "Switch off" : "Switch on"} ${automation.name}`}>
        {automation.on ? "Switch off" : "Switch on"}
      </Button>
      {state.error && <span className="text-sm text-red-700" role="alert">{state.error}</span>}
    </form>
  );
}
