import { and, eq, lt } from "drizzle-orm";
import type { EmailConfig } from "next-auth/providers/email";
import type { VerificationToken } from "next-auth/adapters";
import { getDb } from "@/db";
import { verificationTokens } from "@/db/schema";
import { describeError, maskEmail } from "@/lib/log-safe";
import { logger } from "@/lib/logger";
import { sendMail } from "@/services/email";
import { mailLocale } from "@/services/email/templates";
import { hitRateLimit } from "@/services/rate-limit";
import { emailSchema, magicLinkInput } from "@/lib/schemas/auth";
import { findUserByEmail } from "@/services/accounts/users";
import { refusedTokenDelay } from "@/services/accounts/tokens";
import { appUrl } from "@/lib/app-url";

/**
 * Magic-link sign-in, through Auth.js's email provider (id "email") and its
 * verification-token table, with the mail sent by our mail service (SMTP_URL, else the
 * log and the dev outbox).
 *
 * - It signs in EXISTING, enabled accounts only; it never creates one (sign-up, with its
 *   limits and rules, is the one way in). For an unknown or disabled address nothing is
 *   mailed, and the answer is the same as for a known one (content and timing: the mail
 *   leaves after the answer).
 * - The mailed link opens /<locale>/auth/magic-link?token=..., a page that signs in only
 *   when its button is pressed (mail scanners prefetch links); the button posts to
 *   Auth.js's callback (/api/auth/callback/email?token=...) with this browser's CSRF token,
 *   from the app's own origin. A GET of that callback, or a POST from another site, signs
 *   nobody in (login CSRF with the attacker's own link): src/app/api/auth/[...nextauth]/route.ts.
 * - Auth.js keeps only SHA-256(token + secret); the token works once (the row is deleted
 *   when used) and expires after MAGIC_LINK_TTL_MINUTES.
 * - Signing in by link proves the address: Auth.js marks the email verified, and the
 *   sign-in event gives the once-per-user welcome grant (src/auth.config.ts).
 * - The session is the same JWT as any other, with the user's session version; a
 *   disabled account is refused (the signIn callback).
 */
export const MAGIC_LINK_PROVIDER_ID = "email";
export const MAGIC_LINK_TTL_MINUTES = 15;
// Sign-in mails per address and per client address, per hour (unknown addresses count too).
const PER_EMAIL_PER_HOUR = 5;
const PER_IP_PER_HOUR = 30;

export { magicLinkInput };

/** The limits on asking for sign-in links; throws TooManyRequestsError. */
export async function checkMagicLinkRateLimit({ email, ip }: { email: string; ip: string | null }) {
  if (ip) await hitRateLimit(`magiclink:ip:${ip}`, PER_IP_PER_HOUR, 3600);
  await hitRateLimit(`magiclink:email:${email}`, PER_EMAIL_PER_HOUR, 3600);
}

/** The address as every other path stores it; Auth.js refuses the request when it is not an email. */
function normalizeIdentifier(identifier: string): string {
  const parsed = emailSchema.safeParse(identifier);
  if (!parsed.success) throw new Error("Invalid email address format.");
  return parsed.data;
}

/** The request's locale (the JSON route passes it through Auth.js's body), else the account's. */
async function requestLocale(request: Request): Promise<string | undefined> {
  const body = (await request.json().catch(() => null)) as { locale?: unknown } | null;
  return typeof body?.locale === "string" ? body.locale : undefined;
}

/** Mails the link to an existing, enabled account; sends nothing for any other address. */
async function sendVerificationRequest({ identifier, token, url, request }: { identifier: string; token: string; url: string; request: Request }) {
  const user = await findUserByEmail(identifier);
  if (!user || user.disabledAt) {
    logger.info(`[auth] magic link not sent: no usable account for ${maskEmail(identifier)}`);
    return;
  }
  const l = mailLocale((await requestLocale(request)) ?? user.locale);
  const base = await appUrl();
  const link = new URL(`/${l}/auth/magic-link`, base);
  link.searchParams.set("token", token);
  // Where to go after sign-in, as a path (the page checks it again).
  const callbackUrl = new URL(url).searchParams.get("callbackUrl");
  if (callbackUrl) {
    const target = new URL(callbackUrl, base);
    link.searchParams.set("callbackUrl", target.pathname + target.search);
  }
  // After the answer, so a known address answers as fast as an unknown one.
  void sendMail({ kind: "magicLink", to: user.email, locale: l, link: link.toString(), values: { minutes: MAGIC_LINK_TTL_MINUTES } }).catch(
    (error) => logger.error({ error: describeError(error) }, "[auth] magic link mail failed"),
  );
}

/** The Auth.js email provider for magic links. */
export function magicLinkProvider(): EmailConfig {
  return {
    id: MAGIC_LINK_PROVIDER_ID,
    type: "email",
    name: "Email",
    maxAge: MAGIC_LINK_TTL_MINUTES * 60,
    normalizeIdentifier,
    sendVerificationRequest,
    options: {},
  };
}

/**
 * The adapter's verification-token methods: expired tokens are pruned when a new one is
 * made, and a token is looked up (and deleted, so used once) by its hash alone, so the
 * mailed link carries no email address.
 */
export const verificationTokenMethods = {
  async createVerificationToken(token: VerificationToken): Promise<VerificationToken> {
    const db = getDb();
    await db.delete(verificationTokens).where(lt(verificationTokens.expires, new Date()));
    const [row] = await db.insert(verificationTokens).values(token).returning();
    return row;
  },
  async useVerificationToken({ identifier, token }: { identifier?: string; token: string }): Promise<VerificationToken | null> {
    const [row] = await getDb()
      .delete(verificationTokens)
      .where(identifier ? and(eq(verificationTokens.identifier, identifier), eq(verificationTokens.token, token)) : eq(verificationTokens.token, token))
      .returning();
    if (!row) await refusedTokenDelay(); // an unknown, used or expired link: see refusedTokenDelay
    return row ?? null;
  },
};
