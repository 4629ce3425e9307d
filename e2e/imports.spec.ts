import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { writeOrdersCsv } from "../scripts/bench/import";
import { expect, test, signUp } from "./fixtures";

const CUSTOMERS = [
  "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Religion,Loyalty tier",
  "C1,Ann,Lee,ann@example.com,yes,x,gold",
  "C2,Bob,Ray,bob@example.com,no,,",
  "C3,Cy,Oh,not-an-email,yes,,",
].join("\n");

test("an owner imports customers and orders through the page, follows progress and fixes the rejected rows", async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page, "Import Shop", `importer-${randomBytes(4).toString("hex")}@example.com`, "import all the things");

  await page.getByRole("link", { name: "Imports" }).click();
  await expect(page.getByRole("heading", { name: "No imports yet" })).toBeVisible();
  await page.getByRole("radio", { name: /Customers/ }).check();
  await expect(page.getByText("Consent is created only from an explicit column")).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(CUSTOMERS) });
  await page.getByRole("button", { name: "Upload and preview" }).click();

  await expect(page.getByRole("heading", { name: "Check the import" })).toBeVisible();
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue("email");
  await expect(page.getByLabel("Loyalty tier")).toHaveValue("");
  await expect(page.getByRole("row", { name: /Religion/ })).toContainText("sensitive category: never stored");
  await expect(page.getByText('"Accepts Email Marketing" = yes grants email marketing consent')).toBeVisible();
  await page.getByRole("button", { name: "Start import" }).click();

  await expect(page.getByText("customers.csv: 2 new, 0 updated (0 unchanged), 1 rejected of 3 rows.")).toBeVisible();
  await expect(page.getByText('Row 4, Email: "not-an-email" is not an email address.')).toBeVisible();
  await expect(page.getByText("Ignored, not stored: “Religion” (sensitive category), “Loyalty tier”.")).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the rejected rows (CSV with an error column)" }).click();
  const file = await (await download).path();
  const rejected = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  expect(rejected.split(/\r?\n/)).toEqual([
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Religion,Loyalty tier,error",
    'C3,Cy,Oh,not-an-email,yes,,,"row 4, Email: ""not-an-email"" is not an email address."',
  ]);

  // The owner fixes the row and imports the corrected file.
  const fixed = rejected.replace("not-an-email", "cy@example.com");
  await page.getByLabel("CSV file").setInputFiles({ name: "customers-fixed.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
  await page.getByRole("button", { name: "Upload and preview" }).click();
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page.getByText("customers-fixed.csv: 1 new, 0 updated (0 unchanged), 0 rejected of 1 rows.")).toBeVisible();

  // A larger orders file: the progress bar shows while it runs.
  const ordersFile = path.resolve(".data/e2e/orders-30000.csv");
  if (!fs.existsSync(ordersFile)) await writeOrdersCsv(ordersFile, 30_000);
  await page.getByRole("radio", { name: /Orders/ }).check();
  await page.getByLabel("CSV file").setInputFiles(ordersFile);
  await page.getByRole("button", { name: "Upload and preview" }).click();
  await expect(page.getByLabel("order_id")).toHaveValue("orderId");
  await page.getByRole("button", { name: "Start import" }).click();
  await expect(page.getByRole("progressbar", { name: /Importing orders-30000.csv/ })).toBeVisible();
  await expect(page.getByText(/orders-30000\.csv: [\d,]+ new, 0 updated \(0 unchanged\), 0 rejected of 30,000 rows\./)).toBeVisible({ timeout: 120_000 });

  const history = page.getByRole("table", { name: "Import history" });
  await expect(history.getByRole("row")).toHaveCount(4);
  await expect(history).toContainText("orders-30000.csv");

  await page.getByRole("link", { name: "Customers" }).first().click();
  await page.getByRole("searchbox", { name: "Search customers" }).fill("cy@example.com");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("link", { name: "Cy Oh" })).toBeVisible();
  await page.getByRole("searchbox", { name: "Search customers" }).fill("c17@example.com");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("1 matching “c17@example.com”")).toBeVisible();
});
