// POST from the preference page's forms: one choice, the weekly limit, or erasure. Checked: the
// link, the form token bound to it (CSRF), and the Origin when the browser sends one. Answers
// with 303 back to the page and a status it shows.
import { crossSite, notFoundPage, publicRequest } from "@/app/_server/public-pages";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { changeConsentChoice } from "@/lib/privacy/change-consent-choice";
import { eraseCustomer } from "@/lib/privacy/erase-customer";
import { setContactBudget } from "@/lib/privacy/set-contact-budget";
import { verifyFormToken, verifyPrivacyToken } from "@/lib/privacy/tokens";

const back = (token: string, query: Record<string, string>, anchor = "") =>
  new Response(null, { status: 303, headers: { location: `/p/${token}?${new URLSearchParams(query)}${anchor}` } });

export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = verifyPrivacyToken(token, "preferences");
  if (!link) return notFoundPage();
  if (Number(request.headers.get("content-length") ?? 0) > 8192) return back(token, { status: "invalid" });
  const form = await request.formData().catch(() => null);
  if (!form || crossSite(request) || !verifyFormToken(form.get("form"), token, link.shopId)) return back(token, { status: "form" });
  const field = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const who = publicRequest(request.headers);

  try {
    switch (field("intent")) {
      case "consent": {
        const choice = { channel: field("channel"), purpose: field("purpose"), action: field("action"), policyVersionId: field("policyVersionId") };
        const { changed } = await withShop(link.shopId, (tx) => changeConsentChoice(tx, link.customerId, choice as never, { gpc: who.gpc, requestId: who.requestId }));
        const status = changed ? (choice.action === "grant" ? "on" : "off") : "unchanged";
        return back(token, { status, channel: choice.channel, purpose: choice.purpose }, "#choices");
      }
      case "budget":
        await withShop(link.shopId, (tx) => setContactBudget(tx, link.customerId, field("budget")));
        return back(token, { status: "budget" }, "#budget");
      case "erase":
        if (field("confirm") !== "erase") return back(token, { status: "invalid" });
        await withShop(link.shopId, (tx) => eraseCustomer(tx, link.customerId, { by: "customer", requestId: who.requestId }));
        return back(token, { status: "erased" });
      default:
        return back(token, { status: "invalid" });
    }
  } catch (e) {
    if (isAppError(e, "not_found")) return notFoundPage();
    if (isAppError(e, "invalid_input")) return back(token, { status: "invalid" });
    throw e;
  }
}
