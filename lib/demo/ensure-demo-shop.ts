// The demo shop: created once with its owner, a viewer and two years of generated history, then
// reused on every later run until the data is reset.
import { eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { users } from "../db/schema";
import { withShop, withUser } from "../db/tenant";
import { addMember } from "../shops/add-member";
import { createShop } from "../shops/create-shop";
import { listUserShops } from "../shops/list-user-shops";
import { DEMO_OWNER, DEMO_SEED, DEMO_VIEWER } from "./demo-accounts";
import { generateDemoShop, summarizeDemoShop, type DemoSummary } from "./generate-demo-shop";
import { seedDemoShop } from "./seed-demo-shop";

export interface DemoShopResult {
  shopId: string;
  created: boolean;
  /** Figures computed from the generated data (not from the database), when it was just created. */
  summary: DemoSummary | null;
}

export async function ensureDemoShop(
  database: Database,
  options: { now?: Date; customers?: number; onProgress?: (step: string) => void } = {},
): Promise<DemoShopResult> {
  const [owner] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_OWNER.email));
  if (owner) {
    const [shop] = await withUser(owner.id, listUserShops, database);
    if (shop) return { shopId: shop.shopId, created: false, summary: null };
  }
  const now = options.now ?? new Date();
  const demo = generateDemoShop({ seed: DEMO_SEED, now, customers: options.customers });
  options.onProgress?.(`Generated ${demo.customers.length} customers and ${demo.orders.length} orders`);
  const { shopId } = await createShop(
    { name: demo.shop.name, ownerEmail: DEMO_OWNER.email, ownerPassword: DEMO_OWNER.password, ownerName: DEMO_OWNER.name },
    { database, allowExistingOwner: true },
  );
  await addMember(shopId, { email: DEMO_VIEWER.email, password: DEMO_VIEWER.password, name: DEMO_VIEWER.name, role: "viewer" }, database).catch(
    (e: unknown) => {
      // Already a member from an earlier, interrupted run: nothing to do.
      if (!(e instanceof Error && "code" in e && e.code === "conflict")) throw e;
    },
  );
  await withShop(shopId, (tx) => seedDemoShop(tx, demo, options.onProgress), database);
  return { shopId, created: true, summary: summarizeDemoShop(demo, now) };
}
