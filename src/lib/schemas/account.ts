/**
 * The account settings inputs, shared by the JSON routes (src/app/api/account/**), the
 * account page's Server Actions (src/app/[locale]/account/actions.ts) and the services.
 * Client-safe: zod and src/lib's pure rules only, so a client component may import them.
 */
import { z } from "zod";
import { PASSWORD_MAX_LENGTH, newPasswordField } from "@/lib/auth/password-rules";
import { emailSchema, localeSchema as locale, mailTokenSchema, nameSchema } from "./auth";

/** The current password, asked before a sensitive change; over-long is a 400 before any hashing. */
export const currentPasswordField = z
  .string({ error: "must be a string" })
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/**
 * { currentPassword, newPassword }: accounts created through OAuth have no password and set
 * their first one with an empty currentPassword. The rules beside the email and the
 * common-password list are the service's (src/services/accounts/settings.ts changePassword).
 */
export const changePasswordInput = z.object({
  currentPassword: currentPasswordField,
  newPassword: newPasswordField,
});

/** { name }: empty clears it. */
export const updateAccountInput = z.object({
  name: nameSchema,
});

/**
 * Deleting the account: accounts with a password give `currentPassword`, accounts without
 * one (GitHub, Google) type their email as `confirm` (src/services/accounts/deletion.ts).
 */
export const deleteAccountInput = z.object({
  currentPassword: currentPasswordField.optional(),
  confirm: z.string({ error: "must be a string" }).max(254, "must be at most 254 characters").optional(),
});

/** The same from the account page's form, with the locale of the page to land on once signed out. */
export const deleteAccountForm = deleteAccountInput.extend({ locale: locale.optional() });

/** Signing out everywhere from the account page: only the locale of the page to land on. */
export const signOutEverywhereForm = z.object({ locale: locale.optional() });

/** { email, currentPassword (accounts with a password), locale? }: a confirmation link goes to the new address. */
export const changeEmailInput = z.object({
  email: emailSchema,
  // Asked of accounts with a password (an OAuth-only account has none to give).
  currentPassword: currentPasswordField.optional(),
  locale: locale.optional(),
});

/** { token, locale? }: the mailed link's token; the locale is the confirming page's, for the notice to the old address. */
export const confirmEmailChangeInput = z.object({
  token: mailTokenSchema,
  locale: locale.optional(),
});
