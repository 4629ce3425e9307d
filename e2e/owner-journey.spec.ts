import { count, demo, euros, expect, expectedSummary, signIn, signOut, test } from "./fixtures";

test("an owner signs in, reads the overview, finds a customer and signs out", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  await expect(page.getByRole("img", { name: /Revenue per month/ })).toBeVisible();
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();

  // Recent activity is on the Metrics page, per window of days.
  await page.getByRole("link", { name: "Metrics" }).click();
  for (const days of [30, 90, 365]) {
    await page.getByRole("link", { name: `${days} days` }).click();
    await expect(page.getByText(`Your shop in the last ${days} days.`)).toBeVisible();
    const summary = expectedSummary();
    const w = summary.windows.find((x) => x.days === days)!;
    await expect(page.getByTestId("kpi-customers")).toHaveText(count(summary.customers));
    await expect(page.getByTestId("kpi-orders")).toHaveText(count(w.orders));
    await expect(page.getByTestId("kpi-revenue")).toHaveText(euros(w.revenueMinor));
    await expect(page.getByTestId("kpi-active-customers")).toHaveText(count(w.activeCustomers));
    await expect(page.getByText(`n = ${count(w.orders)} orders`)).toBeVisible();
  }

  await page.getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("heading", { name: "Customers", exact: true })).toBeVisible();
  await expect(page.getByText(`${count(demo.generation.customers)} customers`, { exact: true })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search customers" }).fill(demo.sampleCustomer.email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(`1 matching “${demo.sampleCustomer.email}”`)).toBeVisible();
  await page.getByRole("link", { name: demo.sampleCustomer.name }).click();

  await expect(page.getByRole("heading", { name: demo.sampleCustomer.name })).toBeVisible();
  await expect(page.getByRole("heading", { name: `Orders (${demo.sampleCustomer.orders})` })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Consent history/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Current consent by channel and purpose" })).toBeVisible();

  await signOut(page);
  await page.goto("/customers");
  await expect(page).toHaveURL(/\/login/);
});

test("the customer list sorts and pages on the server", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto("/customers?sort=orders&dir=desc");
  const rows = page.getByRole("table", { name: "Customers", exact: true }).locator("tbody tr");
  const firstOrders = Number((await rows.first().locator("td").nth(2).innerText()).replace(/,/g, ""));
  const lastOrders = Number((await rows.last().locator("td").nth(2).innerText()).replace(/,/g, ""));
  expect(firstOrders).toBeGreaterThanOrEqual(lastOrders);
  expect(firstOrders).toBeGreaterThanOrEqual(10);
  await expect(page.getByText(`Page 1 of ${Math.ceil(demo.generation.customers / 25)}`)).toBeVisible();
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page.getByText(`Page 2 of ${Math.ceil(demo.generation.customers / 25)}`)).toBeVisible();
  await expect(rows).toHaveCount(25);
});
