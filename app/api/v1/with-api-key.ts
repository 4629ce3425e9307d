// The REST API's door: a Bearer key names the shop, the key's rate limit is taken, and a POST's
// body is read as JSON (at most 1 MiB), validated, and run once per Idempotency-Key.
import "server-only";
import type { z } from "zod";
import { answer, readJsonBody } from "@/app/api/problem";
import { parseBody } from "@/lib/api/api-context";
import { authenticateApiKey, type ApiCaller } from "@/lib/api/authenticate-api-key";
import { takeApiRequest } from "@/lib/api/take-api-request";
import { withIdempotency } from "@/lib/api/with-idempotency";
import { withShop, type ShopTx } from "@/lib/db/tenant";


type Handler<P> = (input: { caller: ApiCaller; request: Request; params: P }) => Promise<Response>;

export function withApiKey<P = Record<string, never>>(handler: Handler<P>) {
  return (request: Request, route: { params: Promise<P> }) =>
    answer(async () => {
      const caller = await authenticateApiKey(request.headers.get("authorization"));
      await withShop(caller.shopId, (tx) => takeApiRequest(tx, caller));
      return handler({ caller, request, params: await route.params });
    });
}

/** A POST that validates its body with `schema` and runs `run` once per Idempotency-Key. */
export function postJson<S extends z.ZodType, R extends object>(
  scope: string,
  schema: S,
  run: (tx: ShopTx, body: z.output<S>) => Promise<R>,
) {
  return withApiKey(async ({ caller, request }) => {
    const { text, body } = await readJsonBody(request);
    const input = parseBody(schema, body);
    const result = await withShop(caller.shopId, (tx) =>
      withIdempotency(tx, { shopId: caller.shopId, scope, key: request.headers.get("idempotency-key"), requestBody: text }, async () => {
        const out = await run(tx, input);
        return { status: "outcome" in out && out.outcome === "created" ? 201 : 200, body: out };
      }),
    );
    return Response.json(result.body, { status: result.status, headers: result.replayed ? { "idempotent-replayed": "true" } : {} });
  });
}
