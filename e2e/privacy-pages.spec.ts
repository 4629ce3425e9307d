import fs from "node:fs";
import { ensureAuthSecret } from "../lib/auth/ensure-auth-secret";
import { demoCampaigns } from "../lib/demo/demo-campaigns";
import { generateDemoData } from "../lib/demo/generate-demo-data";
import { signPrivacyToken } from "../lib/privacy/tokens";
import { demo, expect, signIn, test } from "./fixtures";

// Outside test-results/, which every Playwright run empties.
const SHOTS = ".data/screens/privacy";

/** A demo customer who got the text-message campaign and still says yes to SMS offers. */
function smsRecipient() {
  const { seed, generatedAt, customers } = demo.generation;
  const data = generateDemoData({ seed, now: new Date(generatedAt), customers });
  const sms = demoCampaigns(data).find((c) => c.channel === "sms")!;
  const latest = (id: string) =>
    data.consentEvents.filter((e) => e.customerExternalId === id && e.channel === "sms" && e.purpose === "marketing").sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime()).at(-1);
  const send = sms.sends.find((s) => latest(s.customerExternalId)?.action === "grant")!;
  const customer = data.customers.find((c) => c.externalId === send.customerExternalId)!;
  return { customer, campaign: sms.name, why: send.why };
}

test("a customer opens their link, sees why they got a message, turns SMS offers off in one click and downloads their data; the owner sees it", async ({ page, browser }) => {
  const target = smsRecipient();
  const name = `${target.customer.firstName} ${target.customer.lastName}`;

  // The owner creates a fresh link for the customer who asked.
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto(`/customers?q=${encodeURIComponent(target.customer.email)}`);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const customerUrl = page.url();
  await page.getByRole("button", { name: "Preference page link" }).click();
  const link = await page.getByLabel("Link for this customer").inputValue();
  expect(link).toMatch(/^http:\/\/localhost:\d+\/p\/[A-Za-z0-9_-]+$/);

  // The customer, on their phone, without any cookie of the shop.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, acceptDownloads: true });
  const customerPage = await phone.newPage();
  const response = await customerPage.goto(link);
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["cache-control"]).toContain("no-store");
  expect(headers["x-robots-tag"]).toContain("noindex");
  await expect(customerPage.getByRole("heading", { name: `${name}, your preferences` })).toBeVisible();
  const messages = customerPage.getByRole("region", { name: "Messages you got, and why" });
  await expect(messages.getByText(target.campaign)).toBeVisible();
  await expect(messages.getByText(target.why)).toBeVisible();
  await expect(customerPage.getByTestId("state-sms-marketing")).toContainText("On");
  fs.mkdirSync(SHOTS, { recursive: true });
  await customerPage.screenshot({ path: `${SHOTS}/p-phone.png`, fullPage: true });

  await customerPage.getByRole("button", { name: "Turn off: Offers and news by text messages (sms)" }).click();
  await expect(customerPage.getByRole("status")).toHaveText("Saved. Offers and news by text messages (sms) is now off, from this moment.");
  await expect(customerPage.getByTestId("state-sms-marketing")).toHaveText("Off");
  await expect(customerPage.getByRole("button", { name: "Turn on: Offers and news by text messages (sms)" })).toBeVisible();

  const [download] = await Promise.all([customerPage.waitForEvent("download"), customerPage.getByRole("link", { name: "Download my data" }).click()]);
  const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
  expect(data.customer.email).toBe(target.customer.email);
  expect(data.messages.map((m: { why: string }) => m.why)).toContain(target.why);
  const last = data.consentHistory.at(-1);
  expect(last).toMatchObject({ channel: "sms", purpose: "marketing", action: "withdraw", method: "preference_page", actorType: "customer" });
  expect(last.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(data.consentHistory.filter((e: { method: string; channel: string }) => e.method === "preference_page" && e.channel === "sms").length).toBeGreaterThanOrEqual(1);
  await phone.close();

  // The owner sees the customer's own withdrawal in the customer's consent history.
  await page.goto(customerUrl);
  const history = page.getByRole("region", { name: /Consent history/ }).or(page.locator("section", { has: page.getByRole("heading", { name: /Consent history/ }) }));
  await expect(history.getByText("via preference page by customer").last()).toBeVisible();
  await expect(history.locator("li").last()).toContainText("sms · marketing");
  await expect(history.locator("li").last()).toContainText("withdraw");

  // …and in the consent log, where the chain, with the customer's event in it, verifies.
  await page.getByRole("link", { name: "Their events in the consent log" }).click();
  await expect(page.getByRole("heading", { name: "Consent log", level: 1 })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Preference page" }).filter({ hasText: "sms · marketing" }).filter({ hasText: "withdrew" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Verify", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "ok" })).toContainText("events fit");
});

test("a forged, altered or made-up link gets the same plain 404", async ({ page }) => {
  for (const path of ["/p/not-a-token", `/p/${"A".repeat(72)}`, "/u/nothing-here", `/u/${"B".repeat(80)}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByText("There is nothing at this address.")).toBeVisible();
  }
});

test("one-click unsubscribe: GET only asks, POST withdraws once and answers 200 every time", async ({ page, request, browser }) => {
  ensureAuthSecret(process.cwd());
  const { seed, generatedAt, customers } = demo.generation;
  const data = generateDemoData({ seed, now: new Date(generatedAt), customers });
  const recipient = demoCampaigns(data).find((c) => c.channel === "email")!.sends[0]!;
  const customer = data.customers.find((c) => c.externalId === recipient.customerExternalId)!;
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto(`/customers?q=${encodeURIComponent(customer.email)}`);
  await page.getByRole("link", { name: `${customer.firstName} ${customer.lastName}` }).click();
  await expect(page.getByRole("heading", { name: /Consent history/ })).toBeVisible();
  const customerUrl = page.url();
  const customerId = customerUrl.split("/customers/")[1]!;
  const oneClickWithdrawals = page.locator("li", { hasText: "via one click unsubscribe by customer" }).filter({ hasText: "email · marketing" });
  const before = await oneClickWithdrawals.count();
  const token = signPrivacyToken({ kind: "unsubscribe", shopId: demo.shopId, customerId, channel: "email" });

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const u = await phone.newPage();
  const shown = await u.goto(`/u/${token}`);
  expect(shown?.status()).toBe(200);
  expect(shown!.headers()["cache-control"]).toContain("no-store");
  expect(shown!.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(u.getByRole("heading", { name: /Unsubscribe from/ })).toBeVisible();
  fs.mkdirSync(SHOTS, { recursive: true });
  await u.screenshot({ path: `${SHOTS}/u-phone.png`, fullPage: true });

  // Opening the page changed nothing.
  await page.reload();
  await expect(oneClickWithdrawals).toHaveCount(before);

  // What a mailbox provider does: a bare POST, no cookie, no CSRF token (RFC 8058), repeated and at once.
  const posts = await Promise.all(Array.from({ length: 3 }, () => request.post(`/u/${token}`, { form: { "List-Unsubscribe": "One-Click" } })));
  posts.push(await request.post(`/u/${token}`, { form: { "List-Unsubscribe": "One-Click" } }));
  for (const answer of posts) {
    expect(answer.status()).toBe(200);
    expect(await answer.text()).toContain("You are unsubscribed");
  }
  expect((await request.post(`/u/${token}`, { form: { something: "else" } })).status()).toBe(400);

  await u.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(u.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
  await u.screenshot({ path: `${SHOTS}/u-done-phone.png`, fullPage: true });
  await phone.close();

  // Five posts in all, one new ledger event.
  await page.reload();
  await expect(oneClickWithdrawals).toHaveCount(before + 1);
});

test("a browser's Global Privacy Control signal is honoured and said so", async ({ browser }) => {
  ensureAuthSecret(process.cwd());
  const context = await browser.newContext({ extraHTTPHeaders: { "Sec-GPC": "1" } });
  const page = await context.newPage();
  const token = signPrivacyToken({ kind: "preferences", shopId: demo.shopId, customerId: demo.sampleCustomer.id });
  await page.goto(`/p/${token}`);
  await expect(page.getByTestId("gpc-notice")).toContainText("We honoured it");
  await expect(page.getByTestId("state-email-personalization")).toHaveText("Off");
  await context.close();
});

test("the preference page refuses forms without its form token or from another site, and changes nothing", async ({ request }) => {
  ensureAuthSecret(process.cwd());
  const token = signPrivacyToken({ kind: "preferences", shopId: demo.shopId, customerId: demo.sampleCustomer.id });
  const page = await request.get(`/p/${token}`);
  const html = await page.text();
  const formToken = /name="form" value="([^"]+)"/.exec(html)![1]!;
  const stateOf = (text: string) => /data-testid="state-email-surveys"[^>]*>(?:<!-- -->)?<span[^>]*>(On|Off)/.exec(text)![1];
  const before = stateOf(html);
  const action = before === "On" ? "withdraw" : "grant";
  const choice = { intent: "consent", channel: "email", purpose: "surveys", action, policyVersionId: "" };

  const noToken = await request.post(`/p/${token}/save`, { form: choice, maxRedirects: 0 });
  expect(noToken.status()).toBe(303);
  expect(noToken.headers().location).toBe(`/p/${token}?status=form`);
  const crossSite = await request.post(`/p/${token}/save`, { form: { ...choice, form: formToken }, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" }, maxRedirects: 0 });
  expect(crossSite.headers().location).toBe(`/p/${token}?status=form`);
  // The same customer's other link (another expiry) does not take this page's form token.
  const other = signPrivacyToken({ kind: "preferences", shopId: demo.shopId, customerId: demo.sampleCustomer.id }, { now: new Date(Date.now() - 5000) });
  const swapped = await request.post(`/p/${other}/save`, { form: { ...choice, form: formToken }, maxRedirects: 0 });
  expect(swapped.headers().location).toBe(`/p/${other}?status=form`);
  expect(stateOf(await (await request.get(`/p/${token}`)).text())).toBe(before);

  // From the page itself: one change, and back.
  const ok = await request.post(`/p/${token}/save`, { form: { ...choice, form: formToken }, maxRedirects: 0 });
  expect(ok.headers().location).toBe(`/p/${token}?status=${action === "grant" ? "on" : "off"}&channel=email&purpose=surveys#choices`);
  const again = await request.post(`/p/${token}/save`, { form: { ...choice, form: formToken }, maxRedirects: 0 });
  expect(again.headers().location).toBe(`/p/${token}?status=unchanged&channel=email&purpose=surveys#choices`);
  const undo = await request.post(`/p/${token}/save`, { form: { ...choice, action: action === "grant" ? "withdraw" : "grant", form: formToken }, maxRedirects: 0 });
  expect(undo.headers().location).toBe(`/p/${token}?status=${action === "grant" ? "off" : "on"}&channel=email&purpose=surveys#choices`);
});

test("a customer erases themselves after a confirmation; the owner sees it", async ({ page, browser }) => {
  ensureAuthSecret(process.cwd());
  const { seed, generatedAt, customers } = demo.generation;
  const data = generateDemoData({ seed, now: new Date(generatedAt), customers });
  const customer = data.customers.at(-7)!;
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto(`/customers?q=${encodeURIComponent(customer.email)}`);
  await page.getByRole("link", { name: `${customer.firstName} ${customer.lastName}` }).click();
  await expect(page.getByRole("heading", { name: "Privacy" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/owner-customer.png`, fullPage: true });
  const customerUrl = page.url();
  const token = signPrivacyToken({ kind: "preferences", shopId: demo.shopId, customerId: customerUrl.split("/customers/")[1]! });

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const p = await phone.newPage();
  await p.goto(`/p/${token}`);
  await p.getByRole("link", { name: "Erase me" }).click();
  await expect(p.getByRole("heading", { name: "Erase my details?" })).toBeVisible();
  await p.screenshot({ path: `${SHOTS}/erase-confirm-phone.png`, fullPage: true });
  await p.getByRole("button", { name: "Yes, erase my details" }).click();
  await expect(p.getByRole("heading", { name: "Your details were erased" })).toBeVisible();
  await expect(p.getByText(customer.email)).toHaveCount(0);
  await phone.close();

  await page.goto(customerUrl);
  await expect(page.getByText(/Erased on .* at their request\./)).toBeVisible();
  await expect(page.getByText(customer.email)).toHaveCount(0);
});

test("too many requests for one link get a 429 page", async ({ request }) => {
  ensureAuthSecret(process.cwd());
  const token = signPrivacyToken({ kind: "unsubscribe", shopId: demo.shopId, customerId: demo.sampleCustomer.id, channel: "push" });
  // Within one calendar minute the 31st request is refused; a minute boundary in between allows at most 30 more.
  let answered = 0;
  let limited = await request.get(`/u/${token}`);
  while (limited.status() === 200 && answered < 70) {
    answered += 1;
    limited = await request.get(`/u/${token}`);
  }
  expect(limited.status()).toBe(429);
  expect(answered).toBeGreaterThanOrEqual(30);
  expect(answered).toBeLessThanOrEqual(60);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect(limited.headers()["cache-control"]).toContain("no-store");
  expect(await limited.text()).toContain("Wait a minute and try again.");
});

test("the preference page works without JavaScript", async ({ browser }) => {
  ensureAuthSecret(process.cwd());
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const token = signPrivacyToken({ kind: "preferences", shopId: demo.shopId, customerId: demo.sampleCustomer.id });
  await page.goto(`/p/${token}`);
  const state = page.getByTestId("state-sms-surveys").or(page.getByTestId("state-email-surveys")).first();
  const testId = (await state.getAttribute("data-testid"))!;
  const [, channel] = testId.split("-");
  const words = channel === "sms" ? "text messages (sms)" : "email";
  const wasOn = (await state.innerText()).startsWith("On");
  await page.getByRole("button", { name: `${wasOn ? "Turn off" : "Turn on"}: Surveys by ${words}` }).click();
  await expect(page.getByRole("status")).toContainText(`Surveys by ${words} is now ${wasOn ? "off" : "on"}`);
  await expect(page.getByTestId(testId)).toContainText(wasOn ? "Off" : "On");
  await page.getByLabel("How many messages a week, at most").selectOption("2");
  await page.getByRole("button", { name: "Save limit" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved. Your weekly limit applies from now on.");
  await expect(page.getByLabel("How many messages a week, at most")).toHaveValue("2");
  await context.close();
});
