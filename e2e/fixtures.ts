import fs from "node:fs";
import { expect, test as base, type Page } from "@playwright/test";
import { generateDemoData, summarizeDemoData, type DemoSummary } from "../lib/demo/generate-demo-data";

export interface DemoInfo {
  shopId: string;
  login: { owner: { email: string; password: string }; viewer: { email: string; password: string } };
  generation: { seed: string; generatedAt: string; customers: number };
  sampleCustomer: { id: string; email: string; name: string; orders: number };
}

export const demo: DemoInfo = JSON.parse(fs.readFileSync(".data/e2e/demo.json", "utf8"));

/**
 * The overview's expected figures, recomputed from the regenerated demo data at the moment of the
 * check, so a window boundary that moved since the data was loaded cannot make a test flaky.
 */
export function expectedSummary(): DemoSummary {
  const { seed, generatedAt, customers } = demo.generation;
  return summarizeDemoData(generateDemoData({ seed, now: new Date(generatedAt), customers }), new Date());
}

export const count = (n: number) => new Intl.NumberFormat("en-GB").format(n);
export const euros = (minor: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(minor / 100);

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").first().fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signUp(page: Page, shop: string, email: string, password: string) {
  await page.goto("/signup");
  await page.getByLabel("Shop name").fill(shop);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create shop" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

export const test = base;
export { expect };
