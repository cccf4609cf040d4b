import { and, eq, isNull } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError, ConflictError } from "@/lib/http/errors";
import { describeError } from "@/lib/log-safe";
import { logger } from "@/lib/logger";
import { accountTokenProblem, checkTokenRateLimit, consumeAccountToken, issueAccountToken, refusedTokenDelay } from "@/services/accounts/tokens";
import { sendMail } from "@/services/email";
import { mailLocale } from "@/services/email/templates";
import { hitRateLimit } from "@/services/rate-limit";
import { requireActiveUser } from "@/services/accounts/users";
import { grantWelcomeCredits } from "@/services/accounts/welcome";
import { verifyEmailInput } from "@/lib/schemas/auth";
import { appUrl } from "@/lib/app-url";

/**
 * Email verification (EMAIL_VERIFICATION, on by default). Sign-up mails a single-use link
 * (account_tokens, kind verify_email: hashed, expiring); opening it and confirming sets
 * users.email_verified and grants the welcome credits, keyed by the user, so they arrive
 * exactly once however often or concurrently the link is used. OAuth accounts whose
 * provider vouches for the address are verified at sign-in (markEmailVerified).
 */
export const VERIFY_TOKEN_TTL_HOURS = 24;
// Resent links per user per hour (the sign-up mail does not count).
export const VERIFY_RESENDS_PER_HOUR = 3;

export { verifyEmailInput };

export type VerifyTokenProblem = "unknown" | "used" | "expired";

const PROBLEMS: Record<VerifyTokenProblem, string> = {
  unknown: "invalid link, ask for a new one",
  used: "this link was already used",
  expired: "this link has expired, ask for a new one",
};

/** 400 naming `token`, with why (`data.reason`): unknown (or tampered), used, expired. Logged in one line (never the token). */
export class VerifyTokenError extends AppError {
  constructor(readonly reason: VerifyTokenProblem) {
    super(400, `token: ${PROBLEMS[reason]}`, { field: "token", reason });
    logger.warn(`[auth] email verification refused: ${reason} token`);
  }
}

/** Whether sign-up waits for a confirmed email before the welcome credits. */
export function emailVerificationRequired(): boolean {
  return env().EMAIL_VERIFICATION;
}

/** Marks the user's email verified (the first time) and grants the welcome credits (once), together. */
export async function markEmailVerified(userUuid: string, db: Executor = getDb()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ emailVerified: new Date(), updatedAt: new Date() })
      .where(and(eq(users.id, userUuid), isNull(users.emailVerified)));
    await grantWelcomeCredits(userUuid, tx);
  });
}

/** Mails a new confirmation link (earlier links of the user stop working). */
export async function sendVerificationMail(user: { id: string; email: string; locale?: string | null }, locale?: string | null) {
  const base = appUrl(); // read while the request is current (the mail may go after the answer)
  const token = await issueAccountToken({
    kind: "verify_email",
    userUuid: user.id,
    email: user.email,
    ttlSeconds: VERIFY_TOKEN_TTL_HOURS * 3600,
  });
  const l = mailLocale(locale ?? user.locale);
  return sendMail({
    kind: "verifyEmail",
    to: user.email,
    locale: l,
    link: `${await base}/${l}/auth/verify-email?token=${token}`,
    values: { hours: VERIFY_TOKEN_TTL_HOURS },
  });
}

/** The sign-up mail, sent after the answer: a failing transport does not fail the sign-up (the user can resend). */
export function queueVerificationMail(user: { id: string; email: string; locale?: string | null }, locale?: string | null) {
  void sendVerificationMail(user, locale).catch((error) =>
    logger.error({ error: describeError(error) }, "[auth] verification mail failed"),
  );
}

/**
 * "Resend the link" for a signed-in user: 401 for an account deleted or disabled (read
 * now: another instance may still cache its session as active), 409 when the email is
 * already verified (or verification is off), 429 beyond VERIFY_RESENDS_PER_HOUR.
 */
export async function resendVerificationMail({ userUuid, locale }: { userUuid: string; locale?: string | null }) {
  const user = await requireActiveUser(userUuid);
  if (user.emailVerified) throw new ConflictError("email: already verified");
  if (!emailVerificationRequired()) throw new ConflictError("email: verification is not required");
  await hitRateLimit(`verify:resend:${userUuid}`, VERIFY_RESENDS_PER_HOUR, 3600);
  await sendVerificationMail(user, locale);
}

/**
 * Confirms an email with a mailed token, after the route's limit (checkTokenRateLimit):
 * the token is used up, the email is marked verified and the welcome credits are granted,
 * in one transaction. A token for an
 * address the account no longer has counts as unknown. Throws VerifyTokenError; nothing
 * changes then.
 */
export async function verifyEmail(token: string, { ip = null }: { ip?: string | null } = {}): Promise<{ userUuid: string; email: string }> {
  await checkTokenRateLimit("verify-email", ip);
  try {
    return await getDb().transaction(async (tx) => {
      const used = await consumeAccountToken("verify_email", token, tx);
      if (!used) throw new VerifyTokenError(await accountTokenProblem("verify_email", token, tx));
      const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, used.userUuid));
      if (!user || user.email !== used.email) throw new VerifyTokenError("unknown");
      await markEmailVerified(used.userUuid, tx);
      return { userUuid: used.userUuid, email: used.email };
    });
  } catch (error) {
    if (error instanceof VerifyTokenError) await refusedTokenDelay(); // after the transaction
    throw error;
  }
}

/** Whether the user still has to confirm the email (an unverified account while verification is on). */
export async function needsEmailVerification(userUuid: string): Promise<{ email: string } | null> {
  if (!emailVerificationRequired()) return null;
  const [user] = await getDb()
    .select({ email: users.email, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.id, userUuid));
  return user && !user.emailVerified ? { email: user.email } : null;
}

/**
 * The email + password sign-in of an unverified account when ALLOW_UNVERIFIED_SIGNIN is
 * false: refused, and a fresh link is mailed (within the resend limit) so the answer
 * "check your mail" is true. Returns whether the sign-in must be refused.
 */
export async function refuseUnverifiedSignIn(user: { id: string; email: string; locale: string | null; emailVerified: Date | null }) {
  const e = env();
  if (!e.EMAIL_VERIFICATION || e.ALLOW_UNVERIFIED_SIGNIN || user.emailVerified) return false;
  try {
    await hitRateLimit(`verify:resend:${user.id}`, VERIFY_RESENDS_PER_HOUR, 3600);
    queueVerificationMail(user);
  } catch {
    // over the resend limit: the links already mailed still work
  }
  logger.warn("[auth] sign-in refused: email not verified");
  return true;
}

/**
 * Whether a sign-in's provider vouches for the address: Google says so per account
 * (`email_verified`), GitHub only hands out addresses its users verified, and a mailed
 * sign-in link (Auth.js email providers) proves the mailbox itself.
 */
export function providerVouchesForEmail(account: { provider: string; type: string }, profile?: { email_verified?: unknown } | null) {
  if (account.type === "email") return true;
  if (account.provider === "github") return true;
  if (account.provider === "google") return profile?.email_verified !== false;
  return false;
}

/**
 * Every sign-in other than email + password (Auth.js signIn event): a vouched-for address
 * is verified now (with the welcome credits); with EMAIL_VERIFICATION off the credits come
 * anyway. Both are keyed, so repeats and races write nothing more.
 */
export async function welcomeProviderSignIn(
  userUuid: string,
  account: { provider: string; type: string },
  profile?: { email_verified?: unknown } | null,
) {
  if (account.type === "credentials") return;
  if (providerVouchesForEmail(account, profile)) await markEmailVerified(userUuid);
  else if (!emailVerificationRequired()) await grantWelcomeCredits(userUuid);
}
