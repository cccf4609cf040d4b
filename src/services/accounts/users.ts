import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { users, type User } from "@/db/schema";
import { DISPOSABLE_EMAIL_DOMAINS } from "@/data/disposable-email-domains";
import { env } from "@/lib/env";
import { hitRateLimit } from "@/services/rate-limit";
import { normalizeEmail } from "@/lib/email";
import { AppError, ConflictError, UnauthorizedError, isUniqueViolation } from "@/lib/http/errors";
import { logger } from "@/lib/logger";
import { dummyPasswordHash, hashPassword, verifyPassword } from "@/lib/auth/password";
import { PASSWORD_RULE_MESSAGES, refineNewPassword } from "@/lib/auth/password-rules";
import { MIN_PASSWORD_SCORE, passwordStrength, type PasswordStrength } from "@/lib/auth/password-strength";
import { DISPOSABLE_EMAIL_MESSAGE, emailSchema, passwordSchema, signUpFields } from "@/lib/schemas/auth";
import { grantWelcomeCredits } from "@/services/accounts/welcome";

// The client-safe field rules (src/lib/schemas/auth.ts), re-exported for the services that build on them.
export { emailSchema, passwordSchema };

/**
 * The object-level rule of a new password (not the email), for every schema that sets one:
 * `.superRefine(newPasswordRules("password"))`. Strength comes after: assertStrongPassword.
 */
export function newPasswordRules<T extends { email?: string }>(field: keyof T & string) {
  return refineNewPassword<T>(field);
}

/** A password too easy to guess: 400 naming the field, with the estimator's score and feedback keys in `data.strength`. */
export class WeakPasswordError extends AppError {
  constructor(field: string, readonly strength: PasswordStrength) {
    super(400, `${field}: ${PASSWORD_RULE_MESSAGES.weak}`, { field, strength });
  }
}

/**
 * The strength rule of every new password (sign-up, reset, change): zxcvbn-ts's score,
 * given the user's email and name, must be at least MIN_PASSWORD_SCORE. Called after the
 * cheap checks (and, for a reset, after the token was found): it takes milliseconds.
 * Throws WeakPasswordError (one log line, without the password).
 */
export async function assertStrongPassword(field: string, password: string, user: { email: string; name?: string | null }) {
  const strength = await passwordStrength(password, user);
  if (strength.score >= MIN_PASSWORD_SCORE) return;
  logger.warn({ field, score: strength.score, warning: strength.warning }, "[auth] weak password refused");
  throw new WeakPasswordError(field, strength);
}

/** Sign-up (POST /api/auth/signup and the sign-up form's action): the shared fields plus the server-only rules. */
export const signUpInput = signUpFields
  .superRefine(newPasswordRules("password"))
  .superRefine((value, ctx) => {
    if (isDisposableEmail(value.email)) ctx.addIssue({ code: "custom", path: ["email"], message: DISPOSABLE_EMAIL_MESSAGE });
  });

/** The hook for refusing throwaway addresses at sign-up (src/data/disposable-email-domains.ts). */
export function isDisposableEmail(email: string): boolean {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return DISPOSABLE_EMAIL_DOMAINS.includes(domain);
}

/**
 * Sign-ups per client address (when known, see clientIp) and from everyone together, in
 * windows of SIGNUP_RATE_LIMIT_WINDOW_SECONDS; throws TooManyRequestsError.
 */
export async function checkSignUpRateLimit({ ip }: { ip: string | null }) {
  const e = env();
  const window = e.SIGNUP_RATE_LIMIT_WINDOW_SECONDS;
  if (ip) await hitRateLimit(`signup:ip:${ip}`, e.SIGNUP_RATE_LIMIT_PER_IP, window);
  await hitRateLimit("signup:global", e.SIGNUP_RATE_LIMIT_GLOBAL, window);
}
export type SignUpInput = z.infer<typeof signUpInput>;

/**
 * Creates an email + password account; 409 when the email is taken. With EMAIL_VERIFICATION
 * off the welcome credits come in the same transaction; with it on (the default) they wait
 * for the confirmed email (src/services/accounts/email-verification.ts).
 */
export async function createUser(input: SignUpInput, db: Executor = getDb()): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: normalizeEmail(input.email), name: input.name || null, passwordHash, locale: input.locale ?? null })
        .returning();
      if (!env().EMAIL_VERIFICATION) await grantWelcomeCredits(user.id, tx);
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("email: an account with this email already exists");
    throw error;
  }
}

/**
 * The account a signed-in request acts for, read now: 401 when it was deleted or disabled.
 * Another app instance re-checks a session only every SESSION_CHECK_INTERVAL_SECONDS, so
 * whatever writes for the account or sends its details on (checkout, billing, account
 * changes) asks here first, and uses this row's email rather than the session's.
 */
export async function requireActiveUser(userUuid: string, db: Executor = getDb()): Promise<User> {
  const [user] = await db.select().from(users).where(eq(users.id, userUuid));
  if (!user || user.disabledAt) throw new UnauthorizedError();
  return user;
}

export async function findUserByEmail(email: string, db: Executor = getDb()): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  return user ?? null;
}

/**
 * The user for an email + password pair, or null. A wrong email and a wrong
 * password take the same time and give the same answer.
 */
export async function authenticate(email: string, password: string, db: Executor = getDb()): Promise<User | null> {
  const user = await findUserByEmail(email, db);
  if (!user?.passwordHash) {
    await verifyPassword(password, await dummyPasswordHash());
    return null;
  }
  // A disabled account gives the same answer as a wrong password, after the same work.
  return (await verifyPassword(password, user.passwordHash)) && !user.disabledAt ? user : null;
}
