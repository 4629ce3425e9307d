// The owner creates a campaign for a demo segment, previews the funnel and a customer's message,
// approves it; a worker process (`regulars worker --once`) sends it to a real SMTP server; the
// campaign page shows what was sent; a viewer sees no approve button. Workers are processes of
// their own, so this dashboard runs on a Postgres database of its own (the embedded database is
// one process's alone).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import postgres from "postgres";
import { startSmtpInbox, type SmtpInbox } from "../test/smtp-inbox";
import { expect, test } from "./fixtures";

const PORT = 3195;
const BASE = `http://localhost:${PORT}`;
const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = `regulars_e2e_campaigns_${randomBytes(3).toString("hex")}`;
const SCREENS = ".data/screens/campaigns";

let inbox: SmtpInbox;
let server: ChildProcess;
let login: { owner: { email: string; password: string }; viewer: { email: string; password: string } };
const databaseUrl = () => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DB}`;
  return u.toString();
};
const env = () => ({ ...process.env, DATABASE_URL: databaseUrl(), APP_URL: BASE, SMTP_URL: inbox.url, MAIL_FROM: "Demo shop <shop@example.com>" });

function runCommand(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: env(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), 120_000);
    child.on("exit", (status) => (clearTimeout(timer), resolve({ status, stdout, stderr })));
  });
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").first().fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  inbox = await startSmtpInbox();
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${DB}`);
  await admin.end();
  const loaded = spawnSync(process.execPath, ["scripts/regulars.mjs", "demo", "--no-serve", "--customers", "400", "--json"], { env: env(), encoding: "utf8", timeout: 180_000 });
  expect(loaded.status, loaded.stderr).toBe(0);
  login = JSON.parse(loaded.stdout).login;
  // No quiet hours in this shop, so the worker's one pass finds every message due whatever the hour the test runs at.
  const sql = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  await sql`update shops set quiet_hours_start = 0, quiet_hours_end = 0`;
  await sql.end();
  server = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
  server.stderr!.on("data", (d: Buffer) => process.stderr.write(`[dashboard] ${d.toString()}`));
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (d: Buffer) => d.toString().includes("database ready") && resolve());
    server.on("exit", (code) => reject(new Error(`dashboard exited with ${code}`)));
  });
  fs.mkdirSync(SCREENS, { recursive: true });
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await inbox?.close();
  await new Promise((r) => setTimeout(r, 500));
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB} with (force)`);
  await admin.end();
});

test("an owner previews and approves a campaign, a worker sends it, a viewer cannot approve", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, login.owner.email, login.owner.password);
  await page.goto(`${BASE}/campaigns`);
  await expect(page.getByRole("heading", { name: "Campaigns" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/list-before.png`, fullPage: true });

  await page.getByRole("link", { name: "New campaign" }).first().click();
  await expect(page.getByRole("heading", { name: "New campaign" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Spring hello");
  // The segment with the most customers.
  const options = await page.getByLabel("Segment").locator("option").evaluateAll((os) =>
    os.map((o) => ({ value: (o as HTMLOptionElement).value, size: Number(/\((\d+) customers\)/.exec(o.textContent ?? "")?.[1] ?? -1) })));
  const biggest = options.filter((o) => o.value).sort((a, b) => b.size - a.size)[0]!;
  await page.getByLabel("Segment").selectOption(biggest.value);
  await page.getByLabel("Holdout (%)").fill("10");
  // A typo in a merge field is refused when saving, naming it.
  await page.getByLabel("Subject").fill("Spring is here, {{first_name | friend}}");
  await page.getByRole("textbox", { name: "Message", exact: true }).fill("Hi {{frist_name}}, the new season is in.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("alert").first()).toContainText("{{frist_name}}");
  await page.getByRole("textbox", { name: "Message", exact: true }).fill("Hi {{first_name | there}}, the new season is in.\n\n{{recommended_products}}");
  await page.screenshot({ path: `${SCREENS}/new.png`, fullPage: true });
  await page.getByRole("button", { name: "Save draft" }).click();

  await expect(page.getByRole("heading", { name: /Spring hello/ })).toBeVisible();
  const campaignUrl = page.url();
  await expect(page.getByRole("heading", { name: "Preview before approval" })).toBeVisible();
  await expect(page.getByTestId("funnel-segment")).toContainText(String(biggest.size));
  const wouldSend = Number(await page.getByTestId("funnel-sent").locator("td").nth(1).innerText());
  expect(wouldSend).toBeGreaterThan(0);
  // A customer's message, with the why line and the links it ends with.
  await page.getByRole("link", { name: /Preview the message for/ }).first().click();
  await expect(page.getByTestId("preview-body")).toContainText("Why you got this");
  await expect(page.getByTestId("preview-subject")).toContainText("Spring is here,");
  await page.screenshot({ path: `${SCREENS}/detail-draft.png`, fullPage: true });

  // A viewer sees the draft but no button to approve it.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, login.viewer.email, login.viewer.password);
  await viewer.goto(campaignUrl);
  await expect(viewer.getByRole("heading", { name: /Spring hello/ })).toBeVisible();
  await expect(viewer.getByRole("button", { name: /Approve/ })).toHaveCount(0);
  await viewerContext.close();

  await page.getByRole("button", { name: "Approve and send" }).click();
  await expect(page.getByText("Approved.")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("count-queued")).toHaveText(String(wouldSend));

  // Spawned without blocking: the SMTP server it sends to runs in this process.
  const worker = await runCommand(["scripts/regulars.mjs", "worker", "--once", "--json"]);
  expect(worker.status, worker.stderr).toBe(0);
  const tally = JSON.parse(worker.stdout) as { sent: number; skipped: number };
  const ours = inbox.mails.filter((m) => m.raw.includes("Spring is here,"));
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.length + tally.skipped).toBeGreaterThanOrEqual(wouldSend);
  expect(ours[0]!.text).toContain("Why you got this");
  expect(ours[0]!.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");

  // A recipient opts out with their mail app's one-click button (RFC 8058): the campaign counts it.
  const unsubscribe = ours[0]!.header("list-unsubscribe")!.match(/^<(.+)>$/)![1]!;
  const optOut = await page.request.post(unsubscribe, { form: { "List-Unsubscribe": "One-Click" } });
  expect(optOut.status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("count-sent")).toHaveText(String(ours.length));
  await expect(page.getByTestId("count-queued")).toHaveText("0");
  await expect(page.getByText(`1 of ${ours.length} sent`)).toBeVisible();
  // The holdout got nothing: the page's eligible customers are the holdout and those sent to.
  const held = Number((await page.getByRole("listitem").filter({ hasText: "Holdout (gets nothing)" }).locator("span").last().innerText()).replace(/\D/g, ""));
  const eligible = Number((await page.getByText(/eligible customers, split by a hash/).innerText()).match(/n = ([\d,]+)/)![1]!.replace(/,/g, ""));
  expect(held + wouldSend).toBe(eligible);
  expect(inbox.mails.filter((m) => m.raw.includes("Spring is here,")).length).toBe(ours.length);
  await expect(page.getByRole("heading", { name: "Targeting" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/detail-sent.png`, fullPage: true });
  await page.goto(`${BASE}/campaigns`);
  await expect(page.getByRole("row", { name: /Spring hello/ })).toContainText("Sending");
  await page.screenshot({ path: `${SCREENS}/list.png`, fullPage: true });
});
