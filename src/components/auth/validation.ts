import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, brokenPasswordRule, type PasswordRule } from "@/lib/password-rules";

export type FieldErrors = Partial<Record<"email" | "password" | "name", string>>;
type T = (key: string, values?: Record<string, number>) => string;

const PASSWORD_KEYS: Record<PasswordRule, string> = {
  short: "passwordShort",
  long: "passwordLong",
  blank: "passwordBlank",
  email: "passwordEmail",
  common: "passwordCommon",
};

/** The message for a broken password rule (from the form's own check or the server's 400). */
export function passwordMessage(t: T, rule: PasswordRule): string {
  return t(PASSWORD_KEYS[rule], { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH });
}

// The same rules the server enforces (src/lib/password-rules.ts, src/services/users.ts),
// checked as the user types; the common-password list is the server's alone.
export function validateAccountFields(t: T, v: { email: string; password: string; name?: string }): FieldErrors {
  const errors: FieldErrors = {};
  const email = v.email.trim();
  const emailError = validateEmailField(t, email);
  if (emailError) errors.email = emailError;
  const rule = v.password ? brokenPasswordRule(v.password, email) : null;
  if (!v.password) errors.password = t("required");
  else if (rule) errors.password = passwordMessage(t, rule);
  if (v.name && v.name.trim().length > 100) errors.name = t("nameLong", { max: 100 });
  return errors;
}

/** The email field's message (required, or not an email address), or undefined. */
export function validateEmailField(t: T, value: string): string | undefined {
  const email = value.trim();
  if (!email) return t("required");
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return t("emailInvalid");
  return undefined;
}
