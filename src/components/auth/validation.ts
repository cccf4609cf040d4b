import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/password-rules";

export type FieldErrors = Partial<Record<"email" | "password" | "name", string>>;
type T = (key: string, values?: Record<string, number>) => string;

// The same limits the server enforces (src/services/users.ts), checked as the user types.
export function validateAccountFields(t: T, v: { email: string; password: string; name?: string }): FieldErrors {
  const errors: FieldErrors = {};
  const email = v.email.trim();
  if (!email) errors.email = t("required");
  else if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = t("emailInvalid");
  if (!v.password) errors.password = t("required");
  else if (v.password.length < PASSWORD_MIN_LENGTH) errors.password = t("passwordShort", { min: PASSWORD_MIN_LENGTH });
  else if (v.password.length > PASSWORD_MAX_LENGTH) errors.password = t("passwordLong", { max: PASSWORD_MAX_LENGTH });
  if (v.name && v.name.trim().length > 100) errors.name = t("nameLong", { max: 100 });
  return errors;
}
