// The owner reads what a campaign did: they send a campaign with a holdout to the demo shop (the
// demo's past campaigns held no one out), some customers of both arms buy afterwards and one
// recipient opts out; the campaign page's Results section shows each arm's conversion rate with
// its interval, the power statement and the opt-out rate; its fairness report shows who the
// messages reached by group. Sending needs the worker as a process of its own, so this dashboard
// runs on a Postgres database of its own (as e2e/campaigns.spec.ts does).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import postgres from "postgres";
import { startSmtpInbox, type SmtpInbox } from "../test/smtp-inbox";
import { expect, test } from "./fixtures";

const PORT = 3196;
const BASE = `http://localhost:${PORT}`;
const ADMIN_URL = process.env.E2E_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB = `regulars_e2e_results_${randomBytes(3).toString("hex")}`;
const SCREENS = ".data/screens/campaign-results";

let inbox: SmtpInbox;
let server: ChildProcess;
let login: { owner: { email: string; password: string } };
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

/** The 95 % Wilson score interval, written out here from Wilson (1927) rather than taken from lib/. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const denominator = 1 + (z * z) / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [(centre - spread) / denominator, (centre + spread) / denominator];
}
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  inbox = await startSmtpInbox();
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${DB}`);
  await admin.end();
  const loaded = spawnSync(process.execPath, ["scripts/regulars.mjs", "demo", "--no-serve", "--customers", "400", "--json"], { env: env(), encoding: "utf8", timeout: 180_000 });
  expect(loaded.status, loaded.stderr).toBe(0);
  login = JSON.parse(loaded.stdout).login;
  // No quiet hours, so the worker's one pass sends every message whatever the hour the test runs at.
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

test("an owner reads a campaign's results against its holdout and its fairness report", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, login.owner.email, login.owner.password);

  await page.goto(`${BASE}/campaigns/new`);
  await page.getByLabel("Name", { exact: true }).fill("Autumn results");
  const options = await page.getByLabel("Segment").locator("option").evaluateAll((os) =>
    os.map((o) => ({ value: (o as HTMLOptionElement).value, size: Number(/\((\d+) customers\)/.exec(o.textContent ?? "")?.[1] ?? -1) })));
  await page.getByLabel("Segment").selectOption(options.filter((o) => o.value).sort((a, b) => b.size - a.size)[0]!.value);
  await page.getByLabel("Holdout (%)").fill("30");
  await page.getByLabel("Subject").fill("Autumn is here, {{first_name | friend}}");
  await page.getByRole("textbox", { name: "Message", exact: true }).fill("Hi {{first_name | there}}, the autumn range is in.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { name: /Autumn results/ })).toBeVisible();
  const campaignUrl = page.url();
  const campaignId = campaignUrl.split("/").pop()!;
  await page.getByRole("button", { name: "Approve and send" }).click();
  await expect(page.getByText("Approved.")).toBeVisible();

  const worker = await runCommand(["scripts/regulars.mjs", "worker", "--once", "--json"]);
  expect(worker.status, worker.stderr).toBe(0);
  const ours = inbox.mails.filter((m) => m.raw.includes("Autumn is here,"));
  expect(ours.length).toBeGreaterThan(2);

  // After the messages went out, a fifth of the holdout and two fifths of the recipients buy
  // (orders from the shop's store, as its webhook or an import would add them).
  const sql = postgres(databaseUrl(), { max: 1, onnotice: () => {} });
  const holdout = await sql<{ id: string; shop_id: string }[]>`select d.customer_id as id, d.shop_id from campaign_decisions d join campaign_runs r on r.id = d.run_id
     where r.campaign_id = ${campaignId} and d.outcome = 'holdout' order by d.customer_id`;
  const reached = await sql<{ id: string; shop_id: string }[]>`select customer_id as id, shop_id from sends
     where campaign_id = ${campaignId} and status in ('sent', 'delivered') order by customer_id`;
  expect(holdout.length).toBeGreaterThanOrEqual(10);
  const holdoutBuyers = holdout.slice(0, Math.ceil(holdout.length / 5));
  const reachedBuyers = reached.slice(0, Math.ceil((2 * reached.length) / 5));
  for (const [i, c] of [...holdoutBuyers, ...reachedBuyers].entries()) {
    await sql`insert into orders (shop_id, customer_id, external_id, placed_at, total_minor, currency)
              values (${c.shop_id}, ${c.id}, ${`e2e-results-${i}`}, now(), ${2500 + 100 * (i % 7)}, 'EUR')`;
  }
  const [past] = await sql<{ id: string }[]>`select k.id from campaigns k where k.id <> ${campaignId}
     and not exists (select 1 from campaign_runs r where r.campaign_id = k.id) order by k.created_at limit 1`;
  const pastCampaignId = past!.id;
  await sql.end();

  // One recipient opts out with their mail app's one-click button.
  const unsubscribe = ours[0]!.header("list-unsubscribe")!.match(/^<(.+)>$/)![1]!;
  expect((await page.request.post(unsubscribe, { form: { "List-Unsubscribe": "One-Click" } })).status()).toBe(200);

  await page.goto(campaignUrl);
  const results = page.getByRole("region", { name: "Results" });
  await expect(results.getByRole("heading", { name: "Results" })).toBeVisible();
  await expect(results.getByText("Attribution window:")).toContainText("5 days");
  await expect(page.getByTestId("results-status")).toContainText("Still measuring");

  // The holdout's row: its customers, those who bought, and the rate with its interval.
  const holdoutRow = page.getByTestId("results-arm-holdout");
  await expect(holdoutRow.locator("td").nth(0)).toHaveText(String(holdout.length));
  await expect(holdoutRow.locator("td").nth(1)).toHaveText(String(holdoutBuyers.length));
  const [low, high] = wilson(holdoutBuyers.length, holdout.length);
  await expect(holdoutRow.locator("td").nth(2)).toHaveText(`${pct(holdoutBuyers.length / holdout.length)} (${pct(low)} to ${pct(high)})`);
  const variantRow = page.getByTestId("results-arm-A");
  await expect(variantRow.locator("td").nth(0)).toHaveText(String(reached.length));
  await expect(variantRow.locator("td").nth(1)).toHaveText(String(reachedBuyers.length));

  // The lift with its interval, the power statement, and a verdict that never names a winner without significance.
  const comparison = page.getByTestId("results-comparison-A");
  await expect(comparison.getByText("Absolute lift")).toBeVisible();
  await expect(comparison).toContainText(/95 % interval [+−]?\d+\.\d pp to [+−]?\d+\.\d pp/);
  await expect(page.getByTestId("results-power").first()).toContainText("With these numbers a lift smaller than");
  await expect(page.getByTestId("results-verdict")).toHaveText(/^(No winner yet: no variant is significantly better than the holdout\.|Variant A converted more customers than the holdout\.)$/);
  await expect(page.getByTestId("results-srm")).toContainText(/Split as asked|Not enough data yet|Mismatch/);
  await expect(page.getByTestId("optout-A")).toContainText(`1 of ${reached.length} delivered opted out`);
  await page.getByText("How is this computed?").first().click();
  await expect(page.getByText(/delta method/)).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/campaign.png`, fullPage: true });

  // Its fairness report: the groups it reached against the consenting customers.
  await page.getByRole("link", { name: "Fairness and contact burden" }).click();
  await expect(page.getByRole("heading", { name: "Fairness and contact burden" })).toBeVisible();
  await expect(page.getByText(/Who “Autumn results” reached in/)).toBeVisible();
  await expect(page.getByTestId("fairness-total-messages")).toHaveText(String(reached.length));
  const byLanguage = page.getByRole("table", { name: "Share of messages and of customers by language" });
  await expect(byLanguage).toBeVisible();
  await expect(byLanguage.getByRole("rowheader", { name: /English \(United Kingdom\) \(en-GB\)/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Share of messages and of customers by lifecycle" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Messages per customer" })).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/fairness.png`, fullPage: true });

  // The metrics page links to it too; an unknown campaign is said to be unknown.
  await page.goto(`${BASE}/metrics`);
  await page.getByRole("link", { name: "Fairness and contact burden" }).click();
  await expect(page.getByText(/Who your campaigns reached in/)).toBeVisible();
  await page.goto(`${BASE}/metrics/fairness?campaign=00000000-0000-4000-8000-000000000000`);
  await expect(page.getByRole("heading", { name: "Campaign not found" })).toBeVisible();

  // A demo campaign sent before campaigns held anyone out has nothing to compare: it says so, with no NaN anywhere.
  await page.goto(`${BASE}/campaigns/${pastCampaignId}`);
  await expect(page.getByRole("region", { name: "Results" })).toContainText("Not enough data yet: no customer has been measured for this campaign.");
  await expect(page.getByRole("region", { name: "Results" })).not.toContainText("NaN");
});
