import fs from "node:fs";
import Papa from "papaparse";
import { demo, expect, signIn, signUp, test } from "./fixtures";

test("an owner filters the consent log, verifies the chain and sees ok with the head hash", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await page.getByRole("link", { name: "Consent log" }).click();
  await expect(page.getByRole("heading", { name: "Consent log", level: 1 })).toBeVisible();
  const events = Number((await page.getByText(/[\d,]+ events in the ledger\./).innerText()).match(/([\d,]+) events in the ledger/)![1]!.replace(/,/g, ""));
  expect(events).toBeGreaterThan(0);
  await expect(page.getByRole("img", { name: /Consent given and withdrawn per month/ })).toBeVisible();

  // Filters live in the address.
  await page.getByLabel("Channel").selectOption("email");
  await page.getByLabel("Method").selectOption("one_click_unsubscribe");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/channel=email/);
  await expect(page).toHaveURL(/method=one_click_unsubscribe/);
  await expect(page.getByText(/[\d,]+ of [\d,]+ events match the filters\./)).toBeVisible();
  const rows = page.locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(0);
  for (const text of await rows.allInnerTexts()) {
    expect(text).toContain("One-click unsubscribe");
    expect(text).toMatch(/withdrew\s+email ·/);
  }
  expect(await page.locator("main").innerText()).not.toMatch(/NaN|undefined|Invalid Date/);
  fs.mkdirSync(".data/screenshots", { recursive: true });
  await page.screenshot({ path: ".data/screenshots/consent-filtered.png", fullPage: true });

  // Verify the whole chain.
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  const status = page.getByRole("status").filter({ hasText: "ok" });
  await expect(status).toContainText(`All ${events} events fit`);
  const checkpoint = (await page.getByTestId("checkpoint").innerText()).trim();
  expect(checkpoint).toMatch(new RegExp(`^${events}:[0-9a-f]{64}$`));

  // The head hash is the hash of the last row of the whole log, as the auditor's CSV has it.
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(page).toHaveURL(/\/consent$/);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV", exact: true }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8").replace(/^\uFEFF/, "");
  const log = Papa.parse<Record<string, string>>(csv.trim(), { header: true }).data;
  expect(log).toHaveLength(events);
  expect(`${log.at(-1)!.seq}:${log.at(-1)!.hash}`).toBe(checkpoint);

  // Against the checkpoint just taken: ok; against one it never had: names the event.
  await page.getByRole("textbox", { name: "Verify against a checkpoint" }).fill(checkpoint);
  await page.getByRole("button", { name: "Verify against checkpoint" }).click();
  await expect(page.getByRole("status")).toContainText(`and event #${events} still has the checkpoint's hash`);
  await page.screenshot({ path: ".data/screenshots/consent.png", fullPage: true });
  await page.getByRole("textbox", { name: "Verify against a checkpoint" }).fill(`1:${"0".repeat(64)}`);
  await page.getByRole("button", { name: "Verify against checkpoint" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not ok" })).toContainText("Event #1 has hash");
  await page.getByRole("textbox", { name: "Verify against a checkpoint" }).fill("42");
  await page.getByRole("button", { name: "Verify against checkpoint" }).click();
  await expect(page.getByText("Write the checkpoint as SEQ:HASH")).toBeVisible();

  // The policy a row was decided under is one click away.
  await page.locator("tbody tr").first().getByRole("link", { name: /^v\d/ }).click();
  await expect(page.getByRole("heading", { name: /^Policy version v\d/ })).toBeVisible();
  await expect(page.getByText(/^[0-9a-f]{64}$/)).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByRole("list", { name: "Policy versions" })).toContainText("in effect");
  await page.screenshot({ path: ".data/screenshots/settings-policies.png", fullPage: true });
});

test("a viewer may verify the chain too", async ({ page }) => {
  await signIn(page, demo.login.viewer.email, demo.login.viewer.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.getByRole("link", { name: "Consent log" }).click();
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "ok" })).toContainText("events fit");
});

test("an owner withdraws consent on a customer's behalf with a note, and the log shows who and why", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto("/consent?method=checkout&action=grant&channel=sms");
  await page.locator("tbody tr").first().getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "Consent now" })).toBeVisible();
  await page.getByText("Withdraw on the customer's behalf").click();
  await page.getByLabel("Channel").selectOption("sms");
  await page.getByRole("button", { name: "Withdraw consent" }).click();
  await expect(page.getByText("Say how the customer asked")).toBeVisible();
  await page.getByLabel("How did the customer ask?").fill("Asked at the till to stop texts");
  await page.getByRole("button", { name: "Withdraw consent" }).click();
  await expect(page.getByRole("status")).toContainText(/Withdrawn: sms /);
  await page.screenshot({ path: ".data/screenshots/customer-withdraw.png", fullPage: true });

  await page.getByRole("link", { name: "Their events in the consent log" }).click();
  const row = page.locator("tbody tr").first();
  await expect(row).toContainText("Owner, on the customer's behalf");
  await expect(row).toContainText(`by owner ${demo.login.owner.email}`);
  await expect(row).toContainText("Note: Asked at the till to stop texts");
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "ok" })).toContainText("events fit");
});

test("a new shop's consent log says nothing is recorded yet, and verifies as empty", async ({ page }) => {
  await signUp(page, "Empty Ledger Bakery", `consent-empty-${Date.now()}@example.com`, "a long enough password");
  await page.getByRole("link", { name: "Consent log" }).click();
  await expect(page.getByRole("heading", { name: "No consent recorded yet" })).toBeVisible();
  await expect(page.getByText("No events yet, so no checkpoint.")).toBeVisible();
  await expect(page.getByRole("link", { name: /Download CSV/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "ok" })).toContainText("The ledger is empty");
  await page.screenshot({ path: ".data/screenshots/consent-empty.png", fullPage: true });
});
