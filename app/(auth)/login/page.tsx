import type { Metadata } from "next";
import { readEnv } from "@/lib/env";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const notice = params["signed-out"] ? "You are signed out." : params.error ? "That sign-in link did not work. Try again." : undefined;
  return <LoginForm next={params.next ?? "/"} notice={notice} magicLink={Boolean(readEnv().SMTP_URL)} />;
}
