// The email that carries an invitation: who invites, to which shop, as what, and until when.
import type { Role } from "./schemas";

const ROLE_WORDS: Record<Role, string> = { owner: "an owner (can change everything)", viewer: "a viewer (can look, cannot change anything)" };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function invitationEmail(input: { shopName: string; inviter: string; role: Role; url: string; expiresAt: Date }) {
  const until = input.expiresAt.toUTCString().replace(/:\d\d GMT$/, " UTC");
  const text = [
    `${input.inviter} invites you to the Regulars dashboard of ${input.shopName}, as ${ROLE_WORDS[input.role]}.`,
    "",
    `Accept the invitation: ${input.url}`,
    "",
    `The link works once, until ${until}. If you did not expect this email, ignore it: nothing happens without you.`,
  ].join("\n");
  const html = [
    `<p>${escapeHtml(input.inviter)} invites you to the Regulars dashboard of <strong>${escapeHtml(input.shopName)}</strong>, as ${ROLE_WORDS[input.role]}.</p>`,
    `<p><a href="${escapeHtml(input.url)}">Accept the invitation</a></p>`,
    `<p>The link works once, until ${until}. If you did not expect this email, ignore it: nothing happens without you.</p>`,
  ].join("\n");
  return { subject: `Join ${input.shopName} on Regulars`, text, html };
}
