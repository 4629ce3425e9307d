// GET /api/v1/openapi.json — the API's description, generated from its zod schemas.
import { buildOpenApi } from "@/lib/api/openapi";

export function GET(request: Request) {
  return Response.json(buildOpenApi(new URL(request.url).origin));
}
