import fs from "node:fs";
import { expect, test as base, type Page } from "@playwright/test";

export interface DemoInfo {
  shopId: string;
  login: { owner: { email: string; password: string }; viewer: { email: string; password: string } };
  summary: {
    customers: number;
    orders: number;
    revenueMinor: number;
    windows: { days: number; orders: number; revenueMinor: number; activeCustomers: number; newCustomers: number }[];
  };
  sampleCustomer: { id: string; email: string; name: string; orders: number };
}

export const demo: DemoInfo = JSON.parse(fs.readFileSync(".data/e2e/demo.json", "utf8"));

export const count = (n: number) => new Intl.NumberFormat("en-GB").format(n);
export const euros = (minor: number) => new Intl.NumberFormat("en-GB", { style: "currency", currency: "EUR" }).format(minor / 100);

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").first().fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

export const test = base;
export { expect };
