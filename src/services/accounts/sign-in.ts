/**
 * Signing in from the server (Server Actions, routes), through Auth.js's own server-side
 * signIn: it runs the same Credentials `authorize` (src/auth.config.ts) as a POST to
 * /api/auth/callback/credentials, with the request's headers (so clientIp and the sign-in
 * limiter see the same address), and sets the session cookie on the response.
 */
import { CredentialsSignin } from "@auth/core/errors";
import { signIn } from "@/auth";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { AppError, UnauthorizedError } from "@/lib/http/errors";
import { runSignInAttempt } from "@/lib/auth/sign-in-attempt";
import { MAGIC_LINK_PROVIDER_ID, checkMagicLinkRateLimit } from "@/services/accounts/magic-link";

/** The one answer for an unknown email and a wrong password alike. */
export const WRONG_CREDENTIALS = "wrong email or password";

/** A correct password for an email not confirmed yet (ALLOW_UNVERIFIED_SIGNIN=false); a new link was mailed. */
export class EmailNotVerifiedError extends AppError {
  constructor() {
    super(403, "email not verified, check your mail for the link", { reason: "email_unverified" });
  }
}

/**
 * Signs in with email and password (the session cookie is set). Throws
 * UnauthorizedError (wrong email or password, never saying which), EmailNotVerifiedError,
 * or TooManyRequestsError from the sign-in limiter.
 */
export async function signInWithCredentials({ email, password }: { email: string; password: string }): Promise<void> {
  try {
    await runSignInAttempt(() => signIn("credentials", { email, password, redirect: false }));
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    if (error.code === "email_unverified") throw new EmailNotVerifiedError();
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }
}

/**
 * Mails a sign-in link when the account exists; the same (silent) outcome when it does
 * not. Throws TooManyRequestsError over the limits. `callbackUrl` is kept only when it
 * points into the app.
 */
export async function requestMagicLink({ email, callbackUrl, locale = "en", ip }: { email: string; callbackUrl?: string; locale?: string; ip: string | null }) {
  await checkMagicLinkRateLimit({ email, ip });
  await signIn(MAGIC_LINK_PROVIDER_ID, {
    email,
    locale,
    redirectTo: safeCallbackUrl(callbackUrl, `/${locale}/credits`),
    redirect: false,
  });
}
