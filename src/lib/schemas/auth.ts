/**
 * The account inputs, shared by the JSON routes (src/app/api/auth/*), the auth forms'
 * Server Actions (src/components/auth/actions.ts) and the services. Client-safe: zod,
 * the password rules and the email normalization only, so a form may check a value with
 * the very rule the server applies. The rules that need server data (the common-password
 * list, disposable domains) are added to these objects by the services (src/services/accounts/users.ts).
 */
import { z } from "zod";
import { normalizeEmail } from "@/lib/email";
import { newPasswordField } from "@/lib/auth/password-rules";

export const AUTH_LOCALES = ["en", "zh"] as const;

/** The language of the mails (and pages) that follow. */
export const localeSchema = z.enum(AUTH_LOCALES, { error: "must be en or zh" });

/** An email address, normalized (src/lib/email.ts) before it is checked. */
export const emailSchema = z
  .string({ error: "must be a string" })
  .max(254, "must be at most 254 characters")
  .transform(normalizeEmail)
  .pipe(z.email("must be a valid email address"));

/** A password being set (sign-up, reset, change): length and not blank; the email and common-list rules sit beside it. */
export const passwordSchema = newPasswordField;

export const NAME_MAX_LENGTH = 100;

/** A display name; "" is no name. */
export const nameSchema = z.string({ error: "must be a string" }).trim().max(NAME_MAX_LENGTH, `must be at most ${NAME_MAX_LENGTH} characters`);

/** A mailed one-time token (password reset, email confirmation). */
export const mailTokenSchema = z.string({ error: "must be a string" }).min(1, "is required").max(200, "is invalid");

/** Where to go after signing in; checked against the app's origin by safeCallbackUrl where it is used. */
export const callbackUrlSchema = z.string({ error: "must be a string" }).max(2000, "must be at most 2000 characters");

/** Sign-up's refusal of throwaway addresses (the domain list is the server's: src/services/accounts/users.ts). */
export const DISPOSABLE_EMAIL_MESSAGE = "this email provider is not accepted";

/** Sign-up's fields; src/services/accounts/users.ts `signUpInput` adds the password-vs-email, common-password and disposable-domain rules. */
export const signUpFields = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
  locale: localeSchema.optional(),
});

/**
 * Signing in with a password. The password is only required: its rules must not be
 * told to someone guessing (a too-long one is refused unhashed, as a wrong password).
 */
export const signInInput = z.object({
  email: emailSchema,
  password: z.string({ error: "must be a string" }).min(1, "is required"),
  callbackUrl: callbackUrlSchema.optional(),
  locale: localeSchema.optional(),
});

/** "Forgot password": the same answer for every well-formed address. */
export const forgotPasswordInput = z.object({ email: emailSchema, locale: localeSchema.optional() });

/** A new password with the mailed token; src/services/accounts/password-reset.ts adds the common-password rule. */
export const resetPasswordFields = z.object({ token: mailTokenSchema, password: passwordSchema });

/** Asking for a sign-in link: the same answer whether the account exists or not. */
export const magicLinkInput = z.object({ email: emailSchema, callbackUrl: callbackUrlSchema.optional(), locale: localeSchema.optional() });

/** Confirming the email with the mailed token. */
export const verifyEmailInput = z.object({ token: mailTokenSchema });

/** A new confirmation mail for the signed-in user. */
export const resendVerificationInput = z.object({ locale: localeSchema.optional() });
