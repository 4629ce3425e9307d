// The door of the dashboard's own route handlers (cookie sessions). A state-changing request from
// another site is refused (403), a request without a live session is a 401 problem — never a
// redirect to the sign-in page — and every answer is problem+json on failure and never cached.
import "server-only";
import { currentUser, shopContextFor, type ShopContext } from "@/app/_server/require-shop";
import { answer } from "@/app/api/problem";
import { readEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { crossSiteRefusal } from "@/lib/http/same-origin";
import type { Role } from "@/lib/shops/schemas";

type Handler<P> = (input: { ctx: ShopContext; request: Request; params: P }) => Promise<Response>;

export function withSession<P = Record<string, never>>(handler: Handler<P>, options: { role?: Role } = {}) {
  return (request: Request, route: { params: Promise<P> }) =>
    answer(async () => {
      const refusal = crossSiteRefusal({
        method: request.method,
        secFetchSite: request.headers.get("sec-fetch-site"),
        origin: request.headers.get("origin"),
        host: request.headers.get("host"),
        appUrl: readEnv().APP_URL,
      });
      if (refusal) throw new AppError("forbidden", `Cross-site request refused: ${refusal}. Use the dashboard itself to make this change.`);
      const user = await currentUser();
      if (!user) throw new AppError("unauthorized", "Sign in first: this address answers only to a signed-in member of a shop.");
      const ctx = await shopContextFor(user, options);
      if (!ctx) throw new AppError("forbidden", "You are not a member of any shop yet.");
      return handler({ ctx, request, params: await route.params });
    });
}

/** A CSV download (already escaped by lib/csv): a byte-order mark so spreadsheets read UTF-8. */
export function csvResponse(fileName: string, csv: string): Response {
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName.replace(/[^\x20-\x7E]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "cache-control": "no-store",
    },
  });
}
