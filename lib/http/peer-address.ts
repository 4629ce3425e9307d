// Route handlers in Next.js do not see the connection's address, and the X-Forwarded-For it
// fills in is kept as the client sent it. So the server records the address of the connection
// itself in a header of its own, replacing any copy a client sent, before the app sees the request.
import type http from "node:http";

export const PEER_HEADER = "x-regulars-peer-address";

const installed = new WeakSet<object>();

/** Makes every server of the given classes write the connection's address into PEER_HEADER. */
export function recordPeerAddresses(...servers: { prototype: http.Server }[]): void {
  for (const Server of servers) {
    const proto = Server.prototype;
    if (installed.has(proto)) continue;
    installed.add(proto);
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const request = args[0] as http.IncomingMessage;
        delete request.headers[PEER_HEADER];
        const address = request.socket?.remoteAddress;
        if (address) request.headers[PEER_HEADER] = address;
      }
      return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
    } as typeof proto.emit;
  }
}
