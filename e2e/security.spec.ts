// What the production build answers to people and programs who should not get through: not-found
// addresses, requests without a session, from another site, with junk in them, with an ended
// session's cookie, and guessing passwords behind forged forwarding headers.
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { APIResponse, Page } from "@playwright/test";
import { demo, expect, signIn, signOut, signUp, test } from "./fixtures";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const fresh = (who: string) => `${who}-${randomBytes(4).toString("hex")}@example.com`;

async function expectProblem(response: APIResponse, status: number, detail?: RegExp) {
  expect(response.status(), `${response.url()} answered ${response.status()}: ${await response.text()}`).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
  const body = await response.json();
  expect(body.status).toBe(status);
  if (detail) expect(body.detail).toMatch(detail);
  return body as { detail: string; errors: { field: string; message: string }[] };
}

/** Creates an API key in Settings and returns it. */
async function createApiKey(page: Page) {
  await page.goto("/settings");
  await page.getByLabel("Key name").fill("Junk tester");
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByLabel("New API key").innerText()).trim();
}

/** Streams a body with chunked encoding (no Content-Length) and answers the status and body. */
function postChunked(path: string, headers: Record<string, string>, chunks: number, chunk: string) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    let sent = 0;
    const request = http.request({ host: "127.0.0.1", port: PORT, path, method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (response) => {
      let body = "";
      response.on("data", (d: Buffer) => (body += d.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, sent }));
    });
    request.on("error", (e) => (sent > 0 ? undefined : reject(e)));
    const write = () => {
      while (sent < chunks) {
        sent += 1;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      request.end();
    };
    write();
  });
}

test("not-found addresses answer 404, signed in or not", async ({ page, request }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  for (const path of [`/customers/${randomUUID()}`, "/customers/not-an-id", `/segments/${randomUUID()}`, `/segments/${randomUUID()}/edit`, `/imports/new?upload=${randomUUID()}`, "/no-such-page"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
  expect((await page.request.get(`/customers/${demo.sampleCustomer.id}`)).status()).toBe(200);
  expect((await request.get("/no-such-page/at-all")).status()).toBe(404);
});

/**
 * Every route handler under app/api with the methods it exports, read from the source, so a route
 * added later is in the test below without anyone remembering it. Left out: sign-in itself, the
 * public API description, inbound webhooks (signed; their own tests) and the catch-all 404.
 */
function apiRoutes(): [string, string][] {
  const root = path.join(process.cwd(), "app/api");
  const open = new Set(["auth/[...nextauth]", "v1/openapi.json", "webhooks/[shopId]", "[...path]"]);
  const routes: [string, string][] = [];
  for (const file of fs.readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (path.basename(file) !== "route.ts") continue;
    const dir = path.dirname(file).split(path.sep).join("/");
    if (open.has(dir)) continue;
    const url = "/api/" + dir.replace(/\[[^\]]+\]/g, () => randomUUID());
    const source = fs.readFileSync(path.join(root, file), "utf8");
    for (const [, method] of source.matchAll(/export (?:async function|const) (GET|POST|PUT|PATCH|DELETE)\b/g)) routes.push([method!, url]);
  }
  return routes;
}

test("API routes answer 401 problem+json without a session, never a redirect or a page", async ({ request }) => {
  const routes = apiRoutes();
  // The reading of the source found them: the API's own and the dashboard's.
  expect(routes.map(([m, p]) => `${m} ${p.replace(/[0-9a-f-]{36}/g, ":id")}`)).toEqual(expect.arrayContaining([
    "GET /api/consent/export", "GET /api/customers/:id/export", "POST /api/imports/uploads", "POST /api/v1/suppressions", "POST /api/v1/orders",
  ]));
  for (const [method, url] of routes) {
    await expectProblem(await request.fetch(url, { method, maxRedirects: 0, headers: { "content-type": "application/json" }, data: "{}" }), 401);
  }
  // A stale or forged session cookie is no session.
  const forged = await request.get("/api/segments/refresh", { maxRedirects: 0, headers: { cookie: "authjs.session-token=forged" } });
  await expectProblem(forged, 401, /Sign in first/);
  await expectProblem(await request.get("/api/no-such-endpoint"), 404, /no API endpoint at this address/);
});

test("cookie-authenticated API routes refuse requests from another site", async ({ page }) => {
  await signIn(page, demo.login.owner.email, demo.login.owner.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const segment = { name: "Probe", rules: { match: "all", conditions: [{ field: "orderCount", op: "gte", value: 1 }] } };
  const fromEvil = await page.request.post("/api/segments/preview", { headers: { origin: "https://evil.example" }, data: segment });
  await expectProblem(fromEvil, 403, /Cross-site request refused: the request comes from https:\/\/evil\.example/);
  const crossSite = await page.request.post("/api/segments/refresh", { headers: { "sec-fetch-site": "cross-site" } });
  await expectProblem(crossSite, 403, /Sec-Fetch-Site is cross-site/);
  const upload = await page.request.post("/api/imports/uploads", { headers: { origin: "null", "x-file-name": "x.csv" }, data: "email\nx@example.com\n" });
  await expectProblem(upload, 403);

  // The dashboard's own pages get through, and reads are never cached.
  const own = await page.evaluate(async (body) => {
    const r = await fetch("/api/segments/preview", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: r.status, cache: r.headers.get("cache-control") };
  }, segment);
  expect(own).toEqual({ status: 200, cache: "no-store" });
  expect((await page.request.get("/api/segments/refresh")).headers()["cache-control"]).toBe("no-store");
});

test("junk at every API route is a 4xx problem naming what is wrong, never a 500", async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page, "Junk Shop", fresh("junk"), "junk shop password");
  const key = await createApiKey(page);
  const auth = { authorization: `Bearer ${key}` };
  const customer = await page.request.post("/api/v1/customers", { headers: auth, data: { externalId: "J1", email: "j1@example.com" } });
  expect(customer.status()).toBe(201);
  const { id } = await customer.json();

  // Personal data is never cached.
  for (const path of ["/api/v1/customers", `/api/v1/customers/${id}`]) {
    expect((await page.request.get(path, { headers: auth })).headers()["cache-control"]).toBe("no-store");
  }

  const v1 = [
    ["GET", "/api/v1/customers"],
    ["GET", `/api/v1/customers/${id}`],
    ["POST", "/api/v1/customers"],
    ["POST", "/api/v1/orders"],
    ["POST", "/api/v1/events"],
    ["POST", "/api/v1/spend"],
  ] as const;
  const badAuthorizations = ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer rk_short", `Bearer ${key} extra`, `Bearer ${key}x`, `bearer ${"x".repeat(8000)}`, `Token ${key}`];
  for (const [method, path] of v1) {
    for (const authorization of badAuthorizations) {
      await expectProblem(await page.request.fetch(path, { method, headers: { authorization, "content-type": "application/json" }, data: "{}" }), 401, /Send a valid API key/);
    }
  }

  const posts = {
    "/api/v1/customers": { externalId: "J2", email: "j2@example.com" },
    "/api/v1/orders": { externalId: "JO-1", customerExternalId: "J1", placedAt: "2026-03-01T10:00:00Z", total: "5.00", currency: "EUR" },
    "/api/v1/events": { events: [{ type: "product.viewed", customerExternalId: "J1", occurredAt: "2026-03-01T10:00:00Z" }] },
    "/api/v1/spend": { month: "2026-03", channel: "search", amount: 10 },
  } as const;
  const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
  for (const [path, good] of Object.entries(posts)) {
    for (const contentType of ["text/plain", "application/jsonx", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "", "json"]) {
      await expectProblem(await page.request.post(path, { headers: { ...auth, "content-type": contentType }, data: JSON.stringify(good) }), 415, /Content-Type: application\/json/);
    }
    for (const body of ["", "{", "[]", "null", "1e309", '"text"', "{\"a\":1}}", deep, "\u0000"]) {
      const response = await page.request.post(path, { headers: { ...auth, "content-type": "application/json" }, data: body });
      expect(response.status(), `${path} with ${body.slice(0, 20)}`).toBe(400);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
    }
    const unknown = await expectProblem(await page.request.post(path, { headers: auth, data: { ...good, isAdmin: true } }), 400);
    expect(unknown.errors).toContainEqual({ field: "isAdmin", message: "unknown field; remove it" });
    for (const idempotencyKey of ["has space", "x".repeat(201), "tab\there"]) {
      const response = await page.request.post(path, { headers: { ...auth, "idempotency-key": idempotencyKey }, data: good });
      const problem = await expectProblem(response, 400, /Idempotency-Key must be 1 to 200 visible ASCII characters/);
      expect(problem.errors[0]?.field).toBe("Idempotency-Key");
    }
  }
  const nestedUnknown = await page.request.post("/api/v1/orders", { headers: auth, data: { ...posts["/api/v1/orders"], items: [{ name: "x", quantity: 1, price: 1, colour: "red" }] } });
  expect((await expectProblem(nestedUnknown, 400)).errors).toContainEqual({ field: "items.0.colour", message: "unknown field; remove it" });
  for (const query of ["limit=0", "limit=abc", "limit=1e3", "cursor=%00%01", "cursor=not-ours"]) {
    await expectProblem(await page.request.get(`/api/v1/customers?${query}`, { headers: auth }), 400);
  }
  for (const bad of ["not-an-id", "00000000-0000-0000-0000-000000000000", "..%2F..%2Fetc"]) {
    await expectProblem(await page.request.get(`/api/v1/customers/${bad}`, { headers: auth }), 404);
  }

  // A body streamed without Content-Length is cut off at 1 MiB, not read to its end.
  const chunked = await postChunked("/api/v1/events", { ...auth, "content-type": "application/json" }, 4096, "x".repeat(1024));
  expect(chunked.status).toBe(413);
  expect(JSON.parse(chunked.body).detail).toMatch(/larger than 1 MiB/);

  // The dashboard's own routes, signed in as the owner.
  const segment = (rules: unknown) => ({ name: "Junk", rules });
  await expectProblem(await page.request.post("/api/segments/preview", { headers: { "content-type": "text/plain" }, data: "{}" }), 415);
  for (const body of ["", "{", "null", "[]", deep]) {
    await expectProblem(await page.request.post("/api/segments/preview", { headers: { "content-type": "application/json" }, data: body }), 400);
  }
  // Written out as text: a tree this deep is more than a serializer's stack takes, not the server's.
  const nested = `{"name":"Junk","rules":${'{"match":"all","conditions":['.repeat(30_000)}{"field":"orderCount","op":"gt","value":1}${"]}".repeat(30_000)}}`;
  const deepRules = await page.request.post("/api/segments/preview", { headers: { "content-type": "application/json" }, data: nested });
  await expectProblem(deepRules, 400, /groups can be nested 3 deep at most/);
  const wide = { match: "any", conditions: Array.from({ length: 5000 }, () => ({ field: "orderCount", op: "gt", value: 1 })) };
  await expectProblem(await page.request.post("/api/segments/preview", { data: segment(wide) }), 400, /at most 30 conditions/);
  const extra = await expectProblem(await page.request.post("/api/segments/preview", { data: { ...segment({ match: "all", conditions: [{ field: "orderCount", op: "gt", value: 1, sql: "1=1" }] }), owner: "me" } }), 400);
  expect(extra.errors).toEqual([
    { field: "rule 1", message: 'Unrecognized key: "sql"' },
    { field: "owner", message: "Unknown field; remove it." },
  ]);
  for (const bad of ["not-an-id", randomUUID()]) {
    await expectProblem(await page.request.get(`/api/segments/${bad}/members`), 404);
    await expectProblem(await page.request.get(`/api/imports/${bad}/rejected`), 404);
    await expectProblem(await page.request.get(`/api/imports/jobs/${bad}`), 404);
  }
  await expectProblem(await page.request.post("/api/imports/uploads", { headers: { "x-file-name": "%E0%A4%A" }, data: "a,b\n" }), 400, /X-File-Name/);
  for (const method of ["PUT", "DELETE", "PATCH"]) {
    const response = await page.request.fetch("/api/segments/refresh", { method });
    expect(response.status(), method).toBeGreaterThanOrEqual(400);
    expect(response.status(), method).toBeLessThan(500);
  }
});

test("signing out ends the session on the server: a copy of its cookie opens nothing afterwards", async ({ page, browser }) => {
  await signUp(page, "Cookie Shop", fresh("cookie"), "cookie shop password");
  const session = (await page.context().cookies()).filter((c) => c.name.includes("authjs.session-token"));
  expect(session).toHaveLength(1);

  const replay = await browser.newContext({ baseURL: page.url() });
  await replay.addCookies(session);
  const copy = await replay.newPage();
  expect((await replay.request.get("/api/segments/refresh", { maxRedirects: 0 })).status()).toBe(200);

  await signOut(page);
  await copy.goto("/customers");
  await expect(copy).toHaveURL(/\/login/);
  await expectProblem(await replay.request.get("/api/segments/refresh", { maxRedirects: 0 }), 401);
  // Even with the very cookie copied again, not only the one the server cleared.
  await replay.clearCookies();
  await replay.addCookies(session);
  await expectProblem(await replay.request.get("/api/segments/refresh", { maxRedirects: 0 }), 401);
  await replay.close();
});

test("forged X-Forwarded-For does not get around the sign-in limit, and the owner signs in from another address meanwhile", async ({ page, browser }) => {
  const email = fresh("target");
  await signUp(page, "Target Shop", email, "the right password");
  await signOut(page);

  // The guesser connects from 127.0.0.1 and claims a new address on every try.
  const attacker = await browser.newContext({ baseURL: `http://127.0.0.1:${PORT}` });
  const guesser = await attacker.newPage();
  for (let i = 0; i < 5; i++) {
    await guesser.setExtraHTTPHeaders({ "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}` });
    await signIn(guesser, email, `wrong guess ${i}`);
    await expect(guesser.locator('p[role="alert"]')).toHaveText("Email or password is not right.");
  }
  await guesser.setExtraHTTPHeaders({ "x-forwarded-for": "203.0.113.200", "x-real-ip": "203.0.113.200", "x-regulars-peer-address": "203.0.113.200" });
  await signIn(guesser, email, "the right password");
  await expect(guesser.locator('p[role="alert"]')).toHaveText("Too many failed sign-in attempts. Wait 15 minutes and try again.");

  // The owner, at another address (::1), still gets in.
  const own = await browser.newContext({ baseURL: `http://[::1]:${PORT}` });
  const owner = await own.newPage();
  await signIn(owner, email, "the right password");
  await expect(owner.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(owner.getByText("Target Shop")).toBeVisible();
  await attacker.close();
  await own.close();
});
