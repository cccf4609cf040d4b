// Password rules, shared by the server's validation and the browser's forms (no server
// imports here). Strength (zxcvbn-ts, score >= 3: src/lib/auth/password-strength.ts) is
// the last rule: the services check it after these cheap ones (it needs the user's email
// and name, and takes milliseconds), the forms show its feedback as the user types.
import { z } from "zod";
import { normalizeEmail } from "../email";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordRule = "short" | "long" | "blank" | "email" | "weak";

/** The messages of the 400 envelope ("password: <message>"); forms map them back with passwordRuleOf. */
export const PASSWORD_RULE_MESSAGES: Record<PasswordRule, string> = {
  short: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  long: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  blank: "must not be only spaces",
  email: "must not be the email address",
  weak: "is too easy to guess, choose a stronger one",
};

/** The first cheap rule (all but strength) a new password breaks, or null. */
export function brokenPasswordRule(password: string, email?: string): PasswordRule | null {
  if (password.length < PASSWORD_MIN_LENGTH) return "short";
  if (password.length > PASSWORD_MAX_LENGTH) return "long";
  if (password.trim() === "") return "blank";
  if (email && normalizeEmail(password) === normalizeEmail(email)) return "email";
  return null;
}

/** The rule a server message ("password: ..." or the bare message) names, if any. */
export function passwordRuleOf(message: string): PasswordRule | null {
  const text = message.replace(/^password:\s*/, "");
  const hit = (Object.keys(PASSWORD_RULE_MESSAGES) as PasswordRule[]).find((r) => PASSWORD_RULE_MESSAGES[r] === text);
  return hit ?? null;
}

/** A new password (length, not blank); add the email rule with refineNewPassword on the object. */
export const newPasswordField = z
  .string({ error: "must be a string" })
  .min(PASSWORD_MIN_LENGTH, PASSWORD_RULE_MESSAGES.short)
  .max(PASSWORD_MAX_LENGTH, PASSWORD_RULE_MESSAGES.long)
  .refine((p) => p.trim() !== "", PASSWORD_RULE_MESSAGES.blank);

/** Object-level rule for a new password next to its email: not the email. */
export function refineNewPassword<T extends { email?: string }>(field: keyof T & string) {
  return (value: T, ctx: z.RefinementCtx) => {
    const password = value[field];
    if (typeof password !== "string") return;
    const rule = brokenPasswordRule(password, value.email);
    if (rule) ctx.addIssue({ code: "custom", path: [field], message: PASSWORD_RULE_MESSAGES[rule] });
  };
}
