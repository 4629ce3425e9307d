import { describe, expect, it } from "vitest";
import { demoCampaigns } from "./demo-campaigns";
import { generateDemoData } from "./generate-demo-data";

const now = new Date("2026-11-24T15:30:00Z");
const demo = generateDemoData({ seed: "regulars-demo", now });

describe("the demo shop's past messages", () => {
  const campaigns = demoCampaigns(demo);

  it("go only to customers whose grant for exactly that channel and purpose was in force when sent", () => {
    expect(campaigns.map((c) => c.channel)).toEqual(["email", "sms"]);
    for (const c of campaigns) {
      expect(c.sends.length).toBeGreaterThan(5);
      for (const s of c.sends) {
        const grant = demo.consentEvents[s.grantIndex]!;
        expect(grant).toMatchObject({ customerExternalId: s.customerExternalId, channel: c.channel, purpose: "marketing", action: "grant" });
        expect(grant.occurredAt.getTime()).toBeLessThanOrEqual(c.sentAt.getTime());
        const laterDecision = demo.consentEvents.find(
          (e) => e.customerExternalId === s.customerExternalId && e.channel === c.channel && e.purpose === "marketing" && e.occurredAt > grant.occurredAt && e.occurredAt <= c.sentAt,
        );
        expect(laterDecision).toBeUndefined();
        expect(s.why).toMatch(/^Sent to everyone who said yes to offers and news by (email|text message)\. You said yes .+ on .+, under policy v[12]\.$/);
      }
    }
  });

  it("send text messages only to customers with a phone number", () => {
    const phones = new Map(demo.customers.map((c) => [c.externalId, c.phone]));
    for (const s of campaigns[1]!.sends) expect(phones.get(s.customerExternalId)).toBeTruthy();
  });
});
