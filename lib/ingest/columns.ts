// Which column means what. Headers are matched after normalising (case, spaces, punctuation)
// against the plain templates of DESIGN.md and the names in Shopify's and WooCommerce's exports.
// Anything unmatched is ignored and listed as "not stored"; headers naming a sensitive category
// are never mapped, not even by the owner.
import { AppError } from "../errors";

export const IMPORT_KINDS = ["customers", "orders", "consent", "spend"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const FIELDS = {
  customers: {
    externalId: ["external id", "customer id", "id", "customer number", "client id"],
    email: ["email", "e mail", "email address", "customer email", "billing email"],
    phone: ["phone", "phone number", "mobile", "default address phone", "billing phone"],
    firstName: ["first name", "firstname", "given name", "billing first name"],
    lastName: ["last name", "lastname", "surname", "family name", "billing last name"],
    fullName: ["name", "full name", "customer name"],
    timeZone: ["time zone", "timezone"],
    locale: ["locale", "language"],
    acceptsEmailMarketing: ["accepts email marketing", "accepts marketing", "email marketing consent", "email opt in"],
    acceptsSmsMarketing: ["accepts sms marketing", "sms marketing consent", "sms opt in"],
  },
  orders: {
    orderId: ["order id", "order number", "order no", "name", "id"],
    customerId: ["customer id", "customer external id", "customer user id", "customer number"],
    customerEmail: ["customer email", "email", "billing email", "email billing", "customer email billing"],
    customerName: ["billing name", "customer name"],
    placedAt: ["placed at", "created at", "order date", "date", "order created"],
    total: ["total", "order total", "order total amount", "total amount", "grand total"],
    currency: ["currency", "order currency"],
    productId: ["product id", "lineitem sku", "sku", "product sku", "item sku"],
    productName: ["product name", "lineitem name", "item name", "product"],
    category: ["category", "product type", "product category"],
    quantity: ["quantity", "lineitem quantity", "qty", "item quantity"],
    price: ["price", "lineitem price", "item cost", "unit price", "item price"],
    channel: ["channel", "source", "sales channel"],
  },
  consent: {
    customerId: ["customer id", "external id", "id"],
    customerEmail: ["customer email", "email"],
    channel: ["channel"],
    purpose: ["purpose"],
    action: ["action", "status"],
    occurredAt: ["occurred at", "date", "timestamp", "consented at"],
    source: ["source", "collected via", "form"],
  },
  spend: {
    month: ["month", "period", "date"],
    channel: ["channel", "source", "medium"],
    amount: ["amount", "spend", "cost"],
  },
} as const satisfies Record<ImportKind, Record<string, readonly string[]>>;

export type FieldOf<K extends ImportKind> = keyof (typeof FIELDS)[K] & string;

/** Columns a file of this kind cannot do without (alternatives in an inner list). */
const REQUIRED: Record<ImportKind, string[][]> = {
  customers: [["externalId", "email"]],
  orders: [["orderId"], ["placedAt"], ["customerId", "customerEmail"], ["total", "price"]],
  consent: [["customerId", "customerEmail"], ["channel"], ["purpose"], ["action"]],
  spend: [["month"], ["channel"], ["amount"]],
};

const SENSITIVE = /(relig|ethnic|\brace\b|health|medical|diagnos|disab|sexual|politic|trade union|biometric|genetic|latitude|longitude|\bgps\b|geo ?location|precise location|criminal)/;

export const normaliseHeader = (h: string) =>
  h.toLowerCase().replace(/[()[\]{}#:_\-./]+/g, " ").replace(/\s+/g, " ").trim();

export const isSensitiveHeader = (h: string) => SENSITIVE.test(normaliseHeader(h));

export interface ColumnMapping {
  /** Field per column index, or null when the column is ignored. */
  fields: (string | null)[];
  ignored: { column: string; reason: "unknown" | "sensitive" | "duplicate" }[];
}

export interface ProposedMapping extends ColumnMapping {
  /** Required fields no column provides, each as its alternatives' display names. */
  missing: string[][];
}

/** Display name of a field: its template header. */
export const fieldLabel = (kind: ImportKind, field: string) => ((FIELDS[kind] as Record<string, readonly string[]>)[field] ?? [field])[0]!;

/**
 * Maps the header to fields. `overrides` (header → field, or "" to ignore) come from the owner's
 * choices in the import page and win over recognition; a sensitive header stays unmapped.
 */
export function proposeMapping(kind: ImportKind, header: string[], overrides: Record<string, string> = {}): ProposedMapping {
  const catalog = FIELDS[kind] as Record<string, readonly string[]>;
  const used = new Set<string>();
  const fields: (string | null)[] = [];
  const ignored: ColumnMapping["ignored"] = [];
  // Recognise in the catalogue's order of preference: "Order ID" beats Shopify's internal "Id".
  const recognised = header.map((h) => {
    const n = normaliseHeader(h);
    let best: { field: string; rank: number } | null = null;
    for (const [field, names] of Object.entries(catalog)) {
      const rank = names.indexOf(n);
      if (rank >= 0 && (!best || rank < best.rank)) best = { field, rank };
    }
    return best;
  });
  // The owner's own choices claim their fields first.
  const rankOf = (i: number) => (Object.hasOwn(overrides, header[i]!) ? -1 : (recognised[i]?.rank ?? 99));
  const order = header.map((_, i) => i).sort((a, b) => rankOf(a) - rankOf(b));
  const chosen = new Map<number, string | null>();
  for (const i of order) {
    const h = header[i]!;
    if (isSensitiveHeader(h)) {
      chosen.set(i, null);
      continue;
    }
    const override = Object.hasOwn(overrides, h) ? overrides[h] : undefined;
    if (override !== undefined && override !== "" && !Object.hasOwn(catalog, override)) {
      throw new AppError("invalid_input", `"${override}" is not a field of a ${kind} import (column "${h}").`);
    }
    const field = override !== undefined ? override || null : (recognised[i]?.field ?? null);
    if (field && used.has(field)) {
      chosen.set(i, null);
      ignored.push({ column: h, reason: "duplicate" });
      continue;
    }
    if (field) used.add(field);
    chosen.set(i, field);
  }
  header.forEach((h, i) => {
    const field = chosen.get(i) ?? null;
    fields.push(field);
    if (!field && !ignored.some((x) => x.column === h)) ignored.push({ column: h, reason: isSensitiveHeader(h) ? "sensitive" : "unknown" });
  });

  const missing = REQUIRED[kind]
    .filter((alternatives) => !alternatives.some((f) => used.has(f)))
    .map((alternatives) => alternatives.map((f) => fieldLabel(kind, f)));
  return { fields, ignored, missing };
}

/** The mapping an import runs with; a file lacking a required column fails as a whole. */
export function mapColumns(kind: ImportKind, header: string[], overrides: Record<string, string> = {}): ColumnMapping {
  const { fields, ignored, missing } = proposeMapping(kind, header, overrides);
  if (missing.length > 0) {
    throw new AppError(
      "invalid_input",
      `This does not look like a file of ${kind}: it has no column for ${missing.map((alts) => alts.map((a) => `"${a}"`).join(" or ")).join(", ")}. ` +
        `Columns found: ${header.map((h) => `"${h}"`).join(", ") || "none"}.`,
    );
  }
  return { fields, ignored };
}
