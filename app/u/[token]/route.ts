// One-click unsubscribe (RFC 8058). GET shows a confirmation with one button and changes nothing
// (link scanners and prefetchers open links); POST with `List-Unsubscribe=One-Click` — from that
// button or from a mailbox provider, with no cookie and no CSRF token by design — withdraws
// marketing on the link's channel and answers 200 however often it is repeated.
import { escapeHtml, htmlPage, notFoundPage, publicRequest } from "@/app/_server/public-pages";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { CHANNEL_WORDS } from "@/lib/privacy/preference-options";
import { signPrivacyToken, verifyPrivacyToken } from "@/lib/privacy/tokens";
import { findUnsubscribeTarget, unsubscribeOneClick } from "@/lib/privacy/unsubscribe-one-click";

type Route = { params: Promise<{ token: string }> };

const channelWords = (c: keyof typeof CHANNEL_WORDS) => CHANNEL_WORDS[c].toLowerCase();

export async function GET(_request: Request, { params }: Route) {
  const { token } = await params;
  const link = verifyPrivacyToken(token, "unsubscribe");
  if (!link) return notFoundPage();
  try {
    const target = await withShop(link.shopId, (tx) => findUnsubscribeTarget(tx, link.customerId, link.channel));
    const what = `offers and news by ${channelWords(link.channel)}`;
    const form = `<form method="post" action="/u/${escapeHtml(token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`;
    return htmlPage(200, `Unsubscribe from ${target.shopName}?`, [
      target.alreadyOff ? `You are not getting ${what} from ${target.shopName} now. Press the button to make sure.` : `Press the button and ${target.shopName} sends you no more ${what}. Nothing changes until you press it.`,
    ], { form });
  } catch (e) {
    if (isAppError(e, "not_found")) return notFoundPage();
    throw e;
  }
}

export async function POST(request: Request, { params }: Route) {
  const { token } = await params;
  const link = verifyPrivacyToken(token, "unsubscribe");
  if (!link) return notFoundPage();
  if (Number(request.headers.get("content-length") ?? 0) > 4096) return htmlPage(413, "Too large", ["An unsubscribe request is one short field."]);
  const form = await request.formData().catch(() => null);
  if (form?.get("List-Unsubscribe") !== "One-Click") {
    return htmlPage(400, "Nothing was changed", ["To unsubscribe, post List-Unsubscribe=One-Click to this address (RFC 8058), or open it in a browser and press the button."]);
  }
  const who = publicRequest(request.headers);
  try {
    const shopName = await withShop(link.shopId, async (tx) => {
      await unsubscribeOneClick(tx, { customerId: link.customerId, channel: link.channel, sendId: link.sendId }, { requestId: who.requestId });
      return (await findUnsubscribeTarget(tx, link.customerId, link.channel)).shopName;
    });
    const preferences = `/p/${signPrivacyToken({ kind: "preferences", shopId: link.shopId, customerId: link.customerId })}`;
    return htmlPage(200, "You are unsubscribed", [
      `${shopName} sends you no more offers and news by ${channelWords(link.channel)}, from this moment.`,
      { before: "To change anything else, or to see what the shop holds about you, open ", link: { label: "your preference page", href: preferences }, after: "." },
    ]);
  } catch (e) {
    if (isAppError(e, "not_found")) return notFoundPage();
    throw e;
  }
}
