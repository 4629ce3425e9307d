// The demo shop, generated in memory: a bike shop with a coffee bar, two years of history ending
// today. Repeat buying follows the BG/NBD story (each customer buys at their own Poisson rate and
// may drop out after any purchase), so there are a few regulars, many one-time buyers and some
// who lapse — the patterns the segments and value models are built to find.
import { SeededRandom } from "./seeded-random";

const DAY = 86_400_000;
export const DEMO_HISTORY_DAYS = 730;

export interface DemoProduct {
  externalId: string;
  name: string;
  category: string;
  priceMinor: number;
}

export interface DemoCustomer {
  externalId: string;
  email: string;
  phone: string | null;
  firstName: string;
  lastName: string;
  timeZone: string;
  locale: string;
  createdAt: Date;
}

export interface DemoOrder {
  externalId: string;
  customerExternalId: string;
  placedAt: Date;
  totalMinor: number;
  currency: string;
  channel: string;
  items: { productExternalId: string; name: string; category: string; quantity: number; priceMinor: number }[];
  status: "paid" | "partially_refunded" | "refunded" | "cancelled";
  refundedMinor: number;
  cancelledAt: Date | null;
}

export interface DemoEvent {
  customerExternalId: string;
  type: "product.viewed" | "cart.updated" | "checkout.started" | "cart.abandoned";
  occurredAt: Date;
  payload: Record<string, string | number>;
}

export interface DemoConsentEvent {
  customerExternalId: string;
  channel: "email" | "sms";
  purpose: "marketing" | "personalization" | "surveys";
  action: "grant" | "withdraw";
  method: "checkout" | "preference_page" | "one_click_unsubscribe";
  policyVersion: string;
  occurredAt: Date;
}

export interface DemoShop {
  seed: string;
  generatedAt: Date;
  shop: { name: string; currency: string; timeZone: string };
  products: DemoProduct[];
  customers: DemoCustomer[];
  orders: DemoOrder[];
  events: DemoEvent[];
  spend: { channel: string; month: string; amountMinor: number }[];
  surveyResponses: { customerExternalId: string; score: number; comment: string | null; respondedAt: Date }[];
  policyVersions: { version: string; text: string; effectiveAt: Date }[];
  consentEvents: DemoConsentEvent[];
}

const CATALOG: Record<string, [string, number][]> = {
  Coffee: [["Espresso", 280], ["Flat white", 340], ["Cappuccino", 330], ["Filter coffee", 260], ["Oat latte", 380], ["House beans 250 g", 1250], ["Single-origin beans 250 g", 1550]],
  Bakery: [["Croissant", 260], ["Cinnamon bun", 320], ["Banana bread", 300], ["Flapjack", 280], ["Toastie", 650]],
  Parts: [["Inner tube", 899], ["Brake pads", 1499], ["Chain", 2999], ["Road tyre", 3999], ["Gravel tyre", 4499], ["Cassette", 5999], ["Bar tape", 1999], ["Pedals", 4999]],
  Accessories: [["Water bottle", 1200], ["Saddle bag", 2200], ["Front and rear lights", 2499], ["D-lock", 4500], ["Mini pump", 2799], ["Multi-tool", 2499]],
  Service: [["Puncture repair", 1500], ["Basic tune-up", 4500], ["Full service", 9500], ["Wheel true", 2000], ["Bike fit", 12000]],
  Apparel: [["Club jersey", 6500], ["Cycling cap", 1800], ["Merino socks", 1400], ["Rain jacket", 11000], ["Gloves", 2500]],
};

const FIRST = ["Alex", "Sam", "Jo", "Charlie", "Robin", "Jamie", "Morgan", "Casey", "Ava", "Noah", "Mia", "Leo", "Isla", "Oscar", "Freya", "Arlo", "Nia", "Theo", "Zara", "Finn", "Esme", "Kai", "Maya", "Ezra", "Ruby", "Otis", "Lena", "Ravi", "Priya", "Tom", "Hannah", "Yusuf", "Aoife", "Mateo", "Chloe", "Ibrahim", "Grace", "Luca", "Amara", "Ben"];
const LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Green", "Hall", "Wood", "Clarke", "Patel", "Khan", "Murphy", "Kelly", "Price", "Bennett", "Shaw", "Lloyd", "Morris", "Ward", "Cook", "Baker", "Reid", "Young", "Moreau", "Costa", "Novak", "Okafor", "Nguyen", "Silva", "Fischer", "Rossi", "Dubois", "Lind"];
const DOMAINS = ["example.com", "example.org", "example.net"];
const PLACES: [[string, string], number][] = [[["Europe/London", "en-GB"], 80], [["Europe/Dublin", "en-IE"], 6], [["Europe/Paris", "fr-FR"], 6], [["Europe/Berlin", "de-DE"], 4], [["America/New_York", "en-US"], 4]];

const POLICY_V1 = `Harbour Street Cycles & Coffee — privacy and marketing, version 1.
We keep your name, contact details and what you bought to run your orders and, only if you ticked
the box for it, to send you news and offers by the channel you chose. You can withdraw at any time
with one click in any message or on your preference page. We never sell or share your data.`;
const POLICY_V2 = `Harbour Street Cycles & Coffee — privacy and marketing, version 2.
We keep your name, contact details and what you bought to run your orders. Only with your consent,
per channel and purpose, we send you news and offers, ask for feedback, or tailor suggestions to
what you bought. Each consent can be withdrawn in one click. We keep browsing data for at most
24 months and never sell or share your data.`;

type Persona = "cafe" | "rider" | "mixed";

interface Profile {
  persona: Persona;
  rate: number; // purchases per day while alive
  dropout: number; // probability of never coming back after a purchase
}

/** Picks a customer's buying behaviour: BG/NBD with a per-persona purchase rate. */
function profile(rng: SeededRandom): Profile {
  const persona = rng.weighted<Persona>([["cafe", 45], ["rider", 35], ["mixed", 20]]);
  const meanGap = persona === "cafe" ? 14 : persona === "rider" ? 75 : 40; // days between purchases
  const rate = rng.gamma(0.9, 1 / (0.9 * meanGap));
  return { persona, rate: Math.min(rate, 1 / 4), dropout: rng.beta(1.3, 3.2) };
}

function basket(rng: SeededRandom, persona: Persona, byCategory: Map<string, DemoProduct[]>) {
  const category =
    persona === "cafe"
      ? rng.weighted([["Coffee", 70], ["Bakery", 28], ["Accessories", 2]])
      : persona === "rider"
        ? rng.weighted([["Parts", 40], ["Service", 25], ["Accessories", 20], ["Apparel", 10], ["Coffee", 5]])
        : rng.weighted([["Coffee", 35], ["Bakery", 15], ["Parts", 20], ["Service", 10], ["Accessories", 12], ["Apparel", 8]]);
  const lines = new Map<string, { product: DemoProduct; quantity: number }>();
  const count = rng.weighted([[1, 50], [2, 30], [3, 14], [4, 6]]);
  for (let i = 0; i < count; i++) {
    // Mostly the main category; sometimes a coffee or a pastry on the side.
    const cat = i === 0 || rng.chance(0.6) ? category : rng.pick(["Coffee", "Bakery"]);
    const product = rng.pick(byCategory.get(cat)!);
    const line = lines.get(product.externalId);
    if (line) line.quantity += 1;
    else lines.set(product.externalId, { product, quantity: rng.chance(0.15) ? 2 : 1 });
  }
  return [...lines.values()].map(({ product, quantity }) => ({
    productExternalId: product.externalId,
    name: product.name,
    category: product.category,
    quantity,
    priceMinor: product.priceMinor,
  }));
}

const policyAt = (at: Date, v2From: Date) => (at >= v2From ? "v2" : "v1");

export function generateDemoData(options: { seed?: string; now?: Date; customers?: number } = {}): DemoShop {
  const seed = options.seed ?? "regulars-demo";
  const now = options.now ?? new Date();
  const size = options.customers ?? 3000;
  // Everything is laid out in whole days before today's midnight (UTC), so the data depend only on
  // the seed and the day, and no timestamp lies in the future.
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const start = today - DEMO_HISTORY_DAYS * DAY;
  const rng = new SeededRandom(`${seed}:${new Date(today).toISOString().slice(0, 10)}:${size}`);
  // Returns and cancellations draw from their own stream, so the rest of the shop is the same with or without them.
  const returns = new SeededRandom(`${seed}:returns:${new Date(today).toISOString().slice(0, 10)}:${size}`);
  const at = (ms: number) => new Date(Math.min(Math.round(ms / 1000) * 1000, today - 1000));
  const openHours = (dayMs: number) => dayMs + (7 + rng.next() * 11) * 3_600_000;

  const products: DemoProduct[] = [];
  const byCategory = new Map<string, DemoProduct[]>();
  for (const [category, list] of Object.entries(CATALOG)) {
    for (const [name, priceMinor] of list) {
      const product = { externalId: `P${String(products.length + 1).padStart(3, "0")}`, name, category, priceMinor };
      products.push(product);
      byCategory.set(category, [...(byCategory.get(category) ?? []), product]);
    }
  }

  const v2From = new Date(today - 300 * DAY);
  const policyVersions = [
    { version: "v1", text: POLICY_V1, effectiveAt: new Date(start) },
    { version: "v2", text: POLICY_V2, effectiveAt: v2From },
  ];

  const customers: DemoCustomer[] = [];
  const orders: DemoOrder[] = [];
  const events: DemoEvent[] = [];
  const surveyResponses: DemoShop["surveyResponses"] = [];
  const consentEvents: DemoConsentEvent[] = [];
  let cartSeq = 0;

  for (let i = 0; i < size; i++) {
    const externalId = `C${String(i + 1).padStart(5, "0")}`;
    const firstName = rng.pick(FIRST);
    const lastName = rng.pick(LAST);
    const [timeZone, locale] = rng.weighted(PLACES);
    // More customers arrive later than earlier: the shop has been growing.
    const firstDay = start + Math.floor(DEMO_HISTORY_DAYS * Math.pow(rng.next(), 0.7)) * DAY;
    const first = at(openHours(Math.min(firstDay, today - DAY)));
    const email = `${firstName}.${lastName}.${i + 1}@${rng.pick(DOMAINS)}`.toLowerCase();
    customers.push({
      externalId, email, firstName, lastName, timeZone, locale, createdAt: first,
      phone: rng.chance(0.5) ? `+44 7700 900${String(rng.int(0, 999)).padStart(3, "0")}` : null,
    });

    const p = profile(rng);
    const purchaseTimes = [first.getTime()];
    for (let t = first.getTime(); !rng.chance(p.dropout); ) {
      t += rng.exponential(p.rate) * DAY;
      if (t >= today) break;
      purchaseTimes.push(at(openHours(Math.floor(t / DAY) * DAY)).getTime());
    }
    for (const time of purchaseTimes) {
      const items = basket(rng, p.persona, byCategory);
      const cafeOnly = items.every((it) => it.category === "Coffee" || it.category === "Bakery");
      const channel = cafeOnly ? rng.weighted([["pos", 90], ["web", 10]]) : rng.weighted([["web", 60], ["pos", 35], ["marketplace", 5]]);
      const placedAt = new Date(time);
      const totalMinor = items.reduce((s, it) => s + it.quantity * it.priceMinor, 0);
      // Online orders are sometimes returned, in part or whole, or cancelled before they ship.
      const fate = channel === "web" ? returns.weighted([["paid", 94], ["partially_refunded", 3], ["refunded", 2], ["cancelled", 1]] as const) : "paid";
      const refundedMinor = fate === "refunded" ? totalMinor : fate === "partially_refunded" ? Math.min(items[0]!.priceMinor, totalMinor - 1) : 0;
      orders.push({
        externalId: `O${String(orders.length + 1).padStart(6, "0")}`,
        customerExternalId: externalId,
        placedAt,
        totalMinor,
        currency: "EUR",
        channel,
        items,
        status: fate === "partially_refunded" && refundedMinor <= 0 ? "paid" : fate,
        refundedMinor: Math.max(refundedMinor, 0),
        cancelledAt: fate === "cancelled" ? new Date(Math.min(time + 3_600_000, now.getTime())) : null,
      });
      if (channel === "web") {
        const cartId = `K${++cartSeq}`;
        for (const it of items) events.push({ customerExternalId: externalId, type: "product.viewed", occurredAt: at(time - rng.int(5, 60) * 60_000), payload: { productExternalId: it.productExternalId } });
        events.push({ customerExternalId: externalId, type: "checkout.started", occurredAt: at(time - 120_000), payload: { cartId, total: items.reduce((s, it) => s + it.quantity * it.priceMinor, 0) } });
      }
    }

    // Browsing without buying, more of it for people who shop online; some of it this week.
    const lastPurchase = purchaseTimes[purchaseTimes.length - 1]!;
    const sessions = p.persona === "cafe" ? rng.int(0, 1) : rng.int(0, 4);
    for (let s = 0; s < sessions; s++) {
      const recent = rng.chance(0.08);
      const day = recent ? today - rng.int(1, 6) * DAY : first.getTime() + rng.next() * (today - first.getTime());
      const t = openHours(Math.floor(day / DAY) * DAY);
      const product = rng.pick(byCategory.get(rng.pick(["Parts", "Accessories", "Apparel", "Service"]))!);
      events.push({ customerExternalId: externalId, type: "product.viewed", occurredAt: at(t), payload: { productExternalId: product.externalId } });
      if (rng.chance(0.45)) {
        const cartId = `K${++cartSeq}`;
        events.push({ customerExternalId: externalId, type: "cart.updated", occurredAt: at(t + 60_000), payload: { cartId, total: product.priceMinor } });
        if (rng.chance(0.6)) {
          events.push({ customerExternalId: externalId, type: "checkout.started", occurredAt: at(t + 180_000), payload: { cartId, total: product.priceMinor } });
          events.push({ customerExternalId: externalId, type: "cart.abandoned", occurredAt: at(t + 3_600_000), payload: { cartId, total: product.priceMinor } });
        }
      }
    }

    // NPS: about one customer in six answers once; regulars tend to score higher.
    if (rng.chance(0.16)) {
      const loyalty = Math.min(1, purchaseTimes.length / 8);
      const score = Math.max(0, Math.min(10, Math.round(7.4 + 2.2 * loyalty + 2.1 * rng.normal())));
      const respondedAt = at(first.getTime() + rng.next() * Math.max(DAY, Math.min(lastPurchase + 30 * DAY, today) - first.getTime()));
      const comment = score >= 9 ? rng.pick(["Best flat white in town.", "Sorted my gears in no time.", null]) : score <= 6 ? rng.pick(["Long wait for a service slot.", "Prices went up.", null]) : null;
      surveyResponses.push({ customerExternalId: externalId, score, comment, respondedAt });
    }

    // Consent: nobody is opted in unless they ticked a box; most never do.
    const grants: [DemoConsentEvent["channel"], DemoConsentEvent["purpose"]][] = [];
    if (rng.chance(0.36)) {
      grants.push(["email", "marketing"]);
      if (rng.chance(0.4)) grants.push(["email", "surveys"]);
      if (rng.chance(0.25)) grants.push(["email", "personalization"]);
    }
    if (rng.chance(0.09)) grants.push(["sms", "marketing"]);
    for (const [channel, purpose] of grants) {
      const grantedAt = at(first.getTime() + 60_000);
      consentEvents.push({ customerExternalId: externalId, channel, purpose, action: "grant", method: "checkout", policyVersion: policyAt(grantedAt, v2From), occurredAt: grantedAt });
      if (rng.chance(0.12) && today - grantedAt.getTime() > 2 * DAY) {
        const withdrawnAt = at(grantedAt.getTime() + DAY + rng.next() * (today - grantedAt.getTime() - 2 * DAY));
        const method = rng.chance(0.7) ? "one_click_unsubscribe" : "preference_page";
        consentEvents.push({ customerExternalId: externalId, channel, purpose, action: "withdraw", method, policyVersion: policyAt(withdrawnAt, v2From), occurredAt: withdrawnAt });
        const regrantFrom = Math.max(withdrawnAt.getTime(), v2From.getTime()) + DAY;
        if (rng.chance(0.25) && regrantFrom < today - DAY) {
          const regrantedAt = at(regrantFrom + rng.next() * (today - DAY - regrantFrom));
          consentEvents.push({ customerExternalId: externalId, channel, purpose, action: "grant", method: "preference_page", policyVersion: "v2", occurredAt: regrantedAt });
        }
      }
    }
  }

  const spend: DemoShop["spend"] = [];
  const firstMonth = new Date(start);
  for (let m = 0; m < 24; m++) {
    const month = new Date(Date.UTC(firstMonth.getUTCFullYear(), firstMonth.getUTCMonth() + 1 + m, 1)).toISOString().slice(0, 10);
    // Spend under the channels the shop's customers arrive through, so acquisition cost per channel
    // can be read: ads that bring web orders, marketplace listing fees, flyers and events for the shop.
    spend.push({ channel: "web", month, amountMinor: rng.int(250, 650) * 100 });
    spend.push({ channel: "marketplace", month, amountMinor: rng.int(150, 420) * 10 });
    spend.push({ channel: "pos", month, amountMinor: 2900 + (rng.chance(0.4) ? rng.int(60, 180) * 100 : 0) });
  }

  const byTime = <T extends { occurredAt: Date }>(a: T, b: T) => a.occurredAt.getTime() - b.occurredAt.getTime();
  return {
    seed,
    generatedAt: now,
    shop: { name: "Harbour Street Cycles & Coffee", currency: "EUR", timeZone: "Europe/London" },
    products,
    customers,
    orders: orders.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime()),
    events: events.sort(byTime),
    spend: spend.filter((s) => s.month <= new Date(today).toISOString().slice(0, 10)),
    surveyResponses,
    policyVersions,
    consentEvents: consentEvents.sort(byTime),
  };
}

export interface DemoWindow {
  days: number;
  orders: number;
  revenueMinor: number;
  activeCustomers: number;
  newCustomers: number;
}

export interface DemoSummary {
  customers: number;
  orders: number;
  revenueMinor: number;
  windows: DemoWindow[];
}

/** Whether a generated order counts as a sale, and what the shop kept of it: the test oracle for the `sales` view. */
export const isDemoSale = (o: DemoOrder) => o.status !== "refunded" && o.status !== "cancelled";
export const demoNetMinor = (o: DemoOrder) => Math.max(o.totalMinor - o.refundedMinor, 0);

/** The overview's figures recomputed from the generated arrays, independently of SQL. */
export function summarizeDemoData(demo: DemoShop, now: Date): DemoSummary {
  // Sales only, net of refunds, as the dashboard counts them.
  const placed = demo.orders.filter((o) => o.placedAt.getTime() <= now.getTime() && isDemoSale(o));
  const net = demoNetMinor;
  const firstOrder = new Map<string, number>();
  for (const o of placed) {
    const t = o.placedAt.getTime();
    if (t < (firstOrder.get(o.customerExternalId) ?? Infinity)) firstOrder.set(o.customerExternalId, t);
  }
  return {
    customers: demo.customers.length,
    orders: placed.length,
    revenueMinor: placed.reduce((s, o) => s + net(o), 0),
    windows: [30, 90, 365].map((days) => {
      const since = now.getTime() - days * DAY;
      const inWindow = placed.filter((o) => o.placedAt.getTime() > since);
      return {
        days,
        orders: inWindow.length,
        revenueMinor: inWindow.reduce((s, o) => s + net(o), 0),
        activeCustomers: new Set(inWindow.map((o) => o.customerExternalId)).size,
        newCustomers: [...firstOrder.values()].filter((t) => t > since).length,
      };
    }),
  };
}
