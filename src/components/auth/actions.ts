"use server";

/**
 * The auth forms' Server Actions: the same inputs (src/lib/schemas/auth.ts, with the
 * services' server-only rules) and services as the JSON routes under /api/auth, which
 * stay for API clients. All public (signed-out forms) but resending the confirmation mail.
 */
import { headers } from "next/headers";
import { validatedAction } from "@/lib/http/action";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { clientIp } from "@/lib/http/client-ip";
import { TooManyRequestsError } from "@/lib/http/errors";
import { resendVerificationInput, signInInput } from "@/lib/schemas/auth";
import { VerifyTokenError, resendVerificationMail, verifyEmail, verifyEmailInput } from "@/services/accounts/email-verification";
import { MAGIC_LINK_TTL_MINUTES, magicLinkInput } from "@/services/accounts/magic-link";
import { forgotPasswordInput, requestPasswordReset, resetPassword, resetPasswordInput } from "@/services/accounts/password-reset";
import { EmailNotVerifiedError, requestMagicLink, signInWithCredentials } from "@/services/accounts/sign-in";
import { signUp } from "@/services/accounts/sign-up";
import { signUpInput } from "@/services/accounts/users";

const requestIp = async () => clientIp(await headers());
const afterSignIn = (callbackUrl: string | undefined, locale = "en") => safeCallbackUrl(callbackUrl, `/${locale}/credits`);

/** Email + password; on success the browser goes on to the (same-origin) callbackUrl. */
export const signInAction = validatedAction(
  signInInput,
  async (input) => {
    await signInWithCredentials(input);
    return { redirectTo: afterSignIn(input.callbackUrl, input.locale) };
  },
  { public: true, name: "signIn" },
);

/**
 * A new account (POST /api/auth/signup's steps), then signed in. When signing in is
 * refused after all (the sign-in limit, or an unconfirmed email may not sign in) the
 * account still exists: the form says so (`done.created`) and what to do next.
 */
export const signUpAction = validatedAction(
  signUpInput,
  async (input, { values }) => {
    await signUp(input, { ip: await requestIp() });
    try {
      await signInWithCredentials(input);
    } catch (error) {
      if (error instanceof EmailNotVerifiedError) return { done: { created: "verify" } };
      if (error instanceof TooManyRequestsError) return { done: { created: "signIn" } };
      throw error;
    }
    return { redirectTo: safeCallbackUrl(values.callbackUrl, `/${input.locale ?? "en"}/tasks/text-to-video`) };
  },
  { public: true, name: "signUp" },
);

/** The same answer for every well-formed address (POST /api/auth/password/forgot). */
export const forgotPasswordAction = validatedAction(
  forgotPasswordInput,
  async (input) => {
    await requestPasswordReset({ ...input, ip: await requestIp() });
    return { done: { sent: true } };
  },
  { public: true, name: "forgotPassword" },
);

/** A new password with the mailed token (POST /api/auth/password/reset); a bad token is the `token` field's error. */
export const resetPasswordAction = validatedAction(
  resetPasswordInput,
  async (input) => {
    await resetPassword({ ...input, ip: await requestIp() });
    return { done: { reset: true } };
  },
  { public: true, name: "resetPassword" },
);

/** A sign-in link, when the account exists (POST /api/auth/magic-link): the same answer either way. */
export const magicLinkAction = validatedAction(
  magicLinkInput,
  async (input) => {
    await requestMagicLink({ ...input, ip: await requestIp() });
    return { done: { sent: true, minutes: MAGIC_LINK_TTL_MINUTES } };
  },
  { public: true, name: "magicLink" },
);

/** Confirms the email with the mailed token (POST /api/auth/verify-email): `done.result` is "done" or why not. */
export const verifyEmailAction = validatedAction(
  verifyEmailInput,
  async ({ token }) => {
    try {
      await verifyEmail(token, { ip: await requestIp() });
    } catch (error) {
      if (error instanceof VerifyTokenError) return { done: { result: error.reason } };
      throw error;
    }
    return { done: { result: "done" } };
  },
  { public: true, name: "verifyEmail" },
);

/** A new confirmation mail for the signed-in user (POST /api/auth/verify-email/resend). */
export const resendVerificationAction = validatedAction(
  resendVerificationInput,
  async (input, { user }) => {
    await resendVerificationMail({ userUuid: user.uuid, locale: input.locale });
    return { done: { sent: true } };
  },
  { name: "resendVerification" },
);
