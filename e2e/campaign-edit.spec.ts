// An owner edits a draft campaign: the form opens with what was stored, a refused save keeps what
// was typed, a good one shows the new name and subject on the campaign page; a viewer may not edit.
import fs from "node:fs";
import { demo, expect, signIn, test } from "./fixtures";

const SCREENS = ".data/screens/campaigns";

test("an owner edits a draft's name and subject; an empty subject is refused and keeps what was typed", async ({ page, browser }) => {
  fs.mkdirSync(SCREENS, { recursive: true });
  const stamp = Date.now().toString(36);
  const name = `Autumn note ${stamp}`;
  const renamed = `Autumn letter ${stamp}`;
  const body = "Hello {{first_name | there}}, the autumn range is in.";

  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto("/campaigns/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  const segment = await page.getByLabel("Segment").locator("option").nth(1).getAttribute("value");
  await page.getByLabel("Segment").selectOption(segment!);
  await page.getByLabel("Holdout (%)").fill("20");
  await page.getByLabel("Subject").fill("Autumn is here");
  await page.getByRole("textbox", { name: "Message", exact: true }).fill(body);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const campaignUrl = page.url();

  // The form opens with the stored draft.
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByRole("heading", { name: `Edit ${name}` })).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  await expect(page.getByLabel("Segment")).toHaveValue(segment!);
  await expect(page.getByLabel("Holdout (%)")).toHaveValue("20");
  await expect(page.getByLabel("Subject")).toHaveValue("Autumn is here");
  await expect(page.getByRole("textbox", { name: "Message", exact: true })).toHaveValue(body);

  // An email without a subject is refused; the name just typed stays in the form.
  await page.getByLabel("Name", { exact: true }).fill(renamed);
  await page.getByLabel("Subject").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Variant A, subject: An email needs a subject.");
  await expect(page.getByLabel("Subject")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(renamed);
  await expect(page.getByRole("textbox", { name: "Message", exact: true })).toHaveValue(body);
  await expect(page.getByLabel("Holdout (%)")).toHaveValue("20");
  await page.screenshot({ path: `${SCREENS}/edit-refused.png`, fullPage: true });

  await page.getByLabel("Subject").fill("The autumn range, {{first_name | friend}}");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name: renamed })).toBeVisible();
  expect(page.url()).toBe(campaignUrl);
  await expect(page.getByRole("region", { name: "Variants" })).toContainText("Subject: The autumn range, {{first_name | friend}}");
  await expect(page.getByTestId("preview-subject")).toHaveText(/^The autumn range, /);
  await page.goto("/campaigns");
  await expect(page.getByRole("link", { name: renamed })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

  // A viewer sees the draft without an Edit link, and the edit page refuses them in words.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, demo.login.viewer.email, demo.login.viewer.password);
  await expect(viewer.getByRole("heading", { name: "Overview" })).toBeVisible();
  await viewer.goto(campaignUrl);
  await expect(viewer.getByRole("heading", { name: renamed })).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
  await viewer.goto(`${campaignUrl}/edit`);
  await expect(viewer.getByRole("alert").filter({ hasText: "Only an owner of this shop can edit a campaign." })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  await viewerContext.close();

  // An unknown campaign is not found. (The campaign page's loading skeleton starts the answer, so
  // the status is 200 here as on the campaign page itself; the page says it in words.)
  await page.goto("/campaigns/00000000-0000-4000-8000-000000000000/edit");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveCount(0);
});
