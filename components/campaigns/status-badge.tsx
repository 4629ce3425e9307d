import { Badge } from "@/components/ui/badge";

const TONES = { draft: "neutral", approved: "blue", sending: "green", paused: "amber", done: "neutral" } as const;
const WORDS = { draft: "Draft", approved: "Approved", sending: "Sending", paused: "Paused", done: "Done" } as const;

export const CHANNEL_LABELS = { email: "Email", sms: "Text message", push: "Push" } as const;
export const PURPOSE_LABELS = { marketing: "offers and news", personalization: "recommendations", surveys: "surveys" } as const;

export function StatusBadge({ status }: { status: keyof typeof TONES }) {
  return <Badge tone={TONES[status]}>{WORDS[status]}</Badge>;
}
