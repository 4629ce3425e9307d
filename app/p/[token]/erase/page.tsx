// The confirmation step before "Erase me": says what goes and what stays, then one button.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { withShop } from "@/lib/db/tenant";
import { isAppError } from "@/lib/errors";
import { getPreferencePage } from "@/lib/privacy/get-preference-page";
import { formTokenFor, verifyPrivacyToken } from "@/lib/privacy/tokens";

export const metadata: Metadata = { title: "Erase my details", referrer: "no-referrer" };

export default async function ErasePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = verifyPrivacyToken(token, "preferences");
  if (!link) notFound();
  const page = await withShop(link.shopId, (tx) => getPreferencePage(tx, link.customerId)).catch((e: unknown) => {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  });
  const shop = page.shop.name;
  return (
    <main className="mx-auto max-w-xl px-4 py-8">
      <p className="text-sm font-medium text-slate-600">{shop}</p>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">Erase my details?</h1>
      {page.erased ? (
        <p className="mt-3 text-slate-700">Your details are already erased.</p>
      ) : (
        <>
          <ul className="mt-4 list-disc space-y-2 pl-5 text-slate-800">
            <li>Your name, email, phone, language, time zone and any other details {shop} keeps about you are erased.</li>
            <li>Messages waiting to be sent to you are stopped at once, and everything you agreed to is turned off.</li>
            <li>Your orders stay in the shop&apos;s books without your name. The record of your consent choices stays too: it holds dates and codes, not your email, and proves what you agreed to.</li>
            <li>
              This cannot be undone. You may want to{" "}
              <a href={`/p/${token}/export`} download className="font-medium text-brand-700 underline">
                download your data
              </a>{" "}
              first.
            </li>
          </ul>
          <form method="post" action={`/p/${token}/save`} className="mt-6 flex flex-col gap-3 sm:flex-row">
            <input type="hidden" name="form" value={formTokenFor(token, link.shopId)} />
            <input type="hidden" name="intent" value="erase" />
            <input type="hidden" name="confirm" value="erase" />
            <button type="submit" className="min-h-11 rounded-lg bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800">
              Yes, erase my details
            </button>
            <Link href={`/p/${token}`} className="inline-flex min-h-11 items-center justify-center rounded-lg border border-slate-400 bg-white px-4 py-2 text-sm font-semibold text-slate-900">
              No, go back
            </Link>
          </form>
        </>
      )}
    </main>
  );
}
