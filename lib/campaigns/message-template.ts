// A campaign variant's subject and body: plain text with merge fields such as {{first_name}} or
// {{first_name | there}} (a fallback when the customer has none). The list of fields is closed and
// checked when the variant is saved, so a typo is an error the owner sees then, not a "{{frist_name}}"
// a customer sees later. Values are escaped for HTML and stripped of line breaks in the subject
// (no header injection). Every message ends with the same footer: why the customer got it, their
// preference page and the one-click unsubscribe link (DESIGN invariants 3 and 6).
import { AppError } from "../errors";

export const MERGE_FIELDS = {
  first_name: "the customer's first name",
  shop_name: "your shop's name",
  last_order_date: "the date of their last order",
  last_order_product: "a product from their last order",
  recommended_products: "up to three products they may like (a list; left out when there are none)",
  survey_link: "the link to a one-question survey (0–10) for this customer and this message; survey campaigns only",
} as const;

export type MergeField = keyof typeof MERGE_FIELDS;

type Token = { text: string } | { field: MergeField; fallback: string | null };

const FIELD = /\{\{\s*([a-zA-Z_]+)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g;

/** Splits a template into text and fields; refuses unknown fields and stray braces, saying where. */
export function parseTemplate(template: string, what: "subject" | "body"): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (const m of template.matchAll(FIELD)) {
    const text = template.slice(at, m.index);
    if (text.includes("{{") || text.includes("}}")) throw strayBraces(what, template, at);
    if (text) tokens.push({ text });
    const name = m[1]!.toLowerCase();
    if (!Object.hasOwn(MERGE_FIELDS, name)) {
      throw new AppError("invalid_input", `The ${what} uses {{${m[1]}}}, which is not a merge field. Use one of: ${Object.keys(MERGE_FIELDS).map((f) => `{{${f}}}`).join(", ")}.`, {
        fields: [{ field: what, message: `Unknown merge field {{${m[1]}}}.` }],
      });
    }
    if (what === "subject" && name === "recommended_products") {
      throw new AppError("invalid_input", "{{recommended_products}} is a list and belongs in the body, not the subject.", { fields: [{ field: what, message: "A list cannot go in the subject." }] });
    }
    tokens.push({ field: name as MergeField, fallback: m[2] ?? null });
    at = m.index + m[0].length;
  }
  const rest = template.slice(at);
  if (rest.includes("{{") || rest.includes("}}")) throw strayBraces(what, template, at);
  if (rest) tokens.push({ text: rest });
  return tokens;
}

function strayBraces(what: string, template: string, from: number) {
  const i = Math.min(...[template.indexOf("{{", from), template.indexOf("}}", from)].filter((x) => x >= 0));
  const near = template.slice(Math.max(0, i - 15), i + 25).replace(/\s+/g, " ").trim();
  return new AppError("invalid_input", `The ${what} has braces that are not a merge field near "${near}". Write a field as {{first_name}}.`, {
    fields: [{ field: what, message: "Unmatched {{ or }}." }],
  });
}

export interface MessageValues {
  firstName: string | null;
  shopName: string;
  /** Already formatted in the customer's locale and time zone. */
  lastOrderDate: string | null;
  lastOrderProduct: string | null;
  recommendedProducts: readonly string[];
  /** This message's /s link; only a survey campaign's message has one. */
  surveyUrl?: string | null;
}

export interface MessageFooter {
  preferencesUrl: string;
  unsubscribeUrl: string;
  /** The sentence saying why this customer got this message (the targeting reason). */
  why: string;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const oneLine = (s: string) => s.replace(/[\r\n\t\u2028\u2029]+/g, " ").trim();

function valueOf(field: MergeField, v: MessageValues): string | readonly string[] | null {
  switch (field) {
    case "first_name": return v.firstName?.trim() || null;
    case "shop_name": return v.shopName;
    case "last_order_date": return v.lastOrderDate;
    case "last_order_product": return v.lastOrderProduct;
    case "recommended_products": return v.recommendedProducts.length > 0 ? v.recommendedProducts.slice(0, 3) : null;
    case "survey_link": return v.surveyUrl ?? null;
  }
}

/** A paragraph of the body as text and as HTML; null when it held only a list that came out empty. */
function renderParagraph(tokens: Token[], values: MessageValues): { text: string; html: string } | null {
  let text = "";
  let html = "";
  let emptyList = false;
  let other = false;
  for (const t of tokens) {
    if ("text" in t) {
      text += t.text;
      html += escapeHtml(t.text).replace(/\n/g, "<br>");
      if (t.text.trim()) other = true;
      continue;
    }
    const value = valueOf(t.field, values) ?? t.fallback ?? "";
    if (Array.isArray(value)) {
      text += value.map((p) => `\n- ${oneLine(p)}`).join("") + "\n";
      html += `<ul>${value.map((p) => `<li>${escapeHtml(oneLine(p))}</li>`).join("")}</ul>`;
    } else {
      if (t.field === "recommended_products" && value === "") emptyList = true;
      else other = true;
      text += oneLine(value as string);
      // The survey link is clickable in the HTML part; its text is the same URL as in the plain part.
      html += t.field === "survey_link" && /^https?:\/\//.test(value as string)
        ? `<a href="${escapeHtml(oneLine(value as string))}">${escapeHtml(oneLine(value as string))}</a>`
        : escapeHtml(oneLine(value as string));
    }
  }
  if (emptyList && !other) return null;
  return { text: text.trim(), html };
}

export function renderMessage(template: { subject: string | null; body: string }, values: MessageValues, links: MessageFooter): RenderedMessage {
  const subject = oneLine(
    parseTemplate(template.subject ?? "", "subject")
      .map((t) => ("text" in t ? t.text : String(valueOf(t.field, values) ?? t.fallback ?? "")))
      .join(""),
  ).slice(0, 200);
  const paragraphs = template.body
    .split(/\n\s*\n/)
    .map((p) => renderParagraph(parseTemplate(p, "body"), values))
    .filter((p): p is { text: string; html: string } => p !== null && p.text !== "");
  const footerText = [`Why you got this: ${oneLine(links.why)}`, `Your preferences: ${links.preferencesUrl}`, `Unsubscribe: ${links.unsubscribeUrl}`];
  const text = [...paragraphs.map((p) => p.text), "--", ...footerText].join("\n\n") + "\n";
  const html = [
    // A paragraph holding a list is a <div>: a list may not sit inside a <p>.
    ...paragraphs.map((p) => (p.html.includes("<ul>") ? `<div>${p.html}</div>` : `<p>${p.html}</p>`)),
    `<hr><p style="font-size:12px;color:#555">Why you got this: ${escapeHtml(oneLine(links.why))}<br>`
      + `<a href="${escapeHtml(links.preferencesUrl)}">Your preferences</a> · <a href="${escapeHtml(links.unsubscribeUrl)}">Unsubscribe</a></p>`,
  ].join("\n");
  return { subject, text, html };
}

/**
 * The same message as a text message: the body's paragraphs, then why and the one-click opt-out
 * link (a text message has no room for the full footer; the preference page is one tap from it).
 */
export function renderSms(template: { body: string }, values: MessageValues, links: MessageFooter): string {
  const paragraphs = template.body
    .split(/\n\s*\n/)
    .map((p) => renderParagraph(parseTemplate(p, "body"), values))
    .filter((p): p is { text: string; html: string } => p !== null && p.text !== "")
    .map((p) => p.text);
  return [...paragraphs, `Why: ${oneLine(links.why)}`, `Stop: ${links.unsubscribeUrl}`].join("\n\n");
}
