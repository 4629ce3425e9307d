import { z } from "zod";

export const CUSTOMER_SORTS = ["name", "email", "orders", "spent", "last_order", "created"] as const;

/** Query of the customer list as it arrives from a URL: anything odd falls back to a default. */
export const ListCustomersQuerySchema = z.object({
  q: z.string().trim().max(200).catch("").default(""),
  sort: z.enum(CUSTOMER_SORTS).catch("last_order").default("last_order"),
  dir: z.enum(["asc", "desc"]).catch("desc").default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  pageSize: z.coerce.number().int().min(5).max(200).catch(25).default(25),
});
export type ListCustomersQuery = z.infer<typeof ListCustomersQuerySchema>;
