// The campaign page's Results section: reads the results against the holdout and the variants'
// opt-out rates (every month since the campaign was created, in the shop's time zone) and hands
// them to the component. Streams on its own, so the rest of the page does not wait for it.
import { CampaignResultsSection } from "@/components/campaigns/campaign-results";
import { withShop } from "@/lib/db/tenant";
import { getCampaignResults } from "@/lib/metrics/campaign-results";
import { monthOf } from "@/lib/metrics/fairness-query";
import { listOptOutRates } from "@/lib/metrics/opt-out-rates";

export async function CampaignResults({ shopId, campaign, timeZone, currency }: {
  shopId: string;
  campaign: { id: string; createdAt: Date; optOutThresholdBp: number; optOutMinCount: number };
  timeZone: string;
  currency: string;
}) {
  const now = new Date();
  const to = monthOf(now, timeZone);
  const created = monthOf(campaign.createdAt, timeZone);
  const { results, rates } = await withShop(shopId, async (tx) => ({
    results: await getCampaignResults(tx, campaign.id, { now }),
    rates: await listOptOutRates(tx, { from: created < to ? created : to, to }),
  }));
  const optOuts = rates.byVariant.filter((v) => v.campaignId === campaign.id);
  return (
    <CampaignResultsSection
      results={results}
      currency={currency}
      optOuts={optOuts}
      guardrail={{ rate: campaign.optOutThresholdBp / 10_000, minCount: campaign.optOutMinCount }}
    />
  );
}
