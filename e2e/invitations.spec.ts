// Owners invite people by email; the invited person joins through the link in the email. A real
// SMTP server runs in this test process and a second dashboard is started against it on a database
// of its own, behind a (pretend) proxy it trusts (TRUST_PROXY=1) and with a small upload quota.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { expect, signIn, signOut, test } from "./fixtures";

const PORT = 3194;
const SMTP_PORT = 2527;
const BASE = `http://localhost:${PORT}`;
const DIR = path.resolve(".data/e2e/invite-pglite");
const OWNER = { email: "invite-owner@example.com", password: "invite shop owner 1" };
const OTHER = { email: "other-owner@example.com", password: "other shop owner 1" };

test.use({ baseURL: BASE });

const inbox: { to: string; raw: string }[] = [];
let smtp: SMTPServer;
let server: ChildProcess;

function createShop(env: NodeJS.ProcessEnv, name: string, who: { email: string; password: string }) {
  const created = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", "shop", "create", "--name", name, "--owner-email", who.email, "--owner-password", who.password, "--json"], { env, encoding: "utf8" });
  expect(created.status, created.stderr).toBe(0);
}

test.beforeAll(async () => {
  test.setTimeout(180_000); // two shops through the command, then a server start
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (d: Buffer) => (raw += d.toString()));
      stream.on("end", () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(SMTP_PORT, "127.0.0.1", resolve));

  fs.rmSync(DIR, { recursive: true, force: true });
  const env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: DIR };
  createShop(env, "Invite Shop", OWNER);
  createShop(env, "Other Shop", OTHER);

  server = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], {
    env: { ...env, SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`, APP_URL: BASE, MAIL_FROM: "Regulars <no-reply@example.com>", TRUST_PROXY: "1", UPLOAD_QUOTA_MB: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (d: Buffer) => d.toString().includes("database ready") && resolve());
    server.on("exit", (code) => reject(new Error(`dashboard exited with ${code}`)));
  });
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

const decodeQuotedPrintable = (s: string) => s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** The latest email to `to`, decoded, and the invitation link in it. */
async function mailTo(to: string) {
  await expect.poll(() => inbox.filter((m) => m.to === to).length, { timeout: 15_000 }).toBeGreaterThan(0);
  const text = decodeQuotedPrintable(inbox.filter((m) => m.to === to).at(-1)!.raw);
  const link = text.match(/http:\/\/localhost:3194\/invite\/[A-Za-z0-9_-]{43}/)?.[0];
  expect(link, text).toBeTruthy();
  return { text, link: link! };
}

test("an owner invites by email; a new person and a person with an account join through the link", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  const form = page.getByRole("form", { name: "Invite a member" });

  const invite = async (email: string, role: "viewer" | "owner") => {
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption(role);
    await form.getByRole("button", { name: "Send invitation" }).click();
    const notice = form.getByRole("status");
    await expect(notice).toContainText(email);
    return (await notice.innerText()).replace(email, "EMAIL");
  };
  // The owner cannot tell from the answer whether the address has an account.
  const forNew = await invite("new-barista@example.com", "viewer");
  const forExisting = await invite(OTHER.email, "owner");
  expect(forNew).toBe("Invitation sent to EMAIL.");
  expect(forExisting).toBe(forNew);
  const pending = page.getByRole("list", { name: "Pending invitations" });
  await expect(pending.getByRole("listitem")).toHaveCount(2);
  await expect(pending).toContainText("new-barista@example.com");

  const { text, link: newLink } = await mailTo("new-barista@example.com");
  expect(text).toContain(`${OWNER.email} invites you to the Regulars dashboard of Invite Shop, as a viewer`);

  // A new person: name and password, and they are in, as a viewer.
  const barista = await browser.newContext();
  const joiner = await barista.newPage();
  await joiner.goto(newLink);
  await expect(joiner.getByRole("heading", { name: "Join Invite Shop" })).toBeVisible();
  await joiner.getByLabel("Your name").fill("Bea");
  await joiner.getByLabel("Choose a password").fill("short");
  await joiner.getByRole("button", { name: "Create account and join" }).click();
  await expect(joiner.getByLabel("Choose a password")).toHaveAccessibleDescription(/Use at least 10 characters\./);
  await joiner.getByLabel("Choose a password").fill("espresso every morning");
  await joiner.getByRole("button", { name: "Create account and join" }).click();
  await expect(joiner.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(joiner.getByText("Invite Shop")).toBeVisible();
  await expect(joiner.getByText("viewer", { exact: true })).toBeVisible();
  await barista.close();

  // The link worked once.
  const again = await page.request.get(newLink);
  expect(again.status()).toBe(404);
  const used = await browser.newPage();
  await used.goto(newLink);
  await expect(used.getByRole("heading", { name: "This invitation is not valid" })).toBeVisible();
  await used.close();

  // A person with an account signs in first, then joins; the new shop becomes their current one.
  const { link: otherLink } = await mailTo(OTHER.email);
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await other.goto(otherLink);
  await other.getByRole("link", { name: `Sign in as ${OTHER.email} to accept` }).click();
  await other.getByLabel("Email").first().fill(OTHER.email);
  await other.getByLabel("Password").fill(OTHER.password);
  await other.getByRole("button", { name: "Sign in" }).click();
  await other.getByRole("button", { name: "Join Invite Shop" }).click();
  await expect(other.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(other.getByRole("combobox", { name: "Shop" }).locator("option:checked")).toHaveText("Invite Shop");
  await otherContext.close();

  // Both are members now; a withdrawn invitation's link finds nothing.
  await page.reload();
  await expect(page.getByText("new-barista@example.com")).toBeVisible();
  await expect(page.getByRole("list", { name: "Pending invitations" })).toHaveCount(0);
  await invite("changed-mind@example.com", "viewer");
  const { link: withdrawn } = await mailTo("changed-mind@example.com");
  await page.getByRole("button", { name: "Withdraw the invitation to changed-mind@example.com" }).click();
  await expect(page.getByRole("list", { name: "Pending invitations" })).toHaveCount(0);
  expect((await page.request.get(withdrawn)).status()).toBe(404);
  await signOut(page);
});

test("behind a trusted proxy, the address the proxy saw counts for the sign-in limit", async ({ page }) => {
  const tryAs = async (address: string, password: string) => {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": `6.6.6.6, ${address}` });
    await signIn(page, OWNER.email, password);
  };
  for (let i = 0; i < 5; i++) {
    await tryAs("198.51.100.7", `wrong ${i}`);
    await expect(page.locator('p[role="alert"]')).toHaveText("Email or password is not right.");
  }
  await tryAs("198.51.100.7", OWNER.password);
  await expect(page.locator('p[role="alert"]')).toHaveText("Too many failed sign-in attempts. Wait 15 minutes and try again.");
  await tryAs("198.51.100.8", OWNER.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
});

test("a shop's stored uploads are limited by its quota, with a message saying what to do", async ({ page }) => {
  await signIn(page, OTHER.email, OTHER.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const file = `email\n${"someone@example.com\n".repeat(35_000)}`; // about 700 KB
  const first = await page.request.post("/api/imports/uploads", { headers: { "x-file-name": "a.csv" }, data: file });
  expect(first.status()).toBe(201);
  const second = await page.request.post("/api/imports/uploads", { headers: { "x-file-name": "b.csv" }, data: file });
  expect(second.status()).toBe(507);
  expect(second.headers()["content-type"]).toContain("application/problem+json");
  expect((await second.json()).detail).toMatch(/^This shop already keeps 0\.7 MB of uploaded files waiting for import, and may keep 1 MB\. Import or discard .* raise UPLOAD_QUOTA_MB\.$/);
});
