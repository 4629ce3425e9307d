// The webhook benchmark's baseline, run as its own process as `next start` is: a bare node:http
// server that does only what any receiver of a signed webhook must — read the body, check the
// Standard Webhooks signature with the app's own function, and store the delivery with one INSERT
// (keyed by webhook-id, so a repeat stores nothing) — on the same Postgres with the same pool size
// as the app. The secret is held in memory; reading it, the rate limit, tenancy and the event are
// what the app adds. Started by scripts/bench/webhook.ts with BENCH_PORT, BENCH_SHOP_ID,
// BENCH_SECRET and DATABASE_URL; prints "listening" when ready.
import http from "node:http";
import postgres from "postgres";
import { signatureMatches } from "../../lib/webhooks/verify-webhook";

const port = Number(process.env.BENCH_PORT);
const shopId = process.env.BENCH_SHOP_ID ?? "";
const secret = process.env.BENCH_SECRET ?? "";
const sql = postgres(process.env.DATABASE_URL ?? "", { max: 10, onnotice: () => {} });

const header = (value: string | string[] | undefined) => (typeof value === "string" ? value : null);

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const headers = { id: header(req.headers["webhook-id"]), timestamp: header(req.headers["webhook-timestamp"]), signature: header(req.headers["webhook-signature"]) };
  if (!signatureMatches([secret], headers, body, new Date())) {
    res.writeHead(401, { "content-type": "application/json" }).end('{"status":"invalid_signature"}');
    return;
  }
  const { type } = JSON.parse(body) as { type: string };
  const rows = await sql`insert into bench_deliveries (shop_id, id, type, status, received_at)
    values (${shopId}::uuid, ${headers.id!}, ${type}, 'accepted', now()) on conflict do nothing returning id`;
  res.writeHead(rows.length > 0 ? 202 : 200, { "content-type": "application/json" })
    .end(JSON.stringify({ status: rows.length > 0 ? "accepted" : "duplicate", id: headers.id }));
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e: unknown) => {
    res.writeHead(500).end(String(e));
  });
});
server.listen(port, "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => {
  server.close();
  void sql.end({ timeout: 5 }).then(() => process.exit(0));
});
