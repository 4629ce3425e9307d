// Which column means what. Headers are matched after normalising (case, spaces, punctuation)
// against the plain templates of DESIGN.md and the names in Shopify's and WooCommerce's exports.
// Anything unmatched is ignored and listed as "not stored"; headers naming a sensitive category
// are never mapped, not even by the owner.
import { AppError } from "../errors";

export const IMPORT_KINDS = ["customers", "orders", "consent", "spend"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const FIELDS = {
  customers: {
    externalId: ["external id", "customer id", "id", "customer number", "client id", "customer user id"],
    email: ["email", "e mail", "email address", "customer email", "billing email", "email billing"],
    phone: ["phone", "phone number", "mobile", "mobile phone", "telephone", "billing phone", "phone billing"],
    /** Read when the phone column is empty (Shopify's "Default Address Phone"). */
    phoneFallback: ["default address phone", "shipping phone", "phone shipping", "address phone"],
    firstName: ["first name", "firstname", "given name", "billing first name", "first name billing"],
    lastName: ["last name", "lastname", "surname", "family name", "billing last name", "last name billing"],
    fullName: ["name", "full name", "customer name"],
    timeZone: ["time zone", "timezone"],
    locale: ["locale", "language"],
    acceptsEmailMarketing: ["accepts email marketing", "accepts marketing", "email marketing consent", "email opt in"],
    acceptsSmsMarketing: ["accepts sms marketing", "sms marketing consent", "sms opt in"],
  },
  orders: {
    orderId: ["order id", "order number", "order no", "name", "id", "invoice no", "invoice number", "invoice"],
    customerId: ["customer id", "customer external id", "customer user id", "customer number"],
    customerEmail: ["customer email", "email", "billing email", "email billing", "customer email billing"],
    customerPhone: ["customer phone", "phone", "billing phone", "phone billing"],
    /** Read when the phone column is empty. */
    customerPhoneFallback: ["shipping phone", "phone shipping", "default address phone"],
    customerName: ["billing name", "customer name"],
    customerFirstName: ["first name billing", "billing first name", "first name"],
    customerLastName: ["last name billing", "billing last name", "last name"],
    placedAt: ["placed at", "created at", "order date", "date", "order created", "invoice date"],
    total: ["total", "order total", "order total amount", "total amount", "grand total"],
    currency: ["currency", "order currency"],
    status: ["status", "financial status", "order status", "payment status"],
    refunded: ["refunded", "refunded amount", "order refund amount", "refund amount", "total refunded", "amount refunded"],
    cancelledAt: ["cancelled at", "canceled at", "cancelled date", "cancellation date"],
    productId: ["product id", "lineitem sku", "sku", "product sku", "item sku", "stock code"],
    productName: ["product name", "lineitem name", "item name", "product", "description", "product title", "name"],
    category: ["category", "product type", "product category"],
    quantity: ["quantity", "lineitem quantity", "qty", "item quantity", "quantity refund"],
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
  orders: [["orderId"], ["placedAt"], ["customerId", "customerEmail", "customerPhone"], ["total", "price"]],
  consent: [["customerId", "customerEmail"], ["channel"], ["purpose"], ["action"]],
  spend: [["month"], ["channel"], ["amount"]],
};

const SENSITIVE = /(relig|ethnic|\brace\b|health|medical|diagnos|disab|sexual|politic|trade union|biometric|genetic|latitude|longitude|\bgps\b|geo ?location|precise location|criminal)/;

/** "CustomerID", "Unit_Price" and "unit price" all read as "customer id" / "unit price". */
export const normaliseHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[()[\]{}#:_\-./&]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

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

/** A field's name in the README's CSV templates: order_id, customer_email… */
export const templateName = (kind: ImportKind, field: string) => fieldLabel(kind, field).replace(/ /g, "_");

/**
 * The field an owner's mapping names: the template name (order_id), the field's own key (orderId)
 * or any header the catalogue knows for it. An unknown name is refused with the valid ones.
 */
export function resolveFieldName(kind: ImportKind, target: string, column: string): string {
  const catalog = FIELDS[kind] as Record<string, readonly string[]>;
  if (Object.hasOwn(catalog, target)) return target;
  const n = normaliseHeader(target);
  const exact = Object.keys(catalog).find((f) => catalog[f]![0] === n);
  const known = exact ?? Object.keys(catalog).find((f) => catalog[f]!.includes(n));
  if (known) return known;
  throw new AppError(
    "invalid_input",
    `"${target}" is not a field of a ${kind} import (column "${column}"). Use one of: ${Object.keys(catalog).map((f) => templateName(kind, f)).join(", ")}.`,
  );
}

/**
 * Maps the header to fields. `overrides` (header → field, or "" to ignore) come from the owner's
 * choices in the import page and win over recognition; a sensitive header stays unmapped.
 */
export function proposeMapping(kind: ImportKind, header: string[], overrides: Record<string, string> = {}): ProposedMapping {
  const catalog = FIELDS[kind] as Record<string, readonly string[]>;
  const chosen: (string | null)[] = header.map(() => null);
  const used = new Set<string>();
  const decided = new Set<number>();
  // The owner's own choices come first; a sensitive header stays unmapped whatever is asked.
  header.forEach((h, i) => {
    if (isSensitiveHeader(h)) {
      decided.add(i);
      return;
    }
    if (!Object.hasOwn(overrides, h)) return;
    decided.add(i);
    if (overrides[h] === "") return;
    const field = resolveFieldName(kind, overrides[h]!, h);
    if (!used.has(field)) {
      used.add(field);
      chosen[i] = field;
    }
  });
  // Then recognition, best match first: "Order ID" beats Shopify's internal "Id" for the order id,
  // and a "Name" column becomes the product name when another column already is the order id.
  const candidates = header.flatMap((h, i) => {
    if (decided.has(i)) return [];
    const n = normaliseHeader(h);
    return Object.entries(catalog).flatMap(([field, names]) => (names.includes(n) ? [{ i, field, rank: names.indexOf(n) }] : []));
  });
  candidates.sort((a, b) => a.rank - b.rank || a.i - b.i);
  for (const c of candidates) {
    if (chosen[c.i] !== null || decided.has(c.i) || used.has(c.field)) continue;
    chosen[c.i] = c.field;
    used.add(c.field);
  }
  const matched = new Set(candidates.map((c) => c.i));
  const ignored: ColumnMapping["ignored"] = header.flatMap((h, i) => {
    if (chosen[i] !== null) return [];
    const reason = isSensitiveHeader(h) ? "sensitive" : matched.has(i) || (Object.hasOwn(overrides, h) && overrides[h] !== "") ? "duplicate" : "unknown";
    return [{ column: h, reason } as const];
  });

  const missing = REQUIRED[kind]
    .filter((alternatives) => !alternatives.some((f) => used.has(f)))
    .map((alternatives) => alternatives.map((f) => fieldLabel(kind, f)));
  return { fields: chosen, ignored, missing };
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
