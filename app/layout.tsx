import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Regulars", template: "%s · Regulars" },
  description: "Know your regulars, reach them with consent, and prove it.",
  // public/icon.svg; public/favicon.ico answers the browsers that ask for /favicon.ico regardless.
  icons: { icon: [{ url: "/icon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "16x16 32x32 48x48" }] },
  // A shop's private dashboard and its customers' token pages: never in a search index (robots.txt
  // keeps crawlers out; this covers a page reached through a link).
  robots: { index: false, follow: false },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
