// Any other address under /api: a problem+json 404 for every method, never the HTML not-found page.
import { problem } from "@/app/api/problem";
import { AppError } from "@/lib/errors";

const notHere = () => {
  const response = problem(new AppError("not_found", "There is no API endpoint at this address. The REST API is described at /api/v1/openapi.json."));
  response.headers.set("cache-control", "no-store");
  return response;
};

export { notHere as GET, notHere as POST, notHere as PUT, notHere as PATCH, notHere as DELETE };
