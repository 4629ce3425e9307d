import { randomBytes } from "node:crypto";
import { demo, expect, signUp, test } from "./fixtures";

test("a shop's systems use the REST API with a key made in Settings", async ({ page, request }) => {
  test.setTimeout(120_000);
  await signUp(page, "API Shop", `api-${randomBytes(4).toString("hex")}@example.com`, "api shop password");
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Key name").fill("Store sync");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByLabel("New API key").innerText()).trim();
  expect(key).toMatch(/^rk_/);
  await page.reload();
  await expect(page.getByLabel("New API key")).toHaveCount(0); // shown once
  await expect(page.getByText("Store sync")).toBeVisible();

  const auth = { authorization: `Bearer ${key}` };
  expect((await request.get("/api/v1/customers")).status()).toBe(401);
  expect((await request.get("/api/v1/customers", { headers: { authorization: "Bearer rk_not-a-real-key-at-all-000000" } })).status()).toBe(401);

  // Upsert a customer: created, then unchanged; a retried request with an Idempotency-Key has no second effect.
  const ann = { externalId: "A1", email: "Ann@Example.com", firstName: "Ann" };
  const created = await request.post("/api/v1/customers", { headers: auth, data: ann });
  expect(created.status()).toBe(201);
  const { id: annId } = await created.json();
  expect(await (await request.post("/api/v1/customers", { headers: auth, data: ann })).json()).toEqual({ id: annId, outcome: "unchanged" });
  const once = { ...auth, "idempotency-key": "k-1" };
  const first = await request.post("/api/v1/customers", { headers: once, data: { externalId: "B1", email: "bob@example.com" } });
  const retry = await request.post("/api/v1/customers", { headers: once, data: { externalId: "B1", email: "bob@example.com" } });
  expect(first.status()).toBe(201);
  expect(retry.status()).toBe(201);
  expect(retry.headers()["idempotent-replayed"]).toBe("true");
  expect(await retry.json()).toEqual(await first.json());
  expect((await request.post("/api/v1/customers", { headers: once, data: { externalId: "B2", email: "b2@example.com" } })).status()).toBe(409);

  // Cursor pagination, one customer and another shop's customer.
  const page1 = await (await request.get("/api/v1/customers?limit=1", { headers: auth })).json();
  expect(page1.data).toHaveLength(1);
  const page2 = await (await request.get(`/api/v1/customers?limit=1&cursor=${page1.nextCursor}`, { headers: auth })).json();
  expect(page2.nextCursor).toBeNull();
  expect([page1.data[0].email, page2.data[0].email].sort()).toEqual(["ann@example.com", "bob@example.com"]);
  expect((await (await request.get(`/api/v1/customers/${annId}`, { headers: auth })).json()).firstName).toBe("Ann");
  expect((await request.get(`/api/v1/customers/${demo.sampleCustomer.id}`, { headers: auth })).status()).toBe(404);

  // Orders and events; bad input names the fields.
  const order = { externalId: "W-1", customerEmail: "new@example.com", placedAt: "2026-03-01T10:00:00Z", total: "27.50", currency: "EUR", items: [{ name: "Tube", quantity: 2, price: 8.75 }, { name: "Coffee", quantity: 1, price: "10.00" }] };
  const o = await request.post("/api/v1/orders", { headers: auth, data: order });
  expect(o.status()).toBe(201);
  expect((await (await request.post("/api/v1/orders", { headers: auth, data: order })).json()).outcome).toBe("unchanged");
  const bad = await request.post("/api/v1/orders", { headers: auth, data: { externalId: "W-2", placedAt: "yesterday", total: -1, currency: "euro" } });
  expect(bad.status()).toBe(400);
  expect(bad.headers()["content-type"]).toContain("application/problem+json");
  expect((await bad.json()).errors.map((e: { field: string }) => e.field).sort()).toEqual(["currency", "customerExternalId", "placedAt", "total"]);
  const events = await request.post("/api/v1/events", {
    headers: auth,
    data: { events: [{ type: "product.viewed", customerExternalId: "A1", occurredAt: "2026-03-02T09:00:00Z", productExternalId: "P9" }, { type: "order.created", order: { ...order, externalId: "W-3" } }] },
  });
  expect(events.status()).toBe(200);
  expect((await events.json()).accepted).toBe(2);
  const tooMany = await request.post("/api/v1/events", { headers: auth, data: { events: Array.from({ length: 1001 }, () => ({ type: "product.viewed", customerExternalId: "A1", occurredAt: "2026-03-02T09:00:00Z" })) } });
  expect(tooMany.status()).toBe(400);
  expect((await tooMany.json()).errors[0].field).toBe("events");
  expect((await request.post("/api/v1/spend", { headers: auth, data: { month: "2026-03", channel: "search", amount: 120 } })).status()).toBe(201);
  expect((await request.post("/api/v1/spend", { headers: { ...auth, "content-type": "text/plain" }, data: "month=2026-03" })).status()).toBe(415);
  expect((await request.post("/api/v1/spend", { headers: { ...auth, "content-type": "application/json" }, data: "{not json" })).status()).toBe(400);
  expect((await request.post("/api/v1/events", { headers: { ...auth, "content-type": "application/json" }, data: JSON.stringify({ events: [], pad: "x".repeat(1_100_000) }) })).status()).toBe(413);

  const openapi = await (await request.get("/api/v1/openapi.json")).json();
  expect(Object.keys(openapi.paths).sort()).toEqual(["/customers", "/customers/{id}", "/events", "/orders", "/spend", "/suppressions"]);
  expect(openapi.paths["/orders"].post.requestBody.content["application/json"].schema.required).toEqual(expect.arrayContaining(["externalId", "placedAt", "total", "currency"]));

  // The customers the API created are in the dashboard too.
  await page.goto("/customers?q=new%40example.com");
  await expect(page.getByText("1 matching “new@example.com”")).toBeVisible();

  // Rate limit, then revocation.
  let limited = null;
  // Calendar-minute windows: 250 requests within two minutes must meet the limit of 120 in one of them.
  for (let i = 0; i < 250 && !limited; i++) {
    const r = await request.get("/api/v1/customers?limit=1", { headers: auth });
    if (r.status() === 429) limited = r;
  }
  expect(limited).not.toBeNull();
  expect(Number(limited!.headers()["retry-after"])).toBeGreaterThan(0);
  await page.goto("/settings");
  await page.getByRole("button", { name: "Revoke Store sync" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "Store sync" }).getByText(/^revoked /)).toBeVisible();
  expect((await request.get("/api/v1/customers", { headers: auth })).status()).toBe(401);
});
