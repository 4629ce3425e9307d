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
