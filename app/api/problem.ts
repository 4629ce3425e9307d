// The one place where domain errors become HTTP answers (RFC 9457 problem details).
import "server-only";
import { AppError } from "@/lib/errors";

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

/** Runs a handler, answering any failure as problem+json. */
export async function answer(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (e && typeof e === "object" && "digest" in e && String((e as { digest: unknown }).digest).startsWith("NEXT_")) throw e;
    return problem(e);
  }
}

const MAX_BODY = 1 << 20;

/** Reads a JSON body of at most 1 MiB, refusing other content types with a clear answer. */
export async function readJsonBody(request: Request): Promise<{ text: string; body: unknown }> {
  if (!/^application\/(.+\+)?json\b/i.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY) throw new AppError("payload_too_large", "The body is larger than 1 MiB.");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY) throw new AppError("payload_too_large", "The body is larger than 1 MiB.");
  try {
    return { text, body: JSON.parse(text) };
  } catch {
    throw new AppError("invalid_input", "The body is not valid JSON.", { fields: [{ field: "(body)", message: "not valid JSON" }] });
  }
}

export async function readJson(request: Request): Promise<unknown> {
  return (await readJsonBody(request)).body;
}
