// The Overview: its key figures with their n and interval, the date range and channel in the URL,
// the consent log beside them, a new shop's empty cards; and the revenue chart's partial month.
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { count, demo, expect, signIn, signUp, test } from "./fixtures";

/** Today's month (long name and year) and day, and the month's length, in a time zone. */
function today(timeZone: string) {
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-GB", { timeZone, ...options }).format(new Date());
  const [year, month, day] = [part({ year: "numeric" }), part({ month: "numeric" }), part({ day: "numeric" })].map(Number) as [number, number, number];
  return { month: part({ month: "long", year: "numeric" }), day, daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

test("the revenue chart marks the current month as partial, with its days so far", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  // The card names its months and the shop's time zone: "n = 10,490 orders over 25 months, Europe/London; …".
  const [, months, zone] = /orders over (\d+) months, ([^\s;,]+)/.exec((await page.getByText(/orders over \d+ months, /).textContent())!)! as unknown as [string, string, string];
  const now = today(zone);
  const note = `so far: ${now.day} of ${now.daysInMonth} days`;

  await expect(page.getByRole("img", { name: `Revenue per month over the last ${months} months; ${now.month} ${note}` })).toBeVisible();
  await expect(page.getByText(`${now.month} is the current month, ${note}`)).toBeVisible();
  // The Overview has other charts; everything below is about this one.
  const chart = page.locator("figure").filter({ has: page.getByRole("img", { name: /^Revenue per month/ }) });
  // The axis labels only the current month "so far".
  const lastTick = chart.locator(".recharts-cartesian-axis-tick-value", { hasText: "so far" });
  await expect(lastTick).toHaveCount(1);
  // Its column is shaded, so the month reads as partial even before its first sale.
  await expect(chart.locator(".recharts-reference-area")).toHaveCount(1);

  // The tooltip of the last month says it is partial (the chart is below the key figures: scroll to it first).
  await chart.scrollIntoViewIfNeeded();
  const tick = (await lastTick.boundingBox())!;
  const plot = (await chart.locator(".recharts-cartesian-grid").boundingBox())!;
  await page.mouse.move(tick.x + tick.width / 2, plot.y + plot.height / 2);
  const tooltip = page.getByText(`Partial month, ${note}`);
  await expect(tooltip).toBeVisible();

  // Its bar, once it has any revenue, is drawn apart too: dashed outline, lighter fill.
  const revenue = await page.getByText(/^Revenue: /).textContent();
  if (!/^Revenue: \D*0\.00$/.test(revenue!)) {
    const dashed = chart.locator('.recharts-bar-rectangle path[stroke-dasharray="4 3"]');
    await expect(dashed).toHaveCount(1);
    expect(await dashed.getAttribute("fill")).not.toBe(await chart.locator(".recharts-bar-rectangle path").first().getAttribute("fill"));
  }
});

const CARDS = ["Predicted CLTV", "Acquisition cost (CAC)", "CLTV : CAC", "NPS", "Opt-out rate", "Consent rate (email)", "Revenue from campaigns", "Repeat-purchase rate"];
const cardId = (label: string) => `metric-${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

test("the owner reads the key figures with their n and interval, changes the range and opens the consent log", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  for (const label of CARDS) await expect(page.getByTestId(cardId(label))).toBeVisible();

  // NPS rests on every survey answer the demo shop holds (all fall in the default range).
  const { seed, generatedAt, customers } = demo.generation;
  const answers = generateDemoData({ seed, now: new Date(generatedAt), customers }).surveyResponses.length;
  const nps = page.getByTestId(cardId("NPS"));
  await expect(nps).toContainText(`n = ${count(answers)} answers`);
  await expect(nps).toContainText(/95 % interval -?\d+ to -?\d+/);
  await nps.getByText("How is this computed?").click();
  await expect(nps.getByText(/minus share 0–6 \(detractors\)/)).toBeVisible();
  await expect(page.getByTestId(cardId("Repeat-purchase rate"))).toContainText(/95 % interval \d+ % to \d+ %/);
  await expect(page.getByTestId(cardId("CLTV : CAC"))).toContainText(/\d+\.\d : 1/);
  await expect(page.getByText(/NaN|Infinity/)).toHaveCount(0);

  // A range picked in the form lands in the URL, and the page says which months it shows.
  const from = page.getByLabel("From", { exact: true });
  const to = page.getByLabel("To", { exact: true });
  const current = await to.inputValue();
  const [y, m] = current.split("-").map(Number) as [number, number];
  const earlier = (back: number) => { const d = new Date(Date.UTC(y, m - 1 - back, 1)); return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`; };
  await from.fill(earlier(5));
  await to.fill(earlier(2));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${earlier(5)}&to=${earlier(2)}`));
  const long = (ym: string) => new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${ym}-01T00:00:00Z`));
  await expect(page.getByText(`${long(earlier(5))} to ${long(earlier(2))}`, { exact: false })).toBeVisible();
  await expect(page.getByRole("img", { name: /Revenue per month over the last 4 months$/ })).toBeVisible();

  // A channel narrows the acquired customers; the choice stays in the URL.
  await page.getByLabel("Acquisition channel").selectOption("web");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/channel=web/);
  await expect(page.getByText(/customers first acquired through web/)).toBeVisible();

  // A quick period, then a hand-edited range that runs backwards: the default range, and why.
  await page.getByRole("link", { name: "Last 3 months" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${earlier(2)}&to=${current}`));
  await page.goto("/?from=2026-05&to=2026-01");
  await expect(page.getByRole("alert").filter({ hasText: "The first month must not come after the last." })).toBeVisible();

  // The consent log sits beside the figures, and opens from there.
  await expect(page.getByRole("heading", { name: "Latest consent events" })).toBeVisible();
  await page.getByRole("link", { name: "All consent events" }).click();
  await expect(page.getByRole("heading", { name: "Consent log", level: 1 })).toBeVisible();
});

test("a new shop's Overview says, card by card, how to get each figure", async ({ page }) => {
  await signUp(page, "Empty Corner Shop", `empty-${Date.now()}@example.com`, "a-long-enough-password-1");
  for (const label of CARDS) {
    const card = page.getByTestId(cardId(label));
    await expect(card).toContainText("No data yet");
    await expect(card.getByRole("link")).toHaveCount(1);
  }
  await expect(page.getByText(/NaN|Infinity|undefined/)).toHaveCount(0);
  await expect(page.getByText("No orders in these months")).toBeVisible();
});
