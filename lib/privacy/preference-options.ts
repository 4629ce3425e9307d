// Which channel × purpose pairs the preference page offers a customer. A channel is offered when
// the shop holds a way to reach them on it (an email address, a phone number) or once a decision
// for it exists; purposes that would mean nothing on a channel are left out. Whatever is offered
// is off unless the customer's latest decision for it is a grant (DESIGN invariant 2).
import type { Channel, Purpose } from "../consent/schemas";

export const CHANNEL_WORDS: Record<Channel, string> = { email: "Email", sms: "Text messages (SMS)", push: "App notifications" };
export const PURPOSE_WORDS: Record<Purpose, { title: string; detail: string }> = {
  marketing: { title: "Offers and news", detail: "messages about products, offers and events" },
  personalization: { title: "Personalised for me", detail: "choosing what to send me from what I bought and looked at" },
  surveys: { title: "Surveys", detail: "now and then a short question about how we did" },
};

export interface ConsentChoice {
  channel: Channel;
  purpose: Purpose;
  granted: boolean;
  since: Date | null;
}

export function preferenceOptions(
  contact: { email: string | null; phone: string | null },
  state: { channel: Channel; purpose: Purpose; granted: boolean; updatedAt: Date }[],
): { channel: Channel; choices: ConsentChoice[] }[] {
  const known = new Set(state.map((s) => s.channel));
  const channels: Channel[] = [];
  if (contact.email || known.has("email")) channels.push("email");
  if (contact.phone || known.has("sms")) channels.push("sms");
  if (known.has("push")) channels.push("push");
  const purposes: Purpose[] = ["marketing", "personalization", "surveys"];
  return channels.map((channel) => ({
    channel,
    choices: purposes.map((purpose) => {
      const s = state.find((x) => x.channel === channel && x.purpose === purpose);
      return { channel, purpose, granted: s?.granted ?? false, since: s ? s.updatedAt : null };
    }),
  }));
}
