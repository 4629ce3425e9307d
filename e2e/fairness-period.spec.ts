// The fairness report opened from a campaign's page shows the months that campaign sent in, not
// the current month, where an older campaign sent nothing.
import { monthOf } from "../lib/metrics/fairness-query";
import { demo, expect, signIn, test } from "./fixtures";

const DAY = 86_400_000;

test("the fairness link on an older campaign opens on the month it was sent in", async ({ page }) => {
  // The demo's email campaign went out 21 days before the demo was generated (lib/demo/demo-campaigns.ts), in a shop in London.
  const sent = monthOf(new Date(new Date(demo.generation.generatedAt).getTime() - 21 * DAY), "Europe/London");
  const [y, m] = sent.split("-").map(Number) as [number, number];
  const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));

  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto("/campaigns");
  await page.getByRole("link", { name: "Spring service week" }).click();
  await expect(page.getByRole("heading", { name: /Spring service week/ })).toBeVisible();
  await page.getByRole("link", { name: "Fairness and contact burden" }).click();
  await expect(page.getByText(`Who “Spring service week” reached in ${monthName} (Europe/London)`)).toBeVisible();
  await expect(page.getByLabel("Month")).toHaveValue(sent);
  expect(Number((await page.getByTestId("fairness-total-messages").innerText()).replace(/,/g, ""))).toBeGreaterThan(0);
  await page.screenshot({ path: ".data/screens/fairness-from-campaign.png", fullPage: true });

  // A month chosen by hand still wins.
  const url = new URL(page.url());
  await page.goto(`/metrics/fairness?campaign=${url.searchParams.get("campaign")}&month=2020-01`);
  await expect(page.getByText("Who “Spring service week” reached in January 2020 (Europe/London)")).toBeVisible();
});
