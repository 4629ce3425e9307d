// The domain model of DESIGN.md. Every tenant table leads with shop_id; row-level security on
// those tables lives in the custom migrations under drizzle/ (see docs/decisions/001-tenancy.md).
// Money is stored in integer minor units (cents). There is deliberately no column for sensitive
// categories (health, religion, ethnicity, sexuality, politics, precise location).
import {
  bigint,
  bigserial,
  boolean,
  char,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  pgView,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();
const money = (name: string) => bigint(name, { mode: "number" });
/**
 * Time-ordered ids (UUIDv7; drizzle/0011 defines the function) for the tables that grow by
 * imports: new rows land at the right edge of their primary-key index. Bulk writers make the ids
 * themselves (lib/db/uuid7.ts).
 */
const timeOrderedId = () => uuid("id").notNull().default(sql`regulars_uuid7()`);
const shopRef = () =>
  uuid("shop_id")
    .notNull()
    .references(() => shops.id, { onDelete: "cascade" });

export const roleEnum = pgEnum("member_role", ["owner", "viewer"]);
export const channelEnum = pgEnum("channel", ["email", "sms", "push"]);
export const purposeEnum = pgEnum("purpose", ["marketing", "personalization", "surveys"]);
export const consentActionEnum = pgEnum("consent_action", ["grant", "withdraw"]);
export const actorEnum = pgEnum("actor_type", ["customer", "owner", "system", "import"]);
export const campaignStatusEnum = pgEnum("campaign_status", [
  "draft",
  "approved",
  "sending",
  "paused",
  "done",
]);
export const sendStatusEnum = pgEnum("send_status", [
  "queued",
  /** Taken by a worker (claimed_by, claimed_at); back to a worker's hands when its lease runs out. */
  "sending",
  "sent",
  "delivered",
  "skipped",
  "failed",
]);
export const importKindEnum = pgEnum("import_kind", ["customers", "orders", "consent", "spend"]);
/**
 * Where an order stands, normalised from the platforms' words (Shopify's financial status and
 * "Cancelled at", WooCommerce's status). Cancelled, fully refunded and failed orders are kept for
 * the record but are not sales; see the `sales` view.
 */
export const orderStatusEnum = pgEnum("order_status", ["paid", "pending", "partially_refunded", "refunded", "cancelled", "failed"]);
export const jobStatusEnum = pgEnum("job_status", ["queued", "running", "done", "failed"]);

// ---- Accounts (not tenant data: a person may belong to several shops) ----

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name"),
  email: text("email").notNull().unique(),
  emailVerified: ts("email_verified"),
  image: text("image"),
  passwordHash: text("password_hash"),
  createdAt: createdAt(),
});

export const accounts = pgTable(
  "accounts",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] })],
);

/**
 * Live sessions. A session cookie names one of these rows (lib/auth/sessions.ts); signing out
 * deletes it, and a cookie whose row is gone is refused.
 */
export const sessions = pgTable(
  "sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: ts("expires").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: ts("expires").notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/**
 * Requests counted per bucket (an address, a link) and calendar minute, for the limits of the
 * public customer pages (lib/http/take-rate-limit.ts); kept in the database so they hold across
 * app instances. Not tenant data: a bucket is counted before any shop is known.
 */
export const rateLimitCounts = pgTable(
  "rate_limit_counts",
  {
    bucket: text("bucket").notNull(),
    windowStart: ts("window_start").notNull(),
    hits: integer("hits").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index("rate_limit_counts_window").on(t.windowStart)],
);

/** Sign-in attempts, kept so repeated failures can be slowed down across app instances. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    ip: text("ip"),
    succeeded: boolean("succeeded").notNull(),
    at: createdAt(),
  },
  (t) => [index("login_attempts_email_at").on(t.email, t.at), index("login_attempts_ip_at").on(t.ip, t.at)],
);

// ---- Shops and their members ----

export const shops = pgTable("shops", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  currency: char("currency", { length: 3 }).notNull().default("EUR"),
  /** ISO 3166-1 alpha-2; phone numbers written without a country code are read as this country's. */
  country: char("country", { length: 2 }),
  timeZone: text("time_zone").notNull().default("UTC"),
  /** Gross margin in basis points (4000 = 40 %), used by CLTV and ROMI. */
  marginBp: integer("margin_bp").notNull().default(4000),
  /** Shop-wide frequency cap: at most this many marketing messages per customer per 7 days. */
  frequencyCapPerWeek: smallint("frequency_cap_per_week").notNull().default(2),
  quietHoursStart: smallint("quiet_hours_start").notNull().default(21),
  quietHoursEnd: smallint("quiet_hours_end").notNull().default(8),
  /**
   * Raw behavioural events are kept only as long as the purpose they serve needs them (DESIGN
   * invariant 5; lib/privacy/purge-expired.ts maps each event type to its purpose). This one holds
   * events of no known purpose; the two below, cart and checkout events (marketing: reminders) and
   * product views (personalization: browsing). The consent ledger is never purged.
   */
  retentionMonths: smallint("retention_months").notNull().default(24),
  retentionMarketingMonths: smallint("retention_marketing_months").notNull().default(24),
  retentionPersonalizationMonths: smallint("retention_personalization_months").notNull().default(24),
  /**
   * A campaign's results count an order as caused by a message when it is placed within this many
   * days after the message was sent (for the holdout, after the run that held them out).
   */
  attributionDays: smallint("attribution_days").notNull().default(5),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    shopId: shopRef(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.userId] }), index("memberships_user").on(t.userId)],
);

/**
 * Invitations to join a shop. The link's token is stored only as a SHA-256; it works once, until
 * it expires or an owner revokes it.
 */
export const invitations = pgTable(
  "invitations",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    role: roleEnum("role").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    acceptedAt: ts("accepted_at"),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("invitations_shop_email").on(t.shopId, t.email)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** First characters of the key, shown so an owner can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: ts("last_used_at"),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("api_keys_shop").on(t.shopId)],
);

export const webhookSecrets = pgTable(
  "webhook_secrets",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    secret: text("secret").notNull(),
    createdAt: createdAt(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("webhook_secrets_shop").on(t.shopId)],
);

// ---- Customers, products, orders, events ----

export const customers = pgTable(
  "customers",
  {
    shopId: shopRef(),
    id: timeOrderedId().primaryKey(),
    externalId: text("external_id"),
    email: text("email"),
    phone: text("phone"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    timeZone: text("time_zone"),
    locale: text("locale"),
    /**
     * The customer's own contact budget from the preference page: at most this many messages a
     * week (0: none); null, no limit of their own. Campaigns apply the strictest of it, the shop's
     * frequency cap and quiet hours (DESIGN invariant 7).
     */
    contactBudgetPerWeek: smallint("contact_budget_per_week"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    erasedAt: ts("erased_at"),
  },
  (t) => [
    uniqueIndex("customers_shop_external").on(t.shopId, t.externalId),
    // What orders reference: (shop, customer), so an order cannot name another shop's customer.
    uniqueIndex("customers_shop_id").on(t.shopId, t.id),
    uniqueIndex("customers_shop_email").on(t.shopId, t.email),
    // Orders that name their customer by phone alone find them here (several may share a phone).
    index("customers_shop_phone").on(t.shopId, t.phone).where(sql`phone is not null`),
    index("customers_shop_created").on(t.shopId, t.createdAt),
  ],
);

/** Owner-defined attributes. One marked sensitive can be stored but never targeted. */
export const attributeDefinitions = pgTable(
  "attribute_definitions",
  {
    shopId: shopRef(),
    key: text("key").notNull(),
    label: text("label").notNull(),
    sensitive: boolean("sensitive").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.key] })],
);

export const customerAttributes = pgTable(
  "customer_attributes",
  {
    shopId: shopRef(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.customerId, t.key] })],
);

export const products = pgTable(
  "products",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    category: text("category"),
    priceMinor: money("price_minor"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("products_shop_external").on(t.shopId, t.externalId)],
);

/**
 * An order belongs to a customer of its own shop (and so to an existing shop): checked once per
 * statement over all the orders it wrote rather than by a key checked order by order, and deleting
 * customers deletes their orders, by a trigger once per statement (drizzle/0028,
 * docs/decisions/003-imports.md).
 */
export const orders = pgTable(
  "orders",
  {
    shopId: uuid("shop_id").notNull(),
    /** Unique with the shop id: order lines reference (shop_id, id), so a line cannot join another shop's order. */
    id: timeOrderedId(),
    externalId: text("external_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    placedAt: ts("placed_at").notNull(),
    /** The order's total as placed (gross). What the shop kept is `net_minor` of the `sales` view. */
    totalMinor: money("total_minor").notNull(),
    /** Refunded so far, in the order's currency (a partial refund keeps the order a sale). */
    refundedMinor: money("refunded_minor").notNull().default(0),
    status: orderStatusEnum("status").notNull().default("paid"),
    cancelledAt: ts("cancelled_at"),
    currency: char("currency", { length: 3 }).notNull(),
    /** Where the order was placed: web, pos, marketplace, phone… */
    channel: text("channel").notNull().default("web"),
    /** The import that created the order, if one did (provenance; lets an import recognise its own orders). */
    importId: uuid("import_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.id] }),
    uniqueIndex("orders_shop_external").on(t.shopId, t.externalId),
    index("orders_shop_customer_placed").on(t.shopId, t.customerId, t.placedAt),
    index("orders_shop_placed").on(t.shopId, t.placedAt),
  ],
);

/**
 * The orders that count as sales (not cancelled, fully refunded or failed) with what the shop kept:
 * net = total − refunds. Defined in drizzle/0009; read by revenue, segments, value and metrics.
 */
export const sales = pgView("sales", {
  shopId: uuid("shop_id").notNull(),
  id: uuid("id").notNull(),
  externalId: text("external_id").notNull(),
  customerId: uuid("customer_id").notNull(),
  placedAt: ts("placed_at").notNull(),
  currency: char("currency", { length: 3 }).notNull(),
  channel: text("channel").notNull(),
  status: orderStatusEnum("status").notNull(),
  totalMinor: money("total_minor").notNull(),
  refundedMinor: money("refunded_minor").notNull(),
  netMinor: money("net_minor").notNull(),
}).existing();

/**
 * Lines of an order. A line belongs to an order of its own shop, checked once per statement over
 * all the lines it wrote rather than by a key checked line by line, which cost more than writing a
 * million imported lines; deleting orders removes their lines, by a trigger once per statement
 * (drizzle/0016, docs/decisions/003-imports.md). The product a line came from is a reference
 * without a key: the line keeps its own name and category, and a product deleted by hand clears it
 * from its lines (drizzle/0015).
 */
export const orderItems = pgTable(
  "order_items",
  {
    shopId: uuid("shop_id").notNull(),
    id: timeOrderedId(),
    orderId: uuid("order_id").notNull(),
    productId: uuid("product_id"),
    name: text("name").notNull(),
    category: text("category"),
    quantity: integer("quantity").notNull(),
    priceMinor: money("price_minor").notNull(),
  },
  // One key serves reading an order's lines and the line's own identity (drizzle/0028).
  (t) => [primaryKey({ columns: [t.shopId, t.orderId, t.id] })],
);

/** Raw behavioural events; payload stays minimal and expires after the shop's retention. */
export const events = pgTable(
  "events",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    occurredAt: ts("occurred_at").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("events_shop_customer_occurred").on(t.shopId, t.customerId, t.occurredAt),
    index("events_shop_type_occurred").on(t.shopId, t.type, t.occurredAt),
  ],
);

// ---- Consent ----

export const policyVersions = pgTable(
  "policy_versions",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    version: text("version").notNull(),
    text: text("text").notNull(),
    sha256: char("sha256", { length: 64 }).notNull(),
    effectiveAt: ts("effective_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("policy_versions_shop_version").on(t.shopId, t.version)],
);

/**
 * The consent ledger: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained
 * per shop through `seq` and `prev_hash`. See lib/consent/hash-consent-event.ts for the hash.
 */
export const consentEvents = pgTable(
  "consent_events",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "restrict" }),
    channel: channelEnum("channel").notNull(),
    purpose: purposeEnum("purpose").notNull(),
    action: consentActionEnum("action").notNull(),
    method: text("method").notNull(),
    policyVersionId: uuid("policy_version_id").references(() => policyVersions.id),
    policySha256: char("policy_sha256", { length: 64 }),
    gpc: boolean("gpc").notNull().default(false),
    actorType: actorEnum("actor_type").notNull(),
    actorId: text("actor_id"),
    requestId: text("request_id"),
    page: text("page"),
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: ts("occurred_at").notNull(),
    recordedAt: ts("recorded_at").notNull().defaultNow(),
    prevHash: char("prev_hash", { length: 64 }),
    hash: char("hash", { length: 64 }).notNull(),
  },
  (t) => [
    uniqueIndex("consent_events_shop_seq").on(t.shopId, t.seq),
    index("consent_events_shop_customer").on(t.shopId, t.customerId, t.seq),
  ],
);

/** Current consent per customer × channel × purpose, maintained from the ledger by a trigger. */
export const consentState = pgTable(
  "consent_state",
  {
    shopId: shopRef(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    channel: channelEnum("channel").notNull(),
    purpose: purposeEnum("purpose").notNull(),
    granted: boolean("granted").notNull(),
    eventId: uuid("event_id").notNull(),
    eventHash: char("event_hash", { length: 64 }).notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.customerId, t.channel, t.purpose] })],
);

// ---- Segments ----

export const segments = pgTable(
  "segments",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["builtin", "custom"] }).notNull(),
    description: text("description"),
    rules: jsonb("rules").$type<unknown>(),
    size: integer("size").notNull().default(0),
    refreshedAt: ts("refreshed_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("segments_shop_key").on(t.shopId, t.key)],
);

/**
 * Who is in which segment, and the parameters of the sentence that says why; the sentence itself is
 * rendered on read (lib/segments/reason-sentences.ts) from these, the segment and the customer's
 * scores. Members and scores are derived data that every refresh rewrites in bulk, so they carry
 * no foreign keys (a per-row key check cost more than the rows themselves); deleting a customer or
 * a segment removes theirs through statement triggers (drizzle/0012).
 */
export const segmentMembers = pgTable(
  "segment_members",
  {
    shopId: uuid("shop_id").notNull(),
    segmentId: uuid("segment_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    /** Null when the sentence needs only the segment and the customer's scores. */
    reasonParams: jsonb("reason_params").$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.shopId, t.segmentId, t.customerId] }),
    index("segment_members_customer").on(t.shopId, t.customerId),
  ],
);

/**
 * What a refresh computed per customer: order history, RFM scores and group, lifecycle stage and the
 * predicted value. Segments, their reasons and the rule builder read from here.
 */
export const customerScores = pgTable(
  "customer_scores",
  {
    shopId: uuid("shop_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    /** Distinct orders, and distinct order days (the models count one purchase per day). */
    orders: integer("orders").notNull(),
    purchaseDays: integer("purchase_days").notNull(),
    revenueMinor: money("revenue_minor").notNull(),
    firstOrderAt: ts("first_order_at").notNull(),
    lastOrderAt: ts("last_order_at").notNull(),
    recencyScore: smallint("recency_score").notNull(),
    frequencyScore: smallint("frequency_score").notNull(),
    monetaryScore: smallint("monetary_score").notNull(),
    rfmGroup: text("rfm_group").notNull(),
    lifecycle: text("lifecycle").notNull(),
    /** Null when the shop has too few repeat customers for the model. */
    pAlive: doublePrecision("p_alive"),
    expectedPurchases90d: doublePrecision("expected_purchases_90d"),
    /** 90 % bootstrap interval of the expected purchases (lib/segments/shop-value-model.ts). */
    expectedPurchases90dLow: doublePrecision("expected_purchases_90d_low"),
    expectedPurchases90dHigh: doublePrecision("expected_purchases_90d_high"),
    expectedOrderValueMinor: money("expected_order_value_minor"),
    /** 12-month value: from the model, or the customer's history when the model is not trusted. */
    predictedValueMinor: money("predicted_value_minor").notNull(),
    predictedValueLowMinor: money("predicted_value_low_minor"),
    predictedValueHighMinor: money("predicted_value_high_minor"),
    valueBasis: text("value_basis", { enum: ["model", "history"] }).notNull(),
    computedAt: ts("computed_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.customerId] })],
);

/** Each segment refresh: when, why, how it went, the thresholds it used and the model it fitted. */
export const segmentRefreshes = pgTable(
  "segment_refreshes",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    trigger: text("trigger", { enum: ["manual", "import", "schedule", "cli"] }).notNull(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    failure: text("failure"),
    customers: integer("customers").notNull().default(0),
    /** Thresholds and model summary shown on the Segments page (lib/segments/refresh-segments.ts). */
    summary: jsonb("summary").$type<unknown>(),
  },
  (t) => [index("segment_refreshes_shop_started").on(t.shopId, t.startedAt)],
);

// ---- Campaigns and sends ----

export const campaigns = pgTable(
  "campaigns",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    channel: channelEnum("channel").notNull(),
    purpose: purposeEnum("purpose").notNull(),
    segmentId: uuid("segment_id").references(() => segments.id, { onDelete: "set null" }),
    status: campaignStatusEnum("status").notNull().default("draft"),
    holdoutPct: smallint("holdout_pct").notNull().default(10),
    trigger: text("trigger"),
    automation: boolean("automation").notNull().default(false),
    costMinor: money("cost_minor").notNull().default(0),
    /** The owner says the message carries a discount or coupon: the fairness report counts who gets offers by it. */
    offer: boolean("offer").notNull().default(false),
    attributionDays: smallint("attribution_days").notNull().default(7),
    /** Narrows the segment: the rule builder's conditions (lib/segments/rules.ts), or null for the whole segment. */
    rules: jsonb("rules").$type<Record<string, unknown>>(),
    /** When an approved one-off campaign starts; null: as soon as it is approved. */
    scheduledAt: ts("scheduled_at"),
    /** The guardrail: the campaign pauses itself when opt-outs exceed this share of delivered messages (basis points; 100 = 1 %)… */
    optOutThresholdBp: smallint("opt_out_threshold_bp").notNull().default(100),
    /** …once at least this many have opted out (a handful of opt-outs in a small send is not a trend). */
    optOutMinCount: smallint("opt_out_min_count").notNull().default(5),
    /** Why the campaign paused itself (or was paused), in words the owner reads. */
    pausedReason: text("paused_reason"),
    approvedBy: uuid("approved_by").references(() => users.id, { onDelete: "set null" }),
    approvedAt: ts("approved_at"),
    createdAt: createdAt(),
  },
  (t) => [index("campaigns_shop").on(t.shopId)],
);

/**
 * One targeting of a campaign's audience (a one-off campaign has one; an automation one per
 * trigger), with its funnel: how many customers each step kept and why the others were left out.
 */
export const campaignRuns = pgTable(
  "campaign_runs",
  {
    shopId: shopRef(),
    id: timeOrderedId().primaryKey(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    trigger: text("trigger").notNull(),
    decidedAt: ts("decided_at").notNull(),
    /** Counts per step: considered, then each exclusion reason, holdout and queued. */
    funnel: jsonb("funnel").$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [index("campaign_runs_campaign").on(t.shopId, t.campaignId, t.decidedAt)],
);

/**
 * Every customer a run considered, with its decision: queued (a send was written), holdout, or
 * excluded with the reason. A derived table written in bulk, without keys (as segment members):
 * removed with its run by a trigger (drizzle/0019).
 */
export const campaignDecisions = pgTable(
  "campaign_decisions",
  {
    shopId: uuid("shop_id").notNull(),
    runId: uuid("run_id").notNull(),
    customerId: uuid("customer_id").notNull(),
    /** queued | holdout | erased | suppressed | no_address | no_consent | contact_budget | frequency_cap */
    outcome: text("outcome").notNull(),
    variantId: uuid("variant_id"),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.runId, t.customerId] })],
);

/** Addresses that bounced or complained: never sent to again on that channel. */
export const suppressions = pgTable(
  "suppressions",
  {
    shopId: shopRef(),
    channel: channelEnum("channel").notNull(),
    address: text("address").notNull(),
    reason: text("reason", { enum: ["bounce", "complaint", "manual"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.channel, t.address] })],
);

export const variants = pgTable(
  "variants",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    weight: smallint("weight").notNull().default(1),
    paused: boolean("paused").notNull().default(false),
  },
  (t) => [uniqueIndex("variants_campaign_key").on(t.shopId, t.campaignId, t.key)],
);

/**
 * The outbox: one row per message to send, written with its run's decisions in one transaction
 * and taken by the workers; it keeps the consent receipt (the ledger event and hash the send
 * relied on) and why the customer got it. Written in bulk (a run of 100,000 customers queues
 * 90,000), so its references — the campaign, the variant and the customer, each of the message's
 * own shop — are checked once per statement by triggers rather than by keys row by row, and
 * deleting a campaign or customer removes its messages (a variant: clears it), also by triggers
 * (drizzle/0026).
 */
export const sends = pgTable(
  "sends",
  {
    shopId: uuid("shop_id").notNull(),
    id: timeOrderedId().primaryKey(),
    /** The targeting run that queued it (null for messages recorded before runs existed). */
    runId: uuid("run_id"),
    campaignId: uuid("campaign_id").notNull(),
    variantId: uuid("variant_id"),
    customerId: uuid("customer_id").notNull(),
    channel: channelEnum("channel").notNull(),
    holdout: boolean("holdout").notNull().default(false),
    status: sendStatusEnum("status").notNull().default("queued"),
    why: text("why").notNull(),
    consentEventId: uuid("consent_event_id"),
    consentHash: char("consent_hash", { length: 64 }),
    idempotencyKey: text("idempotency_key").notNull(),
    skipReason: text("skip_reason"),
    queuedAt: createdAt(),
    /** Not before: the end of the customer's quiet hours when the run fell inside them. */
    sendAfter: ts("send_after").notNull().defaultNow(),
    /** The worker holding it while sending, and since when (its lease). */
    claimedBy: text("claimed_by"),
    claimedAt: ts("claimed_at"),
    attempts: smallint("attempts").notNull().default(0),
    /** The last failure, in words, when a send failed or is being retried. */
    lastError: text("last_error"),
    /** The email's Message-ID: fixed per send, so a message sent again after a crash is the same message to the mailbox. */
    messageId: text("message_id"),
    sentAt: ts("sent_at"),
  },
  (t) => [
    uniqueIndex("sends_shop_idempotency").on(t.shopId, t.idempotencyKey),
    index("sends_shop_status").on(t.shopId, t.status),
    index("sends_shop_customer_sent").on(t.shopId, t.customerId, t.sentAt),
    // The workers take queued messages whose time has come, oldest first (drizzle/0019).
    index("sends_queued_due").on(t.sendAfter).where(sql`status = 'queued'`),
  ],
);

/** Marketing spend per channel and month, for CAC and ROMI. */
export const spend = pgTable(
  "spend",
  {
    shopId: shopRef(),
    channel: text("channel").notNull(),
    month: date("month", { mode: "string" }).notNull(),
    amountMinor: money("amount_minor").notNull(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.channel, t.month] })],
);

export const surveyResponses = pgTable(
  "survey_responses",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null once the customer is erased: the score still counts, anonymously. */
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "set null" }),
    /** The survey: the campaign that asked (null for answers imported or recorded before links named one). */
    campaignId: uuid("campaign_id").references(() => campaigns.id, { onDelete: "set null" }),
    /** The message whose link was answered; one answer per message, so one per customer per survey. */
    sendId: uuid("send_id").references(() => sends.id, { onDelete: "set null" }),
    score: smallint("score").notNull(),
    comment: text("comment"),
    respondedAt: ts("responded_at").notNull(),
  },
  (t) => [
    index("survey_responses_shop_at").on(t.shopId, t.respondedAt),
    uniqueIndex("survey_responses_one_per_send").on(t.shopId, t.sendId),
    index("survey_responses_customer").on(t.shopId, t.customerId),
  ],
);

export const imports = pgTable(
  "imports",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    kind: importKindEnum("kind").notNull(),
    fileName: text("file_name").notNull(),
    fileSha256: char("file_sha256", { length: 64 }).notNull(),
    status: jobStatusEnum("status").notNull().default("queued"),
    total: integer("total").notNull().default(0),
    imported: integer("imported").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    errors: jsonb("errors").$type<{ row: number; column: string; message: string }[]>().notNull().default([]),
    ignoredColumns: jsonb("ignored_columns").$type<{ column: string; reason: string }[]>().notNull().default([]),
    header: jsonb("header").$type<string[]>().notNull().default([]),
    unchanged: integer("unchanged").notNull().default(0),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    failure: text("failure"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    finishedAt: ts("finished_at"),
  },
  (t) => [index("imports_shop_created").on(t.shopId, t.createdAt)],
);

/**
 * The cells of rejected rows, so the owner can download them with their errors, fix and re-import.
 * Kept only as long as the import record (see lib/privacy retention).
 */
export const importRejectedRows = pgTable(
  "import_rejected_rows",
  {
    shopId: shopRef(),
    importId: uuid("import_id")
      .notNull()
      .references(() => imports.id, { onDelete: "cascade" }),
    row: integer("row").notNull(),
    values: jsonb("values").$type<string[]>().notNull(),
    column: text("column").notNull(),
    message: text("message").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.importId, t.row] })],
);

/** Requests per API key per minute, for the rate limit (kept in the database so it holds across instances). */
export const apiUsage = pgTable(
  "api_usage",
  {
    shopId: shopRef(),
    keyId: uuid("key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    windowStart: ts("window_start").notNull(),
    requests: integer("requests").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.keyId, t.windowStart] })],
);

/** Webhook ids and API idempotency keys already processed, so a retry has no second effect. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    shopId: shopRef(),
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    responseStatus: smallint("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.scope, t.key] })],
);

/**
 * Deliveries received on the shop's webhook endpoint, by the sender's webhook-id: a delivery seen
 * before is answered 200 without a second effect (kept at least 24 h; the Settings page lists the
 * latest). Only signed deliveries are recorded; `result` is what the first one answered.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    shopId: shopRef(),
    id: text("id").notNull(),
    type: text("type").notNull(),
    /** accepted (applied) | rejected (the body did not fit; a corrected retry with the same id is applied). */
    status: text("status", { enum: ["accepted", "rejected"] }).notNull(),
    receivedAt: ts("received_at").notNull().defaultNow(),
    error: text("error"),
    result: jsonb("result").$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.id] }), index("webhook_deliveries_received").on(t.shopId, t.receivedAt)],
);

/**
 * Every check of the consent ledger's hash chain (the Consent log's Verify, `regulars consent
 * verify`), so the Overview can say when the chain was last found intact and how many events came
 * after. A check is a fact about a moment: rows are only added.
 */
export const ledgerChecks = pgTable(
  "ledger_checks",
  {
    shopId: shopRef(),
    id: uuid("id").primaryKey().defaultRandom(),
    checkedAt: ts("checked_at").notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    events: integer("events").notNull(),
    headSeq: bigint("head_seq", { mode: "number" }).notNull(),
    firstBadSeq: bigint("first_bad_seq", { mode: "number" }),
    reason: text("reason").notNull(),
    /** page | cli */
    source: text("source", { enum: ["page", "cli"] }).notNull(),
  },
  (t) => [index("ledger_checks_shop_at").on(t.shopId, t.checkedAt)],
);

/** The Overview's figures for a range, kept once computed (lib/metrics/metrics-snapshots.ts). */
export const metricsSnapshots = pgTable(
  "metrics_snapshots",
  {
    shopId: shopRef(),
    /** The range and channel: "2025-01|2026-12|web". */
    key: text("key").notNull(),
    computedAt: ts("computed_at").notNull(),
    computeMs: integer("compute_ms").notNull(),
    body: jsonb("body").$type<unknown>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.shopId, t.key] })],
);

/** Tables whose rows belong to one shop. The RLS migration and the tests iterate over this list. */
export const tenantTables = [
  "memberships",
  "invitations",
  "api_keys",
  "webhook_secrets",
  "customers",
  "attribute_definitions",
  "customer_attributes",
  "products",
  "orders",
  "order_items",
  "events",
  "policy_versions",
  "consent_events",
  "consent_state",
  "segments",
  "segment_members",
  "customer_scores",
  "segment_refreshes",
  "campaigns",
  "variants",
  "sends",
  "campaign_runs",
  "campaign_decisions",
  "suppressions",
  "spend",
  "survey_responses",
  "imports",
  "import_rejected_rows",
  "api_usage",
  "idempotency_keys",
  "webhook_deliveries",
  "ledger_checks",
  "metrics_snapshots",
] as const;
