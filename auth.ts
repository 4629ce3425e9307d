// Auth.js v5: email + password (scrypt, rate-limited) and, when SMTP_URL is set, a magic link by
// email for people who already have an account. Sessions are JWTs in an HttpOnly cookie, each
// naming a session row that must still exist (lib/auth/sessions.ts): signing out ends it for good.
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import Nodemailer from "next-auth/providers/nodemailer";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { eq } from "drizzle-orm";
import { getDatabase } from "@/lib/db/client";
import { accounts, sessions, users, verificationTokens } from "@/lib/db/schema";
import { readEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { endSession, isSessionLive, SESSION_MAX_AGE_S, startSession } from "@/lib/auth/sessions";
import { verifySignIn } from "@/lib/auth/verify-sign-in";
import { clientIp } from "@/lib/http/client-ip";

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
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    trustHost: true,
    logger: {
      // A wrong password or an unknown address for a sign-in link is an answer, not a server fault.
      error(error) {
        const type = (error as Error & { type?: string }).type;
        if (type === "CredentialsSignin" || type === "AccessDenied") return;
        console.error(`[auth] ${error.name}: ${error.message}`);
      },
    },
    events: {
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string") await endSession(database.db, sid);
      },
    },
    pages: { signIn: "/login", verifyRequest: "/login/check-email", error: "/login" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        authorize: async (credentials, request) => {
          const email = typeof credentials?.email === "string" ? credentials.email : "";
          const password = typeof credentials?.password === "string" ? credentials.password : "";
          const ip = clientIp(request.headers, env.TRUST_PROXY);
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
      // Runs at sign-in (with `user`) and whenever a session is read: a token whose session row is
      // gone (signed out, or ended everywhere) reads as no session, and its cookie is cleared.
      async jwt({ token, user }) {
        if (user?.id) {
          token.uid = user.id;
          token.sid = await startSession(database.db, user.id);
          return token;
        }
        if (typeof token.uid !== "string" || typeof token.sid !== "string") return null;
        return (await isSessionLive(database.db, token.sid, token.uid)) ? token : null;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
});
