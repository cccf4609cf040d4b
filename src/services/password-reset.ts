import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/env";
import { BadRequestError } from "@/lib/errors";
import { describeError } from "@/lib/log-safe";
import { hashPassword } from "@/lib/password";
import { PASSWORD_RULE_MESSAGES, brokenPasswordRule } from "@/lib/password-rules";
import { isCommonPassword } from "@/lib/common-passwords";
import { consumeAccountToken, issueAccountToken } from "@/services/account-tokens";
import { sendMail } from "@/services/email";
import { mailLocale } from "@/services/email/templates";
import { hitRateLimit } from "@/services/rate-limit";
import { forgetUserSessions } from "@/services/sessions";
import { forgotPasswordInput, passwordSchema, resetPasswordFields } from "@/lib/schemas/auth";
import { findUserByEmail } from "@/services/users";
import { logger } from "@/lib/logger";

export const RESET_TOKEN_TTL_MINUTES = 60;
// Reset mails per email and per client address, per hour (the same for unknown emails).
const PER_EMAIL_PER_HOUR = 5;
const PER_IP_PER_HOUR = 30;

export { forgotPasswordInput };

// The common-password check needs no email, so it answers before the token is looked at.
export const resetPasswordInput = resetPasswordFields.extend({
  password: passwordSchema.refine((p) => !isCommonPassword(p), PASSWORD_RULE_MESSAGES.common),
});

/**
 * "Forgot password": mails a single-use reset link when the account exists. The answer
 * (and its timing) is the same whether it exists or not: the lookup happens either way,
 * the token and mail are made after the caller has its answer.
 */
export async function requestPasswordReset({ email, locale, ip }: { email: string; locale?: string; ip: string | null }) {
  if (ip) await hitRateLimit(`pwreset:ip:${ip}`, PER_IP_PER_HOUR, 3600);
  await hitRateLimit(`pwreset:email:${email}`, PER_EMAIL_PER_HOUR, 3600);
  const user = await findUserByEmail(email);
  if (!user || user.disabledAt) return;
  void (async () => {
    const token = await issueAccountToken({ kind: "password_reset", userUuid: user.id, email: user.email, ttlSeconds: RESET_TOKEN_TTL_MINUTES * 60 });
    const l = mailLocale(locale ?? user.locale);
    await sendMail({
      kind: "passwordReset",
      to: user.email,
      locale: l,
      link: `${env().APP_URL}/${l}/auth/reset-password?token=${token}`,
      values: { minutes: RESET_TOKEN_TTL_MINUTES },
    });
  })().catch((error) => logger.error({ error: describeError(error) }, "[auth] password reset mail failed"));
}

/**
 * Sets a new password with a reset token: the token is used up, the password must follow
 * the rules, and every session of the user ends (session version). 400 naming `token`
 * for an unknown, used or expired token, `password` for a refused password; nothing changes then.
 */
export async function resetPassword({ token, password }: { token: string; password: string }): Promise<{ userUuid: string }> {
  const passwordHash = await hashPassword(password);
  const userUuid = await getDb().transaction(async (tx) => {
    const used = await consumeAccountToken("password_reset", token, tx);
    if (!used) throw new BadRequestError("token: invalid or expired, ask for a new link", "token");
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, used.userUuid));
    if (!user) throw new BadRequestError("token: invalid or expired, ask for a new link", "token");
    const rule = brokenPasswordRule(password, user.email) ?? (isCommonPassword(password) ? "common" : null);
    if (rule) throw new BadRequestError(`password: ${PASSWORD_RULE_MESSAGES[rule]}`, "password");
    await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, used.userUuid));
    return used.userUuid;
  });
  forgetUserSessions(userUuid);
  return { userUuid };
}
