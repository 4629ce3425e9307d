import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Regulars", template: "%s · Regulars" },
  description: "Know your regulars, reach them with consent, and prove it.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
