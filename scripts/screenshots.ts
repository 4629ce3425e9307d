// Takes screenshots of the main pages, signed in, for looking at the product as an owner would.
// Usage: npx tsx scripts/screenshots.ts [baseUrl] [outDir] [email] [password]
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { DEMO_OWNER } from "../lib/demo/demo-accounts";

const [base = "http://localhost:3000", out = ".data/screenshots", email = DEMO_OWNER.email, password = DEMO_OWNER.password] = process.argv.slice(2);
const executablePath = fs.existsSync(chromium.executablePath()) ? undefined : "/usr/bin/chromium";
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${base}/login`);
await page.screenshot({ path: `${out}/login.png` });
await page.getByLabel("Email").first().fill(email);
await page.getByLabel("Password").fill(password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
for (const [name, path] of [["overview", "/"], ["customers", "/customers"], ["settings", "/settings"], ["segments", "/segments"], ["metrics", "/metrics"], ["segment-new", "/segments/new"]] as const) {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}
await page.goto(`${base}/segments`);
await page.getByRole("link", { name: "Champions", exact: true }).click();
await page.waitForLoadState("networkidle");
await page.screenshot({ path: `${out}/segment.png`, fullPage: true });
await page.goto(`${base}/customers?sort=orders&dir=desc`);
if (await page.locator("tbody a").count()) {
  await page.locator("tbody a").first().click();
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${out}/customer.png`, fullPage: true });
}
await browser.close();
console.log(`Screenshots in ${out}`);
