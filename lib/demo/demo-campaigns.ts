// The demo shop's past messages: two campaigns already sent, each to the customers whose grant for
// exactly its channel × purpose was in force at the moment of sending (DESIGN invariant 1). Each
// send names the ledger event it relied on (by its index in the demo's consent events; the writer
// turns that into the stored event's id and hash) and says in a sentence why it was sent.
import type { DemoShop } from "./generate-demo-data";

const DAY = 86_400_000;

export interface DemoCampaign {
  name: string;
  channel: "email" | "sms";
  purpose: "marketing";
  subject: string | null;
  body: string;
  sentAt: Date;
  sends: { customerExternalId: string; grantIndex: number; why: string }[];
}

const HOW: Record<string, string> = { checkout: "at checkout", preference_page: "on your preference page" };

export function demoCampaigns(demo: DemoShop): DemoCampaign[] {
  const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: demo.shop.timeZone });
  const plan = [
    { name: "Spring service week", channel: "email" as const, subject: "A spring service, 20 % off this week", body: "Book a full service this week and get 20 % off.", daysAgo: 21, max: 120 },
    { name: "Saturday group ride", channel: "sms" as const, subject: null, body: "Group ride Saturday 9:00 from the shop, coffee after. Reply STOP or use the link to opt out.", daysAgo: 7, max: 60 },
  ];
  return plan.map((p) => {
    const sentAt = new Date(demo.generatedAt.getTime() - p.daysAgo * DAY);
    // The latest decision per customer for this channel's marketing, as of the send.
    const latest = new Map<string, number>();
    demo.consentEvents.forEach((e, i) => {
      if (e.channel !== p.channel || e.purpose !== "marketing" || e.occurredAt > sentAt) return;
      const prev = latest.get(e.customerExternalId);
      if (prev === undefined || demo.consentEvents[prev]!.occurredAt <= e.occurredAt) latest.set(e.customerExternalId, i);
    });
    const reachable = new Set(demo.customers.filter((c) => (p.channel === "email" ? c.email : c.phone)).map((c) => c.externalId));
    const words = p.channel === "email" ? "offers and news by email" : "offers and news by text message";
    const sends = [...latest.entries()]
      .filter(([id, i]) => demo.consentEvents[i]!.action === "grant" && reachable.has(id))
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, p.max)
      .map(([customerExternalId, grantIndex]) => {
        const grant = demo.consentEvents[grantIndex]!;
        return {
          customerExternalId,
          grantIndex,
          why: `Sent to everyone who said yes to ${words}. You said yes ${HOW[grant.method] ?? ""} on ${day.format(grant.occurredAt)}, under policy ${grant.policyVersion}.`,
        };
      });
    return { name: p.name, channel: p.channel, purpose: "marketing" as const, subject: p.subject, body: p.body, sentAt, sends };
  });
}
