"use client";

// What the account forms share: useActionState over a Server Action
// (src/app/[locale]/account/actions.ts), the pending button (useFormStatus), and the one
// mapping from the server's answers to the user's words. The rules themselves are the
// server's (src/lib/schemas/account.ts and the services): the forms check nothing.
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { passwordMessage } from "@/components/auth/validation";
import { Alert } from "@/components/ui/alert";
import { Button, type ButtonVariant } from "@/components/ui/button";
import type { ActionState } from "@/lib/action";
import type { ApiProblem } from "@/lib/api-client";
import { passwordRuleOf } from "@/lib/password-rules";

export type AccountAction = (previous: ActionState | null, formData: FormData) => Promise<ActionState>;

type Translate = ReturnType<typeof useTranslations>;

/** The words for a 400 naming one of the forms' fields (`message` is the envelope's "field: ..."). */
function fieldWords(t: Translate, field: string, message: string, value: string): string {
  const tv = (key: string, values?: Record<string, number>) => t(`auth.validation.${key}`, values);
  const text = message.replace(new RegExp(`^${field}:\\s*`), "");
  if (value === "" && field !== "name" && field !== "newPassword") return tv("required");
  switch (field) {
    case "name":
      return tv("nameLong", { max: 100 });
    case "newPassword":
      return passwordMessage(tv, passwordRuleOf(text) ?? "short");
    case "currentPassword":
      return t("account.password.wrongCurrent");
    case "email":
      return /already your email/.test(text) ? t("account.emailChange.same") : tv("emailInvalid");
    case "confirm":
      return t("account.delete.wrongConfirm");
    default:
      return t("account.error");
  }
}

/** The words for a failure of the whole form. */
function problemWords(t: Translate, problem: ApiProblem): string {
  if (problem.status === 409 && /^subscription/.test(problem.message)) return t("account.delete.subscription");
  if (problem.status === 409 && /^tasks/.test(problem.message)) return t("account.delete.tasks");
  if (problem.status === 429) return t("account.emailChange.rateLimited");
  return t("account.error");
}

/**
 * useActionState for an account form: what the user typed (kept on error), the field
 * errors in words, the form's error in words, and whether the last submit succeeded.
 */
export function useAccountAction(action: AccountAction) {
  const t = useTranslations();
  const [state, formAction] = useActionState(action, null);
  const values = state?.values ?? {};
  const fieldErrors: Record<string, string> = {};
  for (const [field, message] of Object.entries(state?.fieldErrors ?? {})) fieldErrors[field] = fieldWords(t, field, message, values[field] ?? "");
  let formError: string | undefined;
  const problem = state?.formError;
  // A conflict naming a field of the form (the new email is taken) belongs to that field.
  const conflictField = problem?.status === 409 ? /^(\w+):/.exec(problem.message)?.[1] : undefined;
  if (problem && conflictField === "email" && "email" in values) fieldErrors.email = t("account.emailChange.taken");
  else if (problem) formError = problemWords(t, problem);
  const done = state !== null && !state.fieldErrors && !state.formError;
  /** The value a field shows: what was typed when the submit failed, `initial` otherwise. */
  const valueOf = (field: string, initial = "") => (done ? initial : (values[field] ?? initial));
  return { state, formAction, values, fieldErrors, formError, done, valueOf };
}

/** A form's submit button: disabled, and saying so, while its Server Action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant,
  className,
  testId,
}: {
  children: React.ReactNode;
  pendingLabel?: string;
  variant?: ButtonVariant;
  className?: string;
  testId?: string;
}) {
  const t = useTranslations("account");
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} className={className} disabled={pending} data-testid={testId} data-pending={pending || undefined}>
      {pending ? (pendingLabel ?? t("pending")) : children}
    </Button>
  );
}

/** The success or failure banner of a form. */
export function FormBanner({ success, error, testId }: { success?: string; error?: string; testId?: string }) {
  if (error) return <Alert tone="error" data-testid={testId} data-state="error">{error}</Alert>;
  if (success) return <Alert tone="success" data-testid={testId} data-state="done">{success}</Alert>;
  return null;
}
