// The one place where domain errors become HTTP answers (RFC 9457 problem details).
import "server-only";
import { AppError } from "@/lib/errors";
import { declaredLength, readLimitedText } from "@/lib/http/read-limited-body";

export function problem(e: unknown): Response {
  if (!(e instanceof AppError)) {
    console.error(e);
    return Response.json({ type: "about:blank", title: "Internal error", status: 500, detail: "Something went wrong; nothing was changed." }, { status: 500, headers: { "content-type": "application/problem+json" } });
  }
  const headers: Record<string, string> = { "content-type": "application/problem+json" };
  if (e.retryAfter) headers["retry-after"] = String(e.retryAfter);
  return new Response(
    JSON.stringify({ type: `https://regulars.dev/problems/${e.code}`, title: e.code.replace(/_/g, " "), status: e.status, detail: e.message, errors: e.fields }),
    { status: e.status, headers },
  );
}

/**
 * Runs a handler, answering any failure as problem+json. API answers are never stored by a cache
 * (they hold customers' data or a shop's state) unless the handler said otherwise.
 */
export async function answer(run: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await run();
  } catch (e) {
    if (e && typeof e === "object" && "digest" in e && String((e as { digest: unknown }).digest).startsWith("NEXT_")) throw e;
    response = problem(e);
  }
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
  return response;
}

export const MAX_JSON_BODY = 1 << 20;
const TOO_LARGE = "The body is larger than 1 MiB; send less at a time (the events endpoint takes up to 1,000 events per request).";

/**
 * Reads a JSON body of at most 1 MiB, refusing other content types with a clear answer. The body
 * is counted while it streams in, so a missing or wrong Content-Length cannot get more through.
 */
export async function readJsonBody(request: Request): Promise<{ text: string; body: unknown }> {
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  const declared = declaredLength(request.headers.get("content-length"));
  if (declared !== null && declared > MAX_JSON_BODY) throw new AppError("payload_too_large", TOO_LARGE);
  const text = await readLimitedText(request.body, MAX_JSON_BODY, TOO_LARGE);
  try {
    return { text, body: JSON.parse(text) };
  } catch {
    throw new AppError("invalid_input", "The body is not valid JSON.", { fields: [{ field: "(body)", message: "not valid JSON" }] });
  }
}

export async function readJson(request: Request): Promise<unknown> {
  return (await readJsonBody(request)).body;
}
