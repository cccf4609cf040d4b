import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { BadRequestError } from "@/lib/http/errors";
import { describeError } from "@/lib/log-safe";
import { hashPassword } from "@/lib/auth/password";
import { PASSWORD_RULE_MESSAGES, brokenPasswordRule } from "@/lib/auth/password-rules";
import {
  checkTokenRateLimit,
  consumeAccountToken,
  findAccountToken,
  issueAccountToken,
  refusedTokenDelay,
  voidAccountTokens,
} from "@/services/accounts/tokens";
import { sendMail } from "@/services/email";
import { mailLocale } from "@/services/email/templates";
import { hitRateLimit } from "@/services/rate-limit";
import { forgetUserSessions } from "@/services/accounts/sessions";
import { forgotPasswordInput, resetPasswordFields } from "@/lib/schemas/auth";
import { assertStrongPassword, findUserByEmail } from "@/services/accounts/users";
import { logger } from "@/lib/logger";
import { appUrl } from "@/lib/app-url";

export const RESET_TOKEN_TTL_MINUTES = 60;
// Reset mails per email and per client address, per hour (the same for unknown emails).
const PER_EMAIL_PER_HOUR = 5;
const PER_IP_PER_HOUR = 30;

export { forgotPasswordInput };

// Length and blank only: the rules that need the account (not the email, strength) are
// checked once the token has been found.
export const resetPasswordInput = resetPasswordFields;

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
  const base = appUrl(); // read while the request is current (the mail goes after the answer)
  void (async () => {
    const token = await issueAccountToken({ kind: "password_reset", userUuid: user.id, email: user.email, ttlSeconds: RESET_TOKEN_TTL_MINUTES * 60 });
    const l = mailLocale(locale ?? user.locale);
    await sendMail({
      kind: "passwordReset",
      to: user.email,
      locale: l,
      link: `${await base}/${l}/auth/reset-password?token=${token}`,
      values: { minutes: RESET_TOKEN_TTL_MINUTES },
    });
  })().catch((error) => logger.error({ error: describeError(error) }, "[auth] password reset mail failed"));
}

const BAD_TOKEN = "token: invalid or expired, ask for a new link";

/** 400 naming `token`, logged in one line (never the token). */
function refusedToken(why: string): BadRequestError {
  logger.warn(`[auth] password reset refused: ${why}`);
  return new BadRequestError(BAD_TOKEN, "token");
}

/**
 * Sets a new password with a reset token. In order, cheapest first, so a flood of made-up
 * tokens costs one indexed read each: the route's limit (checkTokenRateLimit, per client
 * address and global), the token looked up (not used up), the account's address compared
 * with the one the token was mailed to, the password's rules and strength (for that
 * account's email and name), then scrypt, and last the token is used up, the password
 * set, every session ended and every other open reset, email-change and sign-in link of
 * the account voided, in one transaction. 400 naming `token` for an unknown, used or
 * expired token or one mailed to an address the account no longer has; `password` for a
 * refused password (the token stays usable then); nothing changes on a refusal.
 */
export async function resetPassword({ token, password, ip = null }: { token: string; password: string; ip?: string | null }): Promise<{ userUuid: string }> {
  await checkTokenRateLimit("password-reset", ip);
  const found = await findAccountToken("password_reset", token);
  if (!found) {
    await refusedTokenDelay();
    throw refusedToken("unknown, used or expired token");
  }
  const [user] = await getDb().select({ email: users.email, name: users.name, disabledAt: users.disabledAt }).from(users).where(eq(users.id, found.userUuid));
  if (!user || user.disabledAt || user.email !== found.email) {
    await refusedTokenDelay();
    throw refusedToken("the account's address changed or it is disabled");
  }
  const rule = brokenPasswordRule(password, user.email);
  if (rule) throw new BadRequestError(`password: ${PASSWORD_RULE_MESSAGES[rule]}`, "password");
  await assertStrongPassword("password", password, user);
  const passwordHash = await hashPassword(password);
  const userUuid = await getDb().transaction(async (tx) => {
    const used = await consumeAccountToken("password_reset", token, tx);
    // Used, or voided by a change, since it was looked up.
    if (!used) throw refusedToken("the token was used or voided meanwhile");
    const [current] = await tx.select({ email: users.email }).from(users).where(eq(users.id, used.userUuid)).for("update");
    if (!current || current.email !== used.email) throw refusedToken("the account's address changed");
    await tx
      .update(users)
      .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, used.userUuid));
    await voidAccountTokens(used.userUuid, [current.email], tx);
    return used.userUuid;
  });
  forgetUserSessions(userUuid);
  return { userUuid };
}
