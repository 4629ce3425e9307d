// With SMTP_URL set, an existing member can sign in with a link by email. A real SMTP server runs
// in this test process; a second dashboard is started against it on a database of its own.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { expect, test } from "./fixtures";

const PORT = 3193;
const SMTP_PORT = 2526;
const DIR = path.resolve(".data/e2e/magic-pglite");
const OWNER = { email: "magic-owner@example.com", password: "magic link owner 1" };

const inbox: { to: string; raw: string }[] = [];
let smtp: SMTPServer;
let server: ChildProcess;

test.beforeAll(async () => {
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
  const created = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", "shop", "create", "--name", "Magic Shop", "--owner-email", OWNER.email, "--owner-password", OWNER.password, "--json"], { env, encoding: "utf8" });
  expect(created.status, created.stderr).toBe(0);

  server = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(PORT)], {
    env: { ...env, SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`, APP_URL: `http://localhost:${PORT}`, MAIL_FROM: "Regulars <no-reply@example.com>" },
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

test("a member signs in with the link from their email; an unknown address gets no mail", async ({ page }) => {
  await page.goto(`http://localhost:${PORT}/login`);
  await page.getByLabel("Or get a sign-in link by email").fill("stranger@example.com");
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  await page.goto(`http://localhost:${PORT}/login`);
  await page.getByLabel("Or get a sign-in link by email").fill(OWNER.email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  await expect.poll(() => inbox.length, { timeout: 15_000 }).toBe(1);
  expect(inbox[0]!.to).toBe(OWNER.email);
  const link = decodeQuotedPrintable(inbox[0]!.raw).match(/http:\/\/localhost:3193\/api\/auth\/callback\/nodemailer\?[^\s"<>]+/)?.[0];
  expect(link).toBeTruthy();

  await page.goto(link!.replace(/&amp;/g, "&"));
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("Magic Shop")).toBeVisible();
});
