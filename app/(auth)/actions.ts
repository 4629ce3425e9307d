"use server";
// Sign-up, sign-in and sign-out. Each parses its form, calls one lib/ use case (or Auth.js), and
// answers with per-field errors the form shows next to the fields.
import { AuthError, CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn, signOut } from "@/auth";
import { isAppError } from "@/lib/errors";
import { createShop } from "@/lib/shops/create-shop";
import { INVALID_CREDENTIALS, TOO_MANY_ATTEMPTS } from "@/lib/auth/verify-sign-in";

export interface FormState {
  error?: string;
  fields?: Record<string, string>;
  values?: Record<string, string>;
  notice?: string;
}

const text = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

const safeNext = (next: string) => (next.startsWith("/") && !next.startsWith("//") ? next : "/");

export async function signInAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = text(form, "email").trim();
  const values = { email };
  if (!email || !text(form, "password")) return { error: "Enter your email and password.", values };
  try {
    await signIn("credentials", {
      email,
      password: text(form, "password"),
      redirectTo: safeNext(text(form, "next") || "/"),
    });
  } catch (e) {
    if (e instanceof CredentialsSignin) {
      return {
        error: e.code === "rate_limited" ? TOO_MANY_ATTEMPTS : INVALID_CREDENTIALS,
        values,
      };
    }
    if (e instanceof AuthError) return { error: INVALID_CREDENTIALS, values };
    throw e; // the redirect after a successful sign-in
  }
  return {};
}

export async function magicLinkAction(_prev: FormState, form: FormData): Promise<FormState> {
  const email = z.email().safeParse(text(form, "email").trim().toLowerCase());
  if (!email.success) return { fields: { email: "Enter a valid email address." }, values: { email: text(form, "email") } };
  try {
    await signIn("nodemailer", { email: email.data, redirectTo: safeNext(text(form, "next") || "/") });
  } catch (e) {
    // Unknown addresses get the same answer as known ones: no way to probe who has an account.
    if (e instanceof AuthError) redirect("/login/check-email");
    throw e;
  }
  return {};
}

export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const values = {
    shopName: text(form, "shopName"), email: text(form, "email"), name: text(form, "name"), currency: text(form, "currency"), country: text(form, "country"),
  };
  try {
    await createShop({
      name: values.shopName,
      ownerEmail: values.email,
      ownerPassword: text(form, "password"),
      ownerName: values.name || undefined,
      currency: values.currency || undefined,
      country: values.country || undefined,
    });
  } catch (e) {
    if (isAppError(e) && (e.code === "invalid_input" || e.code === "conflict")) {
      const fields: Record<string, string> = {};
      for (const f of e.fields) {
        const key = { name: "shopName", ownerEmail: "email", ownerPassword: "password", ownerName: "name" }[f.field] ?? f.field;
        fields[key] ??= f.message;
      }
      return { error: "Please fix the highlighted fields.", fields, values };
    }
    throw e;
  }
  await signIn("credentials", { email: values.email, password: text(form, "password"), redirectTo: "/" });
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login?signed-out=1" });
}
