// The CLI as other tools use it: the shipped `regulars` command (scripts/regulars.mjs, running the
// compiled build) as a subprocess, JSON on stdout, one-line errors and exit codes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../lib/db/client";
import { engines } from "../test/databases";
import { runCli } from "../test/run-cli";
import { addCustomer } from "../test/factories";

const cli = runCli;

describe.each(engines())("regulars CLI on $name", (engine) => {
  let env: Record<string, string | undefined>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine.name === "postgres") {
      const database = await engine.open();
      env = { DATABASE_URL: database.url };
      cleanup = () => database.close();
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-cli-"));
      env = { PGLITE_DIR: path.join(dir, "pglite") };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => cleanup?.());

  const withDb = async <T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>) => {
    const database = await openDatabase(env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "pglite", dir: env.PGLITE_DIR! });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  };

  it("creates a shop and answers with its id, API key and webhook secret", () => {
    const run = cli(["shop", "create", "--name", "Corner Café", "--owner-email", "cli-owner@example.com", "--owner-password", "espresso doppio 2", "--json"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(Object.keys(out).sort()).toEqual(["apiKey", "shopId", "webhookSecret"]);
    expect(out.shopId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a weak password with exit code 2 naming the field", () => {
    const run = cli(["shop", "create", "--name", "X", "--owner-email", "cli-weak@example.com", "--owner-password", "short", "--json"], env);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("ownerPassword: Use at least 10 characters.");
  });

  it("reads a shop's own customer, and answers not found for another shop's", async () => {
    const a = JSON.parse(cli(["shop", "create", "--name", "A", "--owner-email", "cli-a@example.com", "--owner-password", "shop a password", "--json"], env).stdout);
    const b = JSON.parse(cli(["shop", "create", "--name", "B", "--owner-email", "cli-b@example.com", "--owner-password", "shop b password", "--json"], env).stdout);
    const customer = await withDb((database) => addCustomer(database, b.shopId, { email: "only-b@example.com", orders: [{ totalMinor: 4200, placedAt: new Date("2026-03-01T12:00:00Z") }] }));

    const own = cli(["customer", "get", customer.id, "--shop", b.shopId, "--json"], env);
    expect(own.code).toBe(0);
    expect(JSON.parse(own.stdout)).toMatchObject({ customer: { email: "only-b@example.com" }, totals: { orders: 1, spentMinor: 4200 } });

    const foreign = cli(["customer", "get", customer.id, "--shop", a.shopId, "--json"], env);
    expect(foreign.code).toBe(4);
    expect(foreign.stdout).toBe("");
    expect(foreign.stderr.trim()).toBe("regulars: Customer not found");

    // The email (any case) finds the same customer; in another shop it is not found either.
    expect(JSON.parse(cli(["customer", "get", "Only-B@example.com", "--shop", b.shopId, "--json"], env).stdout)).toMatchObject({ customer: { id: customer.id } });
    expect(cli(["customer", "get", "only-b@example.com", "--shop", a.shopId, "--json"], env).code).toBe(4);
  });

  it("creates a shop with its currency and country, imports with template-name mapping and finds a customer by the platform's id", async () => {
    const created = cli(
      ["shop", "create", "--name", "Toronto Bikes", "--owner-email", "cli-ca@example.com", "--owner-password", "two wheels good", "--currency", "cad", "--country", "ca", "--time-zone", "America/Toronto", "--json"],
      env,
    );
    expect(created.stderr).toBe("");
    const shop = JSON.parse(created.stdout);
    const bad = cli(["shop", "create", "--name", "X", "--owner-email", "cli-xx@example.com", "--owner-password", "two wheels good", "--country", "XX", "--json"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("country: This is not a country code we know; use one such as GB, DE or US.");

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regulars-cli-map-"));
    const file = path.join(dir, "kunden.csv");
    fs.writeFileSync(file, "Kundennummer,Telefon,Mail\n'K-7,(613) 555-0177,k7@example.com\n");
    const imported = cli(["import", "customers", file, "--shop", shop.shopId, "--map", "Kundennummer=external_id", "--map", "Telefon=phone", "--map", "Mail=email", "--json"], env);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ total: 1, imported: 1, rejected: 0 });
    const found = cli(["customer", "get", "K-7", "--shop", shop.shopId, "--json"], env);
    // The shop is in Canada: a number without a country code is a Canadian one.
    expect(JSON.parse(found.stdout)).toMatchObject({ customer: { externalId: "K-7", phone: "+16135550177", email: "k7@example.com" } });

    const unknown = cli(["import", "customers", file, "--shop", shop.shopId, "--map", "Kundennummer=kundennummer", "--json"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"kundennummer" is not a field of a customers import (column "Kundennummer"). Use one of: external_id, email, phone,');
  }, 240_000); // six runs of the command, each opening the database

  it("refreshes segments after an import, on request, and fits the value model on the shop's orders", () => {
    const shop = JSON.parse(cli(["shop", "create", "--name", "C", "--owner-email", "cli-c@example.com", "--owner-password", "shop c password", "--json"], env).stdout);
    // Two customers: one comes back twice, one bought once.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "regulars-cli-orders-")), "orders.csv");
    fs.writeFileSync(file, "order_id,customer_email,placed_at,total\nA1,ann@example.com,2026-01-05,20.00\nA2,ann@example.com,2026-02-05,25.00\nA3,ann@example.com,2026-03-05,30.00\nB1,ben@example.com,2026-02-10,12.00\n");
    const imported = cli(["import", "orders", file, "--shop", shop.shopId, "--json"], env);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain("Segments refreshed for 2 customers with orders.");

    const refresh = cli(["segments", "refresh", "--shop", shop.shopId, "--json"], env);
    expect(refresh.code).toBe(0);
    const { segments } = JSON.parse(refresh.stdout) as { segments: { key: string; name: string; size: number }[] };
    expect(segments.find((s) => s.key === "one_time_buyers")).toEqual({ key: "one_time_buyers", name: "One-time buyers", size: 1 });
    expect(segments.every((s) => Object.keys(s).sort().join() === "key,name,size")).toBe(true);

    // Too few repeat customers to fit: the command says why, as the dashboard does, with exit code 2.
    const clv = cli(["clv", "fit", "--shop", shop.shopId, "--json"], env);
    expect(clv.code).toBe(2);
    expect(clv.stderr.trim()).toBe("regulars: Only 1 customer has ordered on more than one day; predictions need at least 50.");

    // The dashboard's figures, for the months asked: the same cards the Overview shows.
    const metrics = cli(["metrics", "--shop", shop.shopId, "--from", "2026-01", "--to", "2026-03", "--json"], env);
    expect(metrics.code).toBe(0);
    const m = JSON.parse(metrics.stdout);
    expect(m.range).toMatchObject({ from: "2026-01", to: "2026-03", months: ["2026-01", "2026-02", "2026-03"] });
    // Ann: 20 + 25 + 30, Ben: 12; historical CLTV = margin × revenue per customer.
    expect(m.customerValue.overall.historical).toMatchObject({ status: "ok", n: 2, revenueMinor: 8700, cltvMinor: Math.round((m.shop.marginBp / 10_000) * 4350) });
    expect(m.cards.find((c: { key: string }) => c.key === "repeat_rate")).toMatchObject({ value: "50 %", n: "n = 2 customers" });
    expect(m.cards.find((c: { key: string }) => c.key === "cac")).toMatchObject({ empty: { href: "/imports/new" } });
    const text = cli(["metrics", "--shop", shop.shopId, "--from", "2026-01", "--to", "2026-03"], env);
    expect(text.stdout).toContain("Repeat-purchase rate: 50 %");
    expect(text.stdout).toContain("Acquisition cost (CAC): no data yet. No marketing spend entered for these months");
    const backwards = cli(["metrics", "--shop", shop.shopId, "--from", "2026-05", "--to", "2026-01", "--json"], env);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain("The first month must not come after the last.");
  }, 240_000);
});

describe("regulars CLI when the database is not there", () => {
  it("says which URL failed and why, in one line, with exit code 5", () => {
    const run = cli(["migrate", "--json"], { DATABASE_URL: "postgres://shop:hunter22@127.0.0.1:1/regulars" });
    expect(run.code).toBe(5);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^regulars: Cannot connect to the database at postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/regulars: .*ECONNREFUSED/);
    expect(run.stderr).not.toContain("hunter22");
  });

  it("names a malformed setting", () => {
    const run = cli(["migrate"], { DATABASE_URL: "mysql://localhost/x" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("regulars: Configuration error: DATABASE_URL: DATABASE_URL must start with postgres:// or postgresql://");
  });
});
