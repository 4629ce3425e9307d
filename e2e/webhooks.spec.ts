import { createHmac, randomBytes } from "node:crypto";
import { expect, signUp, test } from "./fixtures";

const SCREENS = ".data/screens/webhooks";
const sign = (secret: string, id: string, ts: number, body: string) =>
  `v1,${createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64")).update(`${id}.${ts}.${body}`).digest("base64")}`;

test("a shop's store posts a signed webhook and the owner sees the delivery in Settings", async ({ page, request }) => {
  test.setTimeout(120_000);
  await signUp(page, "Webhook Shop", `webhook-${randomBytes(4).toString("hex")}@example.com`, "webhook shop password");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByText("No delivery received yet.")).toBeVisible();
  const endpoint = (await page.getByLabel("Webhook endpoint", { exact: true }).innerText()).trim();
  expect(endpoint).toMatch(/\/api\/webhooks\/[0-9a-f-]{36}$/);
  const path = new URL(endpoint).pathname;

  await page.getByRole("button", { name: "Rotate secret" }).click();
  const secret = (await page.getByLabel("New webhook secret").innerText()).trim();
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByLabel("Active webhook secrets").getByRole("listitem")).toHaveCount(2); // the previous one in its grace period

  const body = JSON.stringify({ type: "customer.created", timestamp: new Date().toISOString(), data: { externalId: "W1", email: "wendy@example.com", firstName: "Wendy" } });
  const id = `msg_${randomBytes(6).toString("hex")}`;
  const ts = Math.floor(Date.now() / 1000);
  const headers = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sign(secret, id, ts, body) };

  const bad = await request.post(path, { headers: { ...headers, "webhook-signature": sign(`whsec_${randomBytes(24).toString("base64")}`, id, ts, body) }, data: body });
  expect(bad.status()).toBe(401);
  expect(bad.headers()["content-type"]).toContain("application/problem+json");
  const unknownShop = await request.post("/api/webhooks/00000000-0000-4000-8000-000000000000", { headers, data: body });
  expect(unknownShop.status()).toBe(401);
  expect(await unknownShop.json()).toEqual(await bad.json());
  expect((await request.post(path, { headers: { ...headers, "content-type": "text/plain" }, data: body })).status()).toBe(415);

  const accepted = await request.post(path, { headers, data: body });
  expect(accepted.status()).toBe(202);
  const again = await request.post(path, { headers, data: body });
  expect(again.status()).toBe(200);
  expect((await again.json()).status).toBe("duplicate");

  await page.reload();
  const deliveries = page.getByRole("table", { name: "Latest webhook deliveries" });
  await expect(deliveries.getByRole("row", { name: new RegExp(`customer\\.created.*accepted.*${id}`) })).toBeVisible();
  await expect(page.getByLabel("New webhook secret")).toHaveCount(0); // shown once
  await page.getByRole("link", { name: "Customers" }).first().click();
  await expect(page.getByText("wendy@example.com")).toBeVisible();

  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("button", { name: "Switch on Abandoned-cart reminder" }).click();
  await expect(page.getByRole("button", { name: "Switch off Abandoned-cart reminder" })).toBeVisible();
  await page.locator("#webhook").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/settings.png`, fullPage: true });
});
