import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import { describe, expect, it } from "vitest";
import { checkStoredOnce, signedWebhookRequests, type DeliveryLedger } from "./webhook-requests";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const AT = Date.parse("2026-06-10T10:00:00.250Z");

describe("the benchmark's signed requests", () => {
  it("gives every request a new id, a body naming it and a Standard Webhooks signature of it", () => {
    const { requests } = signedWebhookRequests({ path: "/api/webhooks/shop-1", secret: SECRET, prefix: "run-", customers: 2, now: () => AT });
    const setup = requests[0]!.setupRequest!;
    const built = [0, 1, 2].map(() => setup({}, {}));
    expect(built.map((r) => r.headers!["webhook-id"])).toEqual(["run-0", "run-1", "run-2"]);
    for (const r of built) {
      const id = r.headers!["webhook-id"]!;
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/api/webhooks/shop-1");
      expect(r.headers!["webhook-timestamp"]).toBe("1781085600");
      // Computed here from the contract, not with the app's signer.
      const mac = createHmac("sha256", Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64")).update(`${id}.1781085600.${r.body}`).digest("base64");
      expect(r.headers!["webhook-signature"]).toBe(`v1,${mac}`);
      expect(JSON.parse(r.body!)).toMatchObject({ type: "product.viewed", timestamp: "2026-06-10T10:00:00.250Z", data: { productExternalId: id } });
    }
    expect(built.map((r) => (JSON.parse(r.body!) as { data: { customerExternalId: string } }).data.customerExternalId)).toEqual(["c-0", "c-1", "c-0"]);
  });

  it("records, through a real autocannon run, exactly the ids the server accepted", async () => {
    // The server accepts ids ending in an even digit and refuses the rest, after checking each signature.
    const answered = new Map<string, number>();
    let badSignatures = 0;
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const id = String(req.headers["webhook-id"]);
        const ts = String(req.headers["webhook-timestamp"]);
        const mac = createHmac("sha256", Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64")).update(`${id}.${ts}.${body}`).digest("base64");
        if (req.headers["webhook-signature"] !== `v1,${mac}`) badSignatures++;
        const status = Number(id.at(-1)) % 2 === 0 ? 202 : 401;
        answered.set(id, status);
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const { requests, ledger } = signedWebhookRequests({ path: "/hook", secret: SECRET, prefix: "t-", customers: 10 });
    const result = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 4, pipelining: 1, amount: 60, requests });
    await new Promise((resolve) => server.close(resolve));

    expect(badSignatures).toBe(0);
    expect(result["2xx"] + result.non2xx).toBe(60);
    expect(answered.size).toBe(60);
    const accepted = [...answered].filter(([, status]) => status === 202).map(([id]) => id).sort();
    expect([...ledger.accepted].sort()).toEqual(accepted);
    expect(ledger.answered.size).toBe(60);
    expect(ledger.statuses.get(202)).toBe(accepted.length);
    expect(ledger.statuses.get(401)).toBe(60 - accepted.length);
  });
});

describe("checking stored deliveries against the answers", () => {
  const ledger = (): DeliveryLedger => ({
    sent: new Set(["a", "b", "c", "d", "e"]),
    accepted: new Set(["a", "b"]),
    answered: new Set(["a", "b", "c"]), // c was refused; d and e were in flight when the load stopped
    statuses: new Map([[202, 2], [401, 1]]),
  });
  it.each([
    ["each accepted id stored once", ["a", "b"], 2, { ok: true, missing: 0, duplicates: 0, stored_unanswered: 0, unexpected: 0 }],
    ["plus requests in flight at the stop, up to one per connection", ["b", "a", "d", "e"], 2, { ok: true, stored_unanswered: 2 }],
    ["more unanswered rows than connections", ["a", "b", "d", "e"], 1, { ok: false, stored_unanswered: 2 }],
    ["an accepted id not stored", ["a"], 2, { ok: false, missing: 1 }],
    ["an id stored twice", ["a", "b", "a"], 2, { ok: false, duplicates: 1 }],
    ["a refused id stored", ["a", "b", "c"], 2, { ok: false, unexpected: 1 }],
    ["an id never sent stored", ["a", "b", "z"], 2, { ok: false, unexpected: 1 }],
  ])("%s", (_label, stored, connections, expected) => {
    const check = checkStoredOnce(ledger(), stored, connections);
    expect(check).toMatchObject({ accepted: 2, stored: stored.length, ...expected });
  });
});
