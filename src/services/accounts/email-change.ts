import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { BadRequestError, ConflictError, isUniqueViolation } from "@/lib/http/errors";
import { describeError } from "@/lib/log-safe";
import { logger } from "@/lib/logger";
import { assertCurrentPassword } from "@/services/accounts/settings";
import { checkTokenRateLimit, consumeAccountToken, issueAccountToken, refusedTokenDelay, voidAccountTokens } from "@/services/accounts/tokens";
import { sendMail } from "@/services/email";
import { mailLocale } from "@/services/email/templates";
import { hitRateLimit } from "@/services/rate-limit";
import { forgetUserSessions } from "@/services/accounts/sessions";
import { findUserByEmail, isDisposableEmail, requireActiveUser } from "@/services/accounts/users";
import { grantWelcomeCredits } from "@/services/accounts/welcome";
import { appUrl } from "@/lib/app-url";

/**
 * Changing the email of an account: the new address gets a single-use link (an account
 * token of kind change_email that keeps the new address); confirming it changes the email,
 * marks it verified, ends every other session and tells the old address. Until then the
 * account keeps its old address.
 */
export const CHANGE_EMAIL_TOKEN_TTL_HOURS = 24;
const REQUESTS_PER_USER_PER_HOUR = 5;

const TAKEN = "email: an account with this email already exists";

/**
 * Mails the confirmation link to the new address; 400 (same address, wrong password), 409
 * (taken), 429. The limit comes first, before the password and the lookup of the
 * address: past it every answer is the same 429, so the form can be neither an
 * account-existence oracle nor a way to guess the current password.
 */
export async function requestEmailChange({
  userUuid,
  email,
  currentPassword,
  locale,
}: {
  userUuid: string;
  email: string;
  currentPassword?: string;
  locale?: string;
}): Promise<{ email: string }> {
  const user = await requireActiveUser(userUuid);
  try {
    await hitRateLimit(`email-change:${userUuid}`, REQUESTS_PER_USER_PER_HOUR, 3600);
  } catch (error) {
    logger.warn({ user: userUuid }, "[account] email change rate-limited");
    throw error;
  }
  await assertCurrentPassword(user, currentPassword);
  if (email === user.email) throw new BadRequestError("email: is already your email address", "email");
  if (isDisposableEmail(email)) throw new BadRequestError("email: this email provider is not accepted", "email");
  if (await findUserByEmail(email)) throw new ConflictError(TAKEN);
  const token = await issueAccountToken({ kind: "change_email", userUuid, email, ttlSeconds: CHANGE_EMAIL_TOKEN_TTL_HOURS * 3600 });
  const l = mailLocale(locale ?? user.locale);
  await sendMail({
    kind: "changeEmail",
    to: email,
    locale: l,
    link: `${await appUrl()}/${l}/account/confirm-email?token=${token}`,
    values: { hours: CHANGE_EMAIL_TOKEN_TTL_HOURS },
  });
  return { email };
}

/**
 * Confirms a change with the mailed token, after the route's limit (checkTokenRateLimit):
 * the email changes and counts as verified (the welcome grant, keyed once per user,
 * follows a verified email), every session of the user ends (the caller renews its own
 * with the returned version), every open reset, email-change and sign-in link of the
 * account dies (they were mailed for the old address), and the old address is told.
 * 400 naming `token` for an unknown, used or expired token; 409 when the address was
 * taken in the meantime (the token stays usable then).
 */
export async function confirmEmailChange({ token, locale, ip = null }: { token: string; locale?: string; ip?: string | null }): Promise<{
  userUuid: string;
  email: string;
  previousEmail: string;
  sessionVersion: number;
}> {
  await checkTokenRateLimit("email-change", ip);
  const refused = (why: string) => {
    logger.warn(`[account] email change confirmation refused: ${why}`);
    return new BadRequestError("token: invalid or expired, ask for a new link", "token");
  };
  let result;
  try {
    result = await getDb().transaction(async (tx) => {
      const used = await consumeAccountToken("change_email", token, tx);
      if (!used) throw refused("unknown, used or expired token");
      const [user] = await tx.select().from(users).where(eq(users.id, used.userUuid)).for("update");
      if (!user || user.disabledAt) throw refused("the account is disabled or gone");
      const [row] = await tx
        .update(users)
        .set({ email: used.email, emailVerified: new Date(), sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
        .where(eq(users.id, user.id))
        .returning({ sessionVersion: users.sessionVersion });
      await voidAccountTokens(user.id, [user.email, used.email], tx);
      await grantWelcomeCredits(user.id, tx);
      return { userUuid: user.id, email: used.email, previousEmail: user.email, sessionVersion: row.sessionVersion, locale: user.locale };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(TAKEN);
    if (error instanceof BadRequestError) await refusedTokenDelay(); // after the transaction
    throw error;
  }
  forgetUserSessions(result.userUuid);
  const l = mailLocale(locale ?? result.locale);
  await sendMail({
    kind: "emailChanged",
    to: result.previousEmail,
    locale: l,
    link: `${await appUrl()}/${l}`,
    values: { newEmail: result.email },
  }).catch((error) => logger.error({ error: describeError(error) }, "[account] email-changed notice failed"));
  return { userUuid: result.userUuid, email: result.email, previousEmail: result.previousEmail, sessionVersion: result.sessionVersion };
}
