// Auth.js v5: email + password (scrypt, rate-limited) and, when SMTP_URL is set, a magic link by
// email for people who already have an account. Sessions are JWTs in an HttpOnly cookie.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Nodemailer from "next-auth/providers/nodemailer";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/lib/db/client";
import { accounts, sessions, users, verificationTokens } from "@/lib/db/schema";
import { readEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { verifySignIn } from "@/lib/auth/verify-sign-in";

class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}

export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  const env = readEnv();
  const database = await getDatabase();
  return {
    adapter: DrizzleAdapter(database.db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    } as never),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    trustHost: true,
    logger: {
      // A wrong password or an unknown address for a sign-in link is an answer, not a server fault.
      error(error) {
        const type = (error as Error & { type?: string }).type;
        if (type === "CredentialsSignin" || type === "AccessDenied") return;
        console.error(`[auth] ${error.name}: ${error.message}`);
      },
    },
    pages: { signIn: "/login", verifyRequest: "/login/check-email", error: "/login" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        authorize: async (credentials, request) => {
          const email = typeof credentials?.email === "string" ? credentials.email : "";
          const password = typeof credentials?.password === "string" ? credentials.password : "";
          const ip = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null;
          try {
            return await verifySignIn(database.db, { email, password, ip });
          } catch (e) {
            if (isAppError(e, "rate_limited")) throw new RateLimited();
            if (isAppError(e, "unauthorized")) return null;
            throw e;
          }
        },
      }),
      ...(env.SMTP_URL ? [Nodemailer({ server: env.SMTP_URL, from: env.MAIL_FROM })] : []),
    ],
    callbacks: {
      async signIn({ user, account }) {
        // A magic link signs in an existing member; it never creates an account on its own.
        if (account?.provider === "nodemailer") {
          const [known] = await database.db.select({ id: users.id }).from(users).where(eq(users.email, (user.email ?? "").toLowerCase()));
          return Boolean(known);
        }
        return true;
      },
      jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
});
