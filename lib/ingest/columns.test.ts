import { describe, expect, it } from "vitest";
import { mapColumns } from "./columns";

const fieldsOf = (m: ReturnType<typeof mapColumns>, header: string[]) => Object.fromEntries(header.map((h, i) => [h, m.fields[i]]));

describe("recognising columns", () => {
  it("reads Shopify's customer export", () => {
    const header = ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company", "Default Address Phone", "Phone", "Accepts SMS Marketing", "Total Spent", "Tags"];
    const m = mapColumns("customers", header);
    expect(fieldsOf(m, header)).toMatchObject({
      "Customer ID": "externalId", Email: "email", Phone: "phone", "Accepts Email Marketing": "acceptsEmailMarketing", "Accepts SMS Marketing": "acceptsSmsMarketing",
      "Default Address Phone": "phoneFallback", "Total Spent": null,
    });
    expect(m.ignored.map((i) => i.column)).toEqual(expect.arrayContaining(["Default Address Company", "Total Spent", "Tags"]));
  });

  it("reads Shopify's order export, preferring the order name over the internal id", () => {
    const header = ["Name", "Email", "Financial Status", "Created at", "Total", "Currency", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem sku", "Id"];
    expect(fieldsOf(mapColumns("orders", header), header)).toMatchObject({
      Name: "orderId", Email: "customerEmail", "Created at": "placedAt", Total: "total", "Lineitem quantity": "quantity", "Lineitem name": "productName", "Lineitem price": "price", "Lineitem sku": "productId", Id: null,
    });
  });

  it("reads a WooCommerce order export and the plain template", () => {
    const woo = ["Order Number", "Order Date", "Billing Email", "Order Total", "Item Name", "Quantity", "Item Cost", "SKU"];
    expect(mapColumns("orders", woo).fields).toEqual(["orderId", "placedAt", "customerEmail", "total", "productName", "quantity", "price", "productId"]);
    const plain = ["order_id", "customer_id", "customer_email", "placed_at", "total", "currency", "product_id", "product_name", "category", "quantity", "price"];
    expect(mapColumns("orders", plain).fields).toEqual(["orderId", "customerId", "customerEmail", "placedAt", "total", "currency", "productId", "productName", "category", "quantity", "price"]);
  });

  it("never maps a column of a sensitive category, even when asked to", () => {
    const header = ["email", "Religion", "Health notes", "Latitude", "Political party"];
    const m = mapColumns("customers", header, { Religion: "locale" });
    expect(m.fields).toEqual(["email", null, null, null, null]);
    expect(m.ignored.filter((i) => i.reason === "sensitive").map((i) => i.column)).toEqual(["Religion", "Health notes", "Latitude", "Political party"]);
  });

  it("lets the owner map an unknown header and ignore a known one", () => {
    const header = ["Kundennummer", "E-Mail-Adresse", "Phone"];
    const m = mapColumns("customers", header, { Kundennummer: "externalId", "E-Mail-Adresse": "email", Phone: "" });
    expect(m.fields).toEqual(["externalId", "email", null]);
    expect(() => mapColumns("customers", header, { Kundennummer: "shoeSize" })).toThrow('"shoeSize" is not a field of a customers import');
  });

  it("takes the README's template names, field keys or known headers as mapping targets, and lists the valid ones otherwise", () => {
    const header = ["Auftrag", "Kunde", "Datum", "Summe"];
    const byTemplate = mapColumns("orders", header, { Auftrag: "order_id", Kunde: "customer_id", Datum: "placed_at", Summe: "total" });
    expect(byTemplate.fields).toEqual(["orderId", "customerId", "placedAt", "total"]);
    expect(mapColumns("orders", header, { Auftrag: "orderId", Kunde: "Customer Email", Datum: "Order Date", Summe: "total" }).fields).toEqual([
      "orderId", "customerEmail", "placedAt", "total",
    ]);
    expect(() => mapColumns("orders", header, { Auftrag: "order_number_x" })).toThrow(
      /"order_number_x" is not a field of a orders import \(column "Auftrag"\)\. Use one of: order_id, customer_id, customer_email, .*placed_at, total, .*price/,
    );
  });

  it("reads the UCI Online Retail header (CamelCase names)", () => {
    const header = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"];
    expect(fieldsOf(mapColumns("orders", header), header)).toEqual({
      InvoiceNo: "orderId", StockCode: "productId", Description: "productName", Quantity: "quantity", InvoiceDate: "placedAt", UnitPrice: "price",
      CustomerID: "customerId", Country: null,
    });
  });

  it("reads a WooCommerce order export with billing columns, status and refunds", () => {
    const header = ["Order Number", "Order Status", "Order Date", "First Name (Billing)", "Last Name (Billing)", "Email (Billing)", "Phone (Billing)", "Order Refund Amount", "Order Total Amount", "SKU", "Item Name", "Quantity (- Refund)", "Item Cost"];
    expect(mapColumns("orders", header).fields).toEqual([
      "orderId", "status", "placedAt", "customerFirstName", "customerLastName", "customerEmail", "customerPhone", "refunded", "total", "productId", "productName", "quantity", "price",
    ]);
  });

  it("takes a Name column for the product when another column is the order id", () => {
    const header = ["Order ID", "Customer Email", "Date", "Name", "Price"];
    expect(mapColumns("orders", header).fields).toEqual(["orderId", "customerEmail", "placedAt", "productName", "price"]);
  });

  it("says which columns a file of the wrong kind lacks", () => {
    expect(() => mapColumns("orders", ["email", "first_name"])).toThrow(
      'This does not look like a file of orders: it has no column for "order id", "placed at", "total" or "price". Columns found: "email", "first_name".',
    );
  });
});
