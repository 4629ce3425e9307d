import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";
import { PEER_HEADER, recordPeerAddresses } from "./peer-address";

const headers = (h: Record<string, string>) => new Headers(h);

describe("the client's address", () => {
  it("ignores forwarding headers unless the operator trusts a proxy", () => {
    const forged = headers({ "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8", [PEER_HEADER]: "203.0.113.5" });
    expect(clientIp(forged, 0)).toBe("203.0.113.5");
    expect(clientIp(headers({ "x-forwarded-for": "1.2.3.4" }), 0)).toBeNull();
  });

  it("behind trusted proxies, takes the address the nearest of them saw, not what the client wrote", () => {
    // The client wrote "1.2.3.4"; the operator's proxy appended the address it was reached from.
    const viaOne = headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.20", [PEER_HEADER]: "10.0.0.2" });
    expect(clientIp(viaOne, 1)).toBe("198.51.100.20");
    const viaTwo = headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.20, 10.0.0.9" });
    expect(clientIp(viaTwo, 2)).toBe("198.51.100.20");
    expect(clientIp(headers({ "x-real-ip": "198.51.100.21" }), 1)).toBe("198.51.100.21");
    expect(clientIp(headers({ "x-forwarded-for": "[2001:db8::1]" }), 1)).toBe("2001:db8::1");
    expect(clientIp(headers({ "x-forwarded-for": "not an address" }), 1)).toBeNull();
  });
});

describe("the connection's address, recorded by the server", () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    recordPeerAddresses(http.Server);
    server = http.createServer((req, res) => res.end(JSON.stringify({ peer: req.headers[PEER_HEADER] ?? null })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("replaces whatever a client sent in its place", async () => {
    const answer = await (await fetch(url, { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" } })).json();
    expect(answer).toEqual({ peer: "127.0.0.1" });
  });
});
