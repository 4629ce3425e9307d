// The demo shop: created once with its owner, a viewer and two years of generated history, then
// reused on every later run until the data is reset.
import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { refreshPlannerStatistics } from "../db/planner-statistics";
import { campaigns, consentEvents, consentState, customers, events, orderItems, orders, products, sends, spend, surveyResponses, users } from "../db/schema";
import { withShop, withUser } from "../db/tenant";
import { isAppError } from "../errors";
import { addMember } from "../shops/add-member";
import { createShop } from "../shops/create-shop";
import { listUserShops } from "../shops/list-user-shops";
import { DEMO_OWNER, DEMO_SEED, DEMO_VIEWER } from "./demo-accounts";
import { generateDemoData, summarizeDemoData, type DemoSummary } from "./generate-demo-data";
import { writeDemoData } from "./write-demo-data";
import { refreshSegments } from "../segments/refresh-segments";

export interface DemoShopResult {
  shopId: string;
  created: boolean;
  /** What regenerates the same data: the seed, the day and the size. */
  generation: { seed: string; generatedAt: string; customers: number } | null;
  /** Figures computed from the generated data (not from the database), when it was just created. */
  summary: DemoSummary | null;
  /** A repeat customer, for a quick look (and for the end-to-end tests). */
  sampleCustomer: { id: string; email: string; name: string; orders: number } | null;
}

export async function ensureDemoShop(
  database: Database,
  options: { now?: Date; customers?: number; onProgress?: (step: string) => void } = {},
): Promise<DemoShopResult> {
  const [owner] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_OWNER.email));
  if (owner) {
    const [shop] = await withUser(owner.id, listUserShops, database);
    if (shop) return { shopId: shop.shopId, created: false, generation: null, summary: null, sampleCustomer: null };
  }
  const now = options.now ?? new Date();
  const demo = generateDemoData({ seed: DEMO_SEED, now, customers: options.customers });
  options.onProgress?.(`Generated ${demo.customers.length} customers and ${demo.orders.length} orders`);
  const { shopId } = await createShop(
    { name: demo.shop.name, ownerEmail: DEMO_OWNER.email, ownerPassword: DEMO_OWNER.password, ownerName: DEMO_OWNER.name },
    { database, allowExistingOwner: true },
  );
  await addMember(shopId, { email: DEMO_VIEWER.email, password: DEMO_VIEWER.password, name: DEMO_VIEWER.name, role: "viewer" }, database).catch(
    (e: unknown) => {
      if (!isAppError(e, "conflict")) throw e; // already a member from an earlier, interrupted run
    },
  );
  await withShop(shopId, (tx) => writeDemoData(tx, demo, options.onProgress), database);
  await refreshPlannerStatistics([customers, orders, orderItems, products, consentEvents, consentState, spend, sends, surveyResponses, campaigns, events], database);
  options.onProgress?.("Computing segments and predicted value");
  await refreshSegments(shopId, { database, trigger: "import", now });

  const counts = new Map<string, number>();
  for (const o of demo.orders) counts.set(o.customerExternalId, (counts.get(o.customerExternalId) ?? 0) + 1);
  const sample = demo.customers.find((c) => (counts.get(c.externalId) ?? 0) >= 3) ?? demo.customers[0]!;
  const [row] = await withShop(shopId, (tx) => tx.select({ id: customers.id }).from(customers).where(eq(customers.externalId, sample.externalId)), database);
  return {
    shopId,
    created: true,
    generation: { seed: DEMO_SEED, generatedAt: now.toISOString(), customers: demo.customers.length },
    summary: summarizeDemoData(demo, now),
    sampleCustomer: { id: row!.id, email: sample.email, name: `${sample.firstName} ${sample.lastName}`, orders: counts.get(sample.externalId) ?? 0 },
  };
}
