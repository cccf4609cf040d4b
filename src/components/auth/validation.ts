/**
 * The auth forms' words for what the server refused: one mapping from the zod messages of
 * the shared schemas (src/lib/schemas/auth.ts, answered by the Server Actions and the JSON
 * routes alike) to the user's language. No rule lives here; the only check done in the
 * browser (validateEmailField) runs the server's own schema.
 */
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordRuleOf, type PasswordRule } from "@/lib/auth/password-rules";
import { DISPOSABLE_EMAIL_MESSAGE, NAME_MAX_LENGTH, emailSchema } from "@/lib/schemas/auth";

export type FieldErrors = Partial<Record<"email" | "password" | "name", string>>;
type T = (key: string, values?: Record<string, number>) => string;

const PASSWORD_KEYS: Record<PasswordRule, string> = {
  short: "passwordShort",
  long: "passwordLong",
  blank: "passwordBlank",
  email: "passwordEmail",
  weak: "passwordWeak",
};

/** The message for a broken password rule. `t` reads `auth.validation`. */
export function passwordMessage(t: T, rule: PasswordRule): string {
  return t(PASSWORD_KEYS[rule], { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
}

/**
 * The words for the server's message about `field` ("field: message" or the bare message),
 * given what the user typed there (passwords are not sent back: undefined). `t` reads `auth.validation`.
 */
export function fieldMessage(t: T, field: string, message: string, value: string | undefined): string {
  const text = message.replace(/^[\w.]+:\s*/, "");
  if (text === "is required" || (value !== undefined && !value.trim())) return t("required");
  if (/password/i.test(field)) return passwordMessage(t, passwordRuleOf(text) ?? "short");
  if (field === "name") return t("nameLong", { max: NAME_MAX_LENGTH });
  if (field === "email" && text === DISPOSABLE_EMAIL_MESSAGE) return t("emailDisposable");
  return t("emailInvalid");
}

/** The email field's message (required, or not an email address by the server's schema), or undefined. */
export function validateEmailField(t: T, value: string): string | undefined {
  if (!value.trim()) return t("required");
  const parsed = emailSchema.safeParse(value);
  return parsed.success ? undefined : t("emailInvalid");
}
