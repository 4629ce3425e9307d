// The overview's revenue chart: the current month is shown as partial, not as a collapse in sales.
import { demo, expect, signIn, test } from "./fixtures";

/** Today's month (long name and year) and day, and the month's length, in a time zone. */
function today(timeZone: string) {
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat("en-GB", { timeZone, ...options }).format(new Date());
  const [year, month, day] = [part({ year: "numeric" }), part({ month: "numeric" }), part({ day: "numeric" })].map(Number) as [number, number, number];
  return { month: part({ month: "long", year: "numeric" }), day, daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

test("the revenue chart marks the current month as partial, with its days so far", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  // The card names the shop's time zone: "n = 10,490 orders over 24 months, Europe/London; …".
  const zone = /orders over 24 months, ([^\s;,]+)/.exec((await page.getByText(/orders over 24 months, /).textContent())!)![1]!;
  const now = today(zone);
  const note = `so far: ${now.day} of ${now.daysInMonth} days`;

  await expect(page.getByRole("img", { name: `Revenue per month over the last 24 months; ${now.month} ${note}` })).toBeVisible();
  await expect(page.getByText(`${now.month} is the current month, ${note}`)).toBeVisible();
  // The axis labels only the current month "so far".
  const lastTick = page.locator(".recharts-cartesian-axis-tick-value", { hasText: "so far" });
  await expect(lastTick).toHaveCount(1);
  // Its column is shaded, so the month reads as partial even before its first sale.
  await expect(page.locator(".recharts-reference-area")).toHaveCount(1);

  // The tooltip of the last month says it is partial.
  const tick = (await lastTick.boundingBox())!;
  const plot = (await page.locator(".recharts-cartesian-grid").boundingBox())!;
  await page.mouse.move(tick.x + tick.width / 2, plot.y + plot.height / 2);
  const tooltip = page.getByText(`Partial month, ${note}`);
  await expect(tooltip).toBeVisible();

  // Its bar, once it has any revenue, is drawn apart too: dashed outline, lighter fill.
  const revenue = await page.getByText(/^Revenue: /).textContent();
  if (!/^Revenue: \D*0\.00$/.test(revenue!)) {
    const dashed = page.locator('.recharts-bar-rectangle path[stroke-dasharray="4 3"]');
    await expect(dashed).toHaveCount(1);
    expect(await dashed.getAttribute("fill")).not.toBe(await page.locator(".recharts-bar-rectangle path").first().getAttribute("fill"));
  }
});
