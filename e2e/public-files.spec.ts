// The files a self-hosted dashboard serves from public/: its icon, and a robots.txt that keeps
// crawlers out of the dashboard and the customers' token pages. Served by the production build to
// anyone, signed in or not, without passing through the proxy.
import { expect, test } from "./fixtures";

test("robots.txt keeps crawlers out of the dashboard and the token pages", async ({ request }) => {
  const response = await request.get("/robots.txt");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^text\/plain/);
  const lines = (await response.text()).split("\n").map((l) => l.trim());
  expect(lines).toContain("User-agent: *");
  for (const path of ["/p/", "/u/", "/s/", "/"]) expect(lines).toContain(`Disallow: ${path}`);
  // A static file: no per-request nonce policy from the proxy, the fixed headers from next.config.
  expect(response.headers()["content-security-policy"]).toBeUndefined();
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the icon is served and named by every page, which also asks not to be indexed", async ({ request, page }) => {
  const svg = await request.get("/icon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
  expect(await svg.text()).toContain("<svg");

  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
  expect([...(await ico.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]); // the ICO file signature

  await page.goto("/login");
  await expect(page.locator('link[rel="icon"][href^="/icon.svg"]')).toHaveCount(1);
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, nofollow");
});
