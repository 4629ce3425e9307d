// The OpenAPI 3.1 document of the REST API, generated from the same zod schemas that validate it.
import { z } from "zod";
import { API_REQUESTS_PER_MINUTE } from "./take-api-request";
import {
  CustomerInputSchema, CustomerPageSchema, CustomerSchema, EventsBatchSchema, EventsResultSchema, OrderInputSchema, ProblemSchema,
  SpendInputSchema, SuppressionInputSchema, UpsertResultSchema,
} from "./schemas";

const input = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", target: "openapi-3.0", unrepresentable: "any" });
const output = (s: z.ZodType) => z.toJSONSchema(s, { io: "output", target: "openapi-3.0", unrepresentable: "any" });
const json = (schema: unknown) => ({ "application/json": { schema } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: output(ProblemSchema) } } });

const errors = {
  "400": problem("The body or a parameter is not valid; `errors` names each field."),
  "401": problem("Missing, unknown or revoked API key."),
  "429": problem(`More than ${API_REQUESTS_PER_MINUTE} requests in a minute with this key; see Retry-After.`),
};
const postErrors = { ...errors, "409": problem("The Idempotency-Key was used with a different body."), "413": problem("Body over 1 MiB."), "415": problem("Body is not JSON.") };
const idempotency = {
  name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 200 },
  description: "Retrying a POST with the same key and body returns the first answer without a second effect.",
};

export function buildOpenApi(serverUrl: string) {
  const upsert = (summary: string, schema: z.ZodType) => ({
    post: {
      summary, parameters: [idempotency], requestBody: { required: true, content: json(input(schema)) },
      responses: { "200": { description: "Updated or unchanged", content: json(output(UpsertResultSchema)) }, "201": { description: "Created", content: json(output(UpsertResultSchema)) }, ...postErrors },
    },
  });
  return {
    openapi: "3.0.3",
    info: { title: "Regulars API", version: "1.0.0", description: "Keep a shop's customers, orders, events and marketing spend current from its other systems." },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key from Settings (rk_…)." } } },
    paths: {
      "/customers": {
        get: {
          summary: "List customers, a page at a time",
          parameters: [
            { name: "cursor", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page" },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: { "200": { description: "A page", content: json(output(CustomerPageSchema)) }, ...errors },
        },
        ...upsert("Create or update a customer (by externalId, else email)", CustomerInputSchema),
      },
      "/customers/{id}": {
        get: {
          summary: "One customer",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: { "200": { description: "The customer", content: json(output(CustomerSchema)) }, "404": problem("No such customer in this shop."), ...errors },
        },
      },
      "/orders": upsert("Create or update an order (by externalId); an unknown customer is created", OrderInputSchema),
      "/events": {
        post: {
          summary: "Record up to 1,000 events (all or none)", parameters: [idempotency],
          requestBody: { required: true, content: json(input(EventsBatchSchema)) },
          responses: { "200": { description: "Stored", content: json(output(EventsResultSchema)) }, ...postErrors },
        },
      },
      "/spend": upsert("Set a channel's marketing spend for a month", SpendInputSchema),
      "/suppressions": upsert("Report a bounce or a complaint: the address is never sent to again on that channel", SuppressionInputSchema),
    },
  };
}
