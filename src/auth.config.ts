// next-auth's configuration, apart from the NextAuth() instance in src/auth.ts, so it can be
// loaded (and tested) without the Next.js runtime.
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
// next-auth's own CredentialsSignin (it re-exports this one) without loading next/server.
import { CredentialsSignin } from "@auth/core/errors";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { getDb } from "@/db";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { authSecret } from "@/lib/auth/secret";
import { clientIp } from "@/lib/http/client-ip";
import { normalizeEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { TooManyRequestsError } from "@/lib/http/errors";
import { describeError } from "@/lib/log-safe";
import { signInRefused } from "@/lib/auth/sign-in-attempt";
import { isSessionActive, revokeSession, sessionClaims, sessionVersionForSignIn } from "@/services/accounts/sessions";
import { signInWithPassword } from "@/services/accounts/sign-in-limits";
import { refuseUnverifiedSignIn, welcomeProviderSignIn } from "@/services/accounts/email-verification";
import { MAGIC_LINK_PROVIDER_ID, magicLinkProvider, verificationTokenMethods } from "@/services/accounts/magic-link";
import { logger } from "@/lib/logger";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; image?: string | null };
  }
}

/** A correct password for an unconfirmed email while ALLOW_UNVERIFIED_SIGNIN=false (`code=email_unverified`). */
export class EmailNotVerifiedSignIn extends CredentialsSignin {
  code = "email_unverified";
}

/** GitHub Enterprise Server instead of github.com when AUTH_GITHUB_ENTERPRISE_URL is set (its API is <url>/api/v3). */
function githubEnterprise(url: string | undefined) {
  return url ? { enterprise: { baseUrl: url.replace(/\/+$/, "") } } : {};
}

/** OAuth providers configured through the environment (their buttons show only then). */
export function oauthProviders(): Array<"github" | "google"> {
  const e = env();
  const list: Array<"github" | "google"> = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) list.push("github");
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) list.push("google");
  return list;
}

function adapter(): Adapter {
  const base = DrizzleAdapter(getDb(), {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  // Emails are stored normalized, whoever creates the account; magic-link tokens are
  // looked up by their hash alone (src/services/accounts/magic-link.ts).
  return {
    ...base,
    createUser: (user) => base.createUser!({ ...user, email: normalizeEmail(user.email) }),
    getUserByEmail: (email) => base.getUserByEmail!(normalizeEmail(email)),
    ...verificationTokenMethods,
  };
}

/** The whole next-auth configuration (exported for tests of the adapter and events). */
export function authConfig(): NextAuthConfig {
  const e = env();
  return {
    secret: authSecret(e),
    trustHost: true,
    adapter: adapter(),
    // The Credentials provider needs JWT sessions. The cookie is HttpOnly and SameSite=Lax;
    // it is Secure (and __Secure- prefixed) when APP_URL is https, i.e. in production, decided
    // once here so every reader (route handlers, auth() in pages) agrees on the cookie's name
    // whatever headers the proxy in front forwards. Plain-http local runs keep working.
    useSecureCookies: new URL(e.APP_URL).protocol === "https:" || undefined,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    // Failed sign-ins come back to the sign-in page with `?error=<type>`, said in the user's
    // language there (AuthPage), never on next-auth's built-in English error page.
    pages: { signIn: "/auth/signin", error: "/auth/signin" },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        // `credentials` is next-auth's one parse of the body (form or JSON; of repeated form
        // fields the last), so the limiter counts exactly the email that is checked.
        async authorize(credentials, request) {
          try {
            const user = await signInWithPassword({
              email: credentials.email,
              password: credentials.password,
              ip: clientIp(request.headers),
            });
            if (user && (await refuseUnverifiedSignIn(user))) throw new EmailNotVerifiedSignIn();
            return user ? { id: user.id, email: user.email, name: user.name } : null;
          } catch (error) {
            if (!(error instanceof TooManyRequestsError)) throw error;
            signInRefused(error); // the route answers 429
            return null;
          }
        },
      }),
      // Magic links: existing accounts only, mailed through our mail service.
      magicLinkProvider(),
      ...(e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET
        ? [GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET, ...githubEnterprise(e.AUTH_GITHUB_ENTERPRISE_URL) })]
        : []),
      ...(e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET
        ? [Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET, ...(e.AUTH_GOOGLE_ISSUER ? { issuer: e.AUTH_GOOGLE_ISSUER } : {}) })]
        : []),
    ],
    // One line per problem, no stack for wrong passwords (signInWithPassword already logged
    // those), and never a request body.
    logger: {
      error(error) {
        const type = (error as { type?: string }).type;
        if (type === "CredentialsSignin") return;
        // A used, expired or unknown sign-in link, or one for an account that cannot sign in.
        if (type === "Verification" || type === "AccessDenied") return logger.warn({ type }, "[auth] sign-in link refused");
        logger.error({ error: describeError(error) }, "[auth] next-auth error");
      },
      warn(code) {
        logger.warn({ code }, "[auth] next-auth warning");
      },
      debug() {},
    },
    callbacks: {
      // A magic link signs in an existing, enabled account only: it never creates one.
      // (Asking for a link is always "allowed": the answer must not tell whether the
      // account exists; sendVerificationRequest mails nothing then.)
      async signIn({ user, account, email }) {
        if (account?.provider !== MAGIC_LINK_PROVIDER_ID || email?.verificationRequest) return true;
        return !!user.id && (await sessionVersionForSignIn(user.id)) !== null;
      },
      // A new session gets its id and the user's session version; every later read of it
      // (next-auth's /api/auth/session, auth()) checks it is still active, and a session
      // that ended is cleared (null).
      async jwt({ token, user }) {
        if (user?.id) {
          const version = await sessionVersionForSignIn(user.id);
          if (version === null) return null;
          token.uid = user.id;
          token.sid = crypto.randomUUID();
          token.sv = version;
          return token;
        }
        const claims = sessionClaims(token);
        return claims && (await isSessionActive(claims)) ? token : null;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
    events: {
      // Sign-out ends this session everywhere, not only in this browser.
      async signOut(message) {
        const claims = "token" in message ? sessionClaims(message.token) : null;
        if (claims) await revokeSession(claims);
      },
      // OAuth and magic-link sign-ins: an address the provider vouches for (a magic link proves
      // it) counts as verified and brings the welcome credits (keyed by the user: once,
      // however often this runs or races).
      async signIn({ user, account, profile }) {
        if (user.id && account) await welcomeProviderSignIn(user.id, account, profile);
      },
    },
  };
}
