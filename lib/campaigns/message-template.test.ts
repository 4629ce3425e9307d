import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { parseTemplate, renderMessage, type MessageValues } from "./message-template";

const values: MessageValues = { firstName: "Ana", shopName: "Bike & Bean", lastOrderDate: "3 March 2026", lastOrderProduct: "Inner tube", recommendedProducts: ["Tyre levers", "Pump", "Bell", "Lights"] };
const links = { preferencesUrl: "https://shop.example/p/tok", unsubscribeUrl: "https://shop.example/u/tok", why: "You bought from us 3 times and your last order was 40 days ago." };

describe("message templates", () => {
  it("fills merge fields, falls back where the customer has no value, and adds the footer every message carries", () => {
    const m = renderMessage(
      { subject: "{{ first_name | Hello }}, we miss you at {{shop_name}}", body: "Hi {{first_name|there}},\n\nHow is the {{last_order_product}} from {{last_order_date}}?\n\nYou may like:{{recommended_products}}" },
      values,
      links,
    );
    expect(m.subject).toBe("Ana, we miss you at Bike & Bean");
    expect(m.text).toBe(
      "Hi Ana,\n\nHow is the Inner tube from 3 March 2026?\n\nYou may like:\n- Tyre levers\n- Pump\n- Bell\n\n--\n\n"
        + "Why you got this: You bought from us 3 times and your last order was 40 days ago.\n\nYour preferences: https://shop.example/p/tok\n\nUnsubscribe: https://shop.example/u/tok\n",
    );
    expect(m.html).toContain("<p>Hi Ana,</p>");
    expect(m.html).toContain("<div>You may like:<ul><li>Tyre levers</li><li>Pump</li><li>Bell</li></ul></div>");
    expect(m.html).toContain('<a href="https://shop.example/u/tok">Unsubscribe</a>');

    const bare = renderMessage({ subject: "{{first_name|Hello}}!", body: "Hi {{first_name|there}},\n\n{{recommended_products}}\n\nSee you soon." }, { ...values, firstName: "  ", recommendedProducts: [] }, links);
    expect(bare.subject).toBe("Hello!");
    // The paragraph that held only an empty list is left out, not left blank.
    expect(bare.text.startsWith("Hi there,\n\nSee you soon.\n\n--")).toBe(true);
  });

  it("escapes what customers and products bring into HTML, and keeps the subject one line", () => {
    const m = renderMessage(
      { subject: "For {{first_name}}", body: "Dear {{first_name}}, about {{last_order_product}}" },
      { ...values, firstName: "<script>alert(1)</script>\r\nBcc: all@example.com", lastOrderProduct: 'Lamp "x" & <b>' },
      { ...links, unsubscribeUrl: 'https://shop.example/u/a"onmouseover="x' },
    );
    expect(m.subject).toBe("For <script>alert(1)</script> Bcc: all@example.com");
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("Dear &#60;script&#62;alert(1)&#60;/script&#62; Bcc: all@example.com, about Lamp &#34;x&#34; &#38; &#60;b&#62;");
    expect(m.html).toContain('href="https://shop.example/u/a&#34;onmouseover=&#34;x"');
  });

  it("refuses an unknown field or stray braces when the variant is saved, naming the fields to use", () => {
    const refusal = (t: string, what: "subject" | "body" = "body") => {
      try {
        parseTemplate(t, what);
        return "accepted";
      } catch (e) {
        return e instanceof AppError ? e.message : String(e);
      }
    };
    expect(refusal("Hi {{frist_name}}")).toBe(
      "The body uses {{frist_name}}, which is not a merge field. Use one of: {{first_name}}, {{shop_name}}, {{last_order_date}}, {{last_order_product}}, {{recommended_products}}, {{survey_link}}.",
    );
    expect(refusal("Hi {{first_name}, welcome")).toBe('The body has braces that are not a merge field near "Hi {{first_name}, welcome". Write a field as {{first_name}}.');
    expect(refusal("Our picks {{recommended_products}}", "subject")).toBe("{{recommended_products}} is a list and belongs in the body, not the subject.");
    expect(refusal("Plain text, no fields at all.")).toBe("accepted");
    expect(parseTemplate("{{ FIRST_NAME | friend }}!", "body")).toEqual([{ field: "first_name", fallback: "friend" }, { text: "!" }]);
  });
});
