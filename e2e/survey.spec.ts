// A customer answers the post-purchase survey from the link in their message: one question, a
// comment, a thank-you; opening the link again shows the answer, not the form. The survey message
// is made through the real targeting code, so this dashboard runs on a Postgres database of its
// own that the test can write to (the shared demo's embedded database is its server's alone).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import postgres from "postgres";
import { ensureAuthSecret } from "../lib/auth/ensure-auth-secret";
import { targetAudience } from "../lib/campaigns/target-audience";
import { recordConsentEvents } from "../lib/consent/record-consent-events";
import { openDatabase, type Database } from "../lib/db/client";
import { campaigns, customers, segmentMembers, segments, sends, surveyResponses, variants } from "../lib/db/schema";
import { withShop } from "../lib/db/tenant";
import { signPrivacyToken } from "../lib/privacy/tokens";
import { createShop } from "../lib/shops/create-shop";
import { expect, test } from "./fixtures";

const PORT = 3198;
const BASE = `http://localhost:${PORT}`;
const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = `regulars_e2e_survey_${randomBytes(3).toString("hex")}`;
const SHOTS = ".data/screens/survey";

let server: ChildProcess;
let database: Database;
let link: { shopId: string; customerId: string; sendId: string };

const databaseUrl = () => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB}`;
  return u.toString();
};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ensureAuthSecret(process.cwd());
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${DB}`);
  await admin.end();
  database = await openDatabase({ kind: "postgres", url: databaseUrl(), max: 2 });

  // A bakery, a customer who said yes to surveys by email, and a survey campaign sent to her.
  const { shopId } = await createShop({ name: "Corner Bakery", ownerEmail: `owner-${randomBytes(3).toString("hex")}@example.com`, ownerPassword: "correct horse battery" }, { database });
  link = await withShop(shopId, async (tx) => {
    const [mia] = await tx.insert(customers).values({ shopId, email: "mia@example.com", firstName: "Mia" }).returning();
    await recordConsentEvents(tx, [{ customerId: mia!.id, channel: "email", purpose: "surveys", action: "grant", method: "checkout", actorType: "customer", evidence: { form: "checkout" }, occurredAt: new Date(Date.now() - 86_400_000) }]);
    const [segment] = await tx.insert(segments).values({ shopId, key: "asked", name: "Recent buyers", kind: "custom", rules: {} }).returning();
    await tx.insert(segmentMembers).values({ shopId, segmentId: segment!.id, customerId: mia!.id });
    const [campaign] = await tx.insert(campaigns).values({ shopId, name: "How was your order?", channel: "email", purpose: "surveys", segmentId: segment!.id, status: "approved", holdoutPct: 0 }).returning();
    await tx.insert(variants).values({ shopId, campaignId: campaign!.id, key: "A", subject: "One question", body: "{{survey_link}}" });
    await targetAudience(tx, campaign!.id, { trigger: "manual" });
    const [send] = await tx.select().from(sends).where(eq(sends.campaignId, campaign!.id));
    return { shopId, customerId: mia!.id, sendId: send!.id };
  }, database);

  server = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], {
    env: { ...process.env, DATABASE_URL: databaseUrl(), APP_URL: BASE },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stderr!.on("data", (d: Buffer) => process.stderr.write(`[dashboard] ${d.toString()}`));
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (d: Buffer) => d.toString().includes("database ready") && resolve());
    server.on("exit", (code) => reject(new Error(`dashboard exited with ${code}`)));
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await database?.close();
  await new Promise((r) => setTimeout(r, 500));
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB} with (force)`);
  await admin.end();
});

test("a customer answers 9 with a comment, is thanked, and sees their answer when opening the link again", async ({ browser }) => {
  const token = signPrivacyToken({ kind: "survey", ...link });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await phone.newPage();

  const response = await page.goto(`${BASE}/s/${token}`);
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers["cache-control"]).toContain("no-store");
  expect(headers["x-robots-tag"]).toContain("noindex");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await expect(page.getByText("Corner Bakery").first()).toBeVisible();
  const question = page.getByRole("group", { name: "How likely are you to recommend Corner Bakery to a friend?" });
  await expect(question.getByRole("radio")).toHaveCount(11);
  await page.screenshot({ path: `${SHOTS}/s-phone.png`, fullPage: true });

  // Sending without a score: the error stands by the question, and the comment typed is kept.
  await page.getByLabel(/Anything you would like to tell Corner Bakery/).fill("The sourdough was perfect, delivery a bit late.");
  await page.getByRole("button", { name: "Send my answer" }).click();
  await expect(question).toHaveAccessibleDescription(/Choose a number from 0 to 10\./);
  await expect(page.getByLabel(/Anything you would like to tell Corner Bakery/)).toHaveValue("The sourdough was perfect, delivery a bit late.");
  await page.screenshot({ path: `${SHOTS}/s-phone-error.png`, fullPage: true });

  await question.getByRole("radio", { name: "9", exact: true }).check();
  await page.getByRole("button", { name: "Send my answer" }).click();
  const thanks = page.getByRole("status");
  await expect(thanks.getByRole("heading", { name: "Thank you for answering" })).toBeVisible();
  await expect(thanks).toContainText("You answered 9 out of 10 and wrote:");
  await expect(thanks).toContainText("The sourdough was perfect, delivery a bit late.");
  await page.screenshot({ path: `${SHOTS}/s-phone-thanks.png`, fullPage: true });

  // The answer is the shop's, once.
  const stored = await withShop(link.shopId, (tx) => tx.select().from(surveyResponses), database);
  expect(stored.map((r) => [r.score, r.comment, r.sendId, r.customerId])).toEqual([[9, "The sourdough was perfect, delivery a bit late.", link.sendId, link.customerId]]);

  await page.reload();
  await expect(page.getByRole("heading", { name: "You already answered" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("you answered 9 out of 10");
  await expect(page.getByRole("status")).toContainText("The sourdough was perfect, delivery a bit late.");
  await expect(page.getByRole("radio")).toHaveCount(0);
  await phone.close();
});

test("a forged, altered or other kind of link gets the same plain 404", async ({ page }) => {
  const good = signPrivacyToken({ kind: "survey", ...link });
  const altered = `${good.slice(0, 10)}${good[10] === "A" ? "B" : "A"}${good.slice(11)}`;
  const preferences = signPrivacyToken({ kind: "preferences", shopId: link.shopId, customerId: link.customerId });
  const expired = signPrivacyToken({ kind: "survey", ...link }, { now: new Date(Date.now() - 31 * 86_400_000) });
  const noSuchMessage = signPrivacyToken({ kind: "survey", ...link, sendId: "0190a3e4-0000-7000-8000-000000000000" });
  for (const token of ["not-a-token", "C".repeat(80), altered, preferences, expired, noSuchMessage]) {
    const response = await page.goto(`${BASE}/s/${token}`);
    expect(response?.status(), token).toBe(404);
    await expect(page.getByText("There is nothing at this address.")).toBeVisible();
  }
});
