// End-to-end tests in Chromium against a production build (`next build` runs before this) serving
// a freshly loaded demo shop on its own embedded database.
import fs from "node:fs";
import { chromium, defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DIR = ".data/e2e";

function browserPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync(chromium.executablePath())) return undefined; // Playwright's own build
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error("No Chromium found for the end-to-end tests: run scripts/get-browser.sh or set CHROMIUM_PATH.");
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath: browserPath(),
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    // Load the demo shop into a fresh embedded database, keep its generated figures for the tests
    // to compare the pages against, then serve the production build.
    command: `mkdir -p ${E2E_DIR} && PGLITE_DIR=${E2E_DIR}/pglite node scripts/regulars.mjs demo --reset --no-serve --json > ${E2E_DIR}/demo.json && PGLITE_DIR=${E2E_DIR}/pglite APP_URL=http://localhost:${PORT} npx next start -p ${PORT}`,
    url: `http://localhost:${PORT}/login`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
