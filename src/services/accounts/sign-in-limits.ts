import type { User } from "@/db/schema";
import { normalizeEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { maskEmail } from "@/lib/log-safe";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password-rules";
import { hitRateLimit } from "@/services/rate-limit";
import { authenticate } from "@/services/accounts/users";
import { logger } from "@/lib/logger";

/**
 * Sign-in attempts, in fixed windows of SIGNIN_RATE_LIMIT_WINDOW_SECONDS:
 * - per email + client address: SIGNIN_RATE_LIMIT_PER_EMAIL (an attacker's address is
 *   locked out of that account; the owner elsewhere is not),
 * - per client address: SIGNIN_RATE_LIMIT_PER_IP (one address guessing many accounts),
 * - per email from anywhere: SIGNIN_RATE_LIMIT_PER_ACCOUNT, a looser ceiling against
 *   guesses spread over many addresses.
 * The address comes from clientIp() (TRUSTED_PROXY_HOPS); when it is unknown, only the
 * per-account ceiling applies (a shared "unknown" key would let anyone lock anyone out).
 * Throws TooManyRequestsError.
 */
export async function checkSignInRateLimit({ email, ip }: { email: string; ip: string | null }) {
  const e = env();
  const window = e.SIGNIN_RATE_LIMIT_WINDOW_SECONDS;
  const key = normalizeEmail(email).slice(0, 254);
  if (ip) {
    await hitRateLimit(`signin:pair:${key}|${ip}`, e.SIGNIN_RATE_LIMIT_PER_EMAIL, window);
    await hitRateLimit(`signin:ip:${ip}`, e.SIGNIN_RATE_LIMIT_PER_IP, window);
  }
  await hitRateLimit(`signin:account:${key}`, e.SIGNIN_RATE_LIMIT_PER_ACCOUNT, window);
}

/**
 * An email + password sign-in: the limits above, then the password check. Every refusal
 * logs one line, without the password. Null for wrong credentials; throws
 * TooManyRequestsError when limited.
 */
export async function signInWithPassword({
  email,
  password,
  ip,
}: {
  email: unknown;
  password: unknown;
  ip: string | null;
}): Promise<User | null> {
  const from = ip ?? "an unknown address";
  if (typeof email !== "string" || typeof password !== "string" || email.length > 254) {
    logger.warn(`[auth] sign-in refused: malformed credentials from ${from}`);
    return null;
  }
  const normalized = normalizeEmail(email);
  try {
    await checkSignInRateLimit({ email: normalized, ip });
  } catch (error) {
    logger.warn(`[auth] sign-in rate-limited for ${maskEmail(normalized)} from ${from}`);
    throw error;
  }
  const user = password.length > PASSWORD_MAX_LENGTH ? null : await authenticate(normalized, password);
  if (!user) logger.warn(`[auth] failed sign-in for ${maskEmail(normalized)} from ${from}`);
  return user;
}
