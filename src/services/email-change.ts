import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { BadRequestError, ConflictError, isUniqueViolation } from "@/lib/errors";
import { describeError } from "@/lib/log-safe";
import { logger } from "@/lib/logger";
import { assertCurrentPassword } from "@/services/account";
import { consumeAccountToken, issueAccountToken } from "@/services/account-tokens";
import { sendMail } from "@/services/email";
import { mailLocale } from "@/services/email/templates";
import { hitRateLimit } from "@/services/rate-limit";
import { forgetUserSessions } from "@/services/sessions";
import { findUserByEmail, grantWelcomeCredits, isDisposableEmail, requireActiveUser } from "@/services/users";

/**
 * Changing the email of an account: the new address gets a single-use link (an account
 * token of kind change_email that keeps the new address); confirming it changes the email,
 * marks it verified, ends every other session and tells the old address. Until then the
 * account keeps its old address.
 */
export const CHANGE_EMAIL_TOKEN_TTL_HOURS = 24;
const REQUESTS_PER_USER_PER_HOUR = 5;

const TAKEN = "email: an account with this email already exists";

/** Mails the confirmation link to the new address; 400 (same address, wrong password), 409 (taken), 429. */
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
  await assertCurrentPassword(user, currentPassword);
  if (email === user.email) throw new BadRequestError("email: is already your email address", "email");
  if (isDisposableEmail(email)) throw new BadRequestError("email: this email provider is not accepted", "email");
  if (await findUserByEmail(email)) throw new ConflictError(TAKEN);
  await hitRateLimit(`email-change:${userUuid}`, REQUESTS_PER_USER_PER_HOUR, 3600);
  const token = await issueAccountToken({ kind: "change_email", userUuid, email, ttlSeconds: CHANGE_EMAIL_TOKEN_TTL_HOURS * 3600 });
  const l = mailLocale(locale ?? user.locale);
  await sendMail({
    kind: "changeEmail",
    to: email,
    locale: l,
    link: `${env().APP_URL}/${l}/account/confirm-email?token=${token}`,
    values: { hours: CHANGE_EMAIL_TOKEN_TTL_HOURS },
  });
  return { email };
}

/**
 * Confirms a change with the mailed token: the email changes and counts as verified (the
 * welcome grant, keyed once per user, follows a verified email), every session of the
 * user ends (the caller renews its own with the returned version), and the old address
 * is told. 400 naming `token` for an unknown, used or expired token; 409 when the address
 * was taken in the meantime (the token stays usable then).
 */
export async function confirmEmailChange({ token, locale }: { token: string; locale?: string }): Promise<{
  userUuid: string;
  email: string;
  previousEmail: string;
  sessionVersion: number;
}> {
  let result;
  try {
    result = await getDb().transaction(async (tx) => {
      const used = await consumeAccountToken("change_email", token, tx);
      if (!used) throw new BadRequestError("token: invalid or expired, ask for a new link", "token");
      const [user] = await tx.select().from(users).where(eq(users.id, used.userUuid)).for("update");
      if (!user || user.disabledAt) throw new BadRequestError("token: invalid or expired, ask for a new link", "token");
      const [row] = await tx
        .update(users)
        .set({ email: used.email, emailVerified: new Date(), sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
        .where(eq(users.id, user.id))
        .returning({ sessionVersion: users.sessionVersion });
      await grantWelcomeCredits(user.id, tx);
      return { userUuid: user.id, email: used.email, previousEmail: user.email, sessionVersion: row.sessionVersion, locale: user.locale };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(TAKEN);
    throw error;
  }
  forgetUserSessions(result.userUuid);
  const l = mailLocale(locale ?? result.locale);
  await sendMail({
    kind: "emailChanged",
    to: result.previousEmail,
    locale: l,
    link: `${env().APP_URL}/${l}`,
    values: { newEmail: result.email },
  }).catch((error) => logger.error({ error: describeError(error) }, "[account] email-changed notice failed"));
  return { userUuid: result.userUuid, email: result.email, previousEmail: result.previousEmail, sessionVersion: result.sessionVersion };
}
