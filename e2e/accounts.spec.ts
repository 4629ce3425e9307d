import { randomBytes } from "node:crypto";
import { demo, expect, signIn, signOut, signUp, test } from "./fixtures";

const fresh = () => `owner-${randomBytes(4).toString("hex")}@example.com`;

test("a new owner signs up, lands on an empty shop, signs out and back in", async ({ page }) => {
  const email = fresh();
  await signUp(page, "Corner Café", email, "flat white 2026");
  await expect(page.getByText("Corner Café")).toBeVisible();
  await expect(page.getByTestId("metric-repeat-purchase-rate")).toContainText("No data yet");
  await expect(page.getByText("No orders in these months")).toBeVisible();

  // Another shop's customer is simply not there.
  await page.goto(`/customers/${demo.sampleCustomer.id}`);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByText(demo.sampleCustomer.email)).toHaveCount(0);

  await signOut(page);
  await signIn(page, email, "flat white 2026");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
});

test("sign-up explains what to fix", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Shop name").fill("Second Shop");
  await page.getByLabel("Email").fill(demo.login.owner.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create shop" }).click();
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/Use at least 10 characters\./);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create shop" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("This email is already registered. Sign in instead.");
});

test("wrong password and unknown email read the same, and repeated failures must wait", async ({ page }) => {
  const email = fresh();
  await signUp(page, "Locked Shop", email, "the right password");
  await signOut(page);

  await signIn(page, "nobody-here@example.com", "whatever it is");
  await expect(page.locator('p[role="alert"]')).toHaveText("Email or password is not right.");
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong guess ${i}`);
    await expect(page.locator('p[role="alert"]')).toHaveText("Email or password is not right.");
  }
  await signIn(page, email, "the right password");
  await expect(page.locator('p[role="alert"]')).toHaveText("Too many failed sign-in attempts. Wait 15 minutes and try again.");
});

test("a viewer can look but cannot change settings", async ({ page }) => {
  await signIn(page, demo.login.viewer.email, demo.login.viewer.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByText("You are a viewer: only an owner of this shop can change settings.")).toBeVisible();
  const name = page.getByLabel("Shop name");
  await expect(name).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save settings" })).toBeDisabled();
  const original = await name.inputValue();

  // Even a form forced back open is refused by the server.
  await page.locator('form[aria-label="Shop settings"] fieldset, form[aria-label="Shop settings"] button').evaluateAll((els) =>
    els.forEach((el) => el.removeAttribute("disabled")),
  );
  await name.fill("Renamed by a viewer");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Only an owner of this shop can change this." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Shop name")).toHaveValue(original);

  // Nor import data, by the page or by posting a file directly.
  await page.getByRole("link", { name: "Imports" }).click();
  await expect(page.getByText("Only an owner of this shop can import data.")).toBeVisible();
  await expect(page.getByLabel("CSV file")).toHaveCount(0);
  const upload = await page.request.post("/api/imports/uploads", { headers: { "x-file-name": "x.csv" }, data: "email\nx@example.com\n" });
  expect(upload.status()).toBe(403);
});

test("pages carry security headers and the session cookie is HttpOnly and SameSite", async ({ page, context }) => {
  const response = await page.goto("/login");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const session = (await context.cookies()).find((c) => c.name.includes("authjs.session-token"));
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});
