// One row of a customers file, checked on its own: the values an owner's file gives, or a
// rejection naming the column and saying what to fix.
import { z } from "zod";
import { cell, RowRejection, type Cells, type ImportContext } from "./kind-writer";
import { parsePhone, parseYesNo, plainText } from "./parse-values";

export interface CustomerRow {
  externalId: string | null;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  timeZone: string | null;
  locale: string | null;
  acceptsEmail: boolean | null;
  acceptsSms: boolean | null;
}

const Email = z.email();

function text(ctx: ImportContext, cells: Cells, field: string, max: number): string | null {
  const v = cells[field]?.trim();
  if (!v) return null;
  if (v.length > max) throw new RowRejection(ctx.columnOf(field), `Longer than ${max} characters.`);
  return v;
}

export function parseEmail(ctx: ImportContext, cells: Cells, field: string): string | null {
  const v = cells[field]?.trim().toLowerCase();
  if (!v) return null;
  if (!Email.safeParse(v).success) throw new RowRejection(ctx.columnOf(field), `"${v}" is not an email address.`);
  return v;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function parseCustomerRow(cells: Cells, ctx: ImportContext): CustomerRow {
  // Ids lose the apostrophe a spreadsheet puts in front; a placeholder such as "(blank)" is no id.
  const externalId = plainText(cells.externalId);
  if (externalId && externalId.length > 200) throw new RowRejection(ctx.columnOf("externalId"), "Longer than 200 characters.");
  const email = parseEmail(ctx, cells, "email");
  if (!externalId && !email) {
    const placeholder = cells.externalId?.trim();
    throw new RowRejection(
      placeholder ? ctx.columnOf("externalId") : "(row)",
      placeholder ? `"${placeholder}" is a placeholder, not a customer id, and the row has no email address.` : "A customer needs an id or an email address.",
    );
  }
  let firstName = text(ctx, cells, "firstName", 100);
  let lastName = text(ctx, cells, "lastName", 100);
  const full = text(ctx, cells, "fullName", 200);
  if (full && !firstName && !lastName) {
    const parts = full.split(/\s+/);
    firstName = parts[0] ?? null;
    lastName = parts.slice(1).join(" ") || null;
  }
  const timeZone = text(ctx, cells, "timeZone", 64);
  if (timeZone && !validTimeZone(timeZone)) throw new RowRejection(ctx.columnOf("timeZone"), `"${timeZone}" is not a time zone (use e.g. Europe/London).`);
  const locale = text(ctx, cells, "locale", 20);
  if (locale && !/^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/i.test(locale)) throw new RowRejection(ctx.columnOf("locale"), `"${locale}" is not a locale (use e.g. en-GB).`);
  return {
    externalId, email, firstName, lastName, timeZone, locale: locale?.replace("_", "-") ?? null,
    // Shopify leaves "Phone" empty when the number is on the default address.
    phone: cell(ctx, "phone", cells, (t) => parsePhone(t, ctx.settings)) ?? cell(ctx, "phoneFallback", cells, (t) => parsePhone(t, ctx.settings)),
    acceptsEmail: cell(ctx, "acceptsEmailMarketing", cells, parseYesNo),
    acceptsSms: cell(ctx, "acceptsSmsMarketing", cells, parseYesNo),
  };
}
