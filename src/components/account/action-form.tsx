"use client";

// What the account forms share: useActionState over a Server Action
// (src/app/[locale]/account/actions.ts), the pending button (useFormStatus), and the one
// mapping from the server's answers to the user's words. The rules themselves are the
// server's (src/lib/schemas/account.ts and the services): the forms check nothing.
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { fieldMessage } from "@/components/auth/validation";
import { Alert } from "@/components/ui/alert";
import { SubmitButton as FormSubmitButton } from "@/components/forms/submit-button";
import type { ActionState } from "@/lib/http/action";
import type { ApiProblem } from "@/lib/http/api-client";

/** The card each account form sits in. */
export const ACCOUNT_CARD = "space-y-3 rounded-xl border bg-card p-6";

export type AccountAction = (previous: ActionState | null, formData: FormData) => Promise<ActionState>;

type Translate = ReturnType<typeof useTranslations>;

/**
 * The words for a 400 naming one of the forms' fields: the account-only fields here, the
 * fields the auth forms share (email, name, passwords) through their one mapping.
 */
function fieldWords(t: Translate, field: string, message: string, value: string | undefined): string {
  const text = message.replace(/^[\w.]+:\s*/, "");
  // `value` is what was typed, sent back by the action; never for passwords (undefined).
  if (value === "" && field !== "name") return t("auth.validation.required");
  if (field === "currentPassword") return t("account.password.wrongCurrent");
  if (field === "confirm") return t("account.delete.wrongConfirm");
  if (field === "email" && /already your email/.test(text)) return t("account.emailChange.same");
  return fieldMessage((key, values) => t(`auth.validation.${key}`, values), field, text, value);
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
  for (const [field, message] of Object.entries(state?.fieldErrors ?? {})) fieldErrors[field] = fieldWords(t, field, message, values[field]);
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

/** The shared submit button, saying "Saving…" unless told otherwise. */
export function SubmitButton(props: Omit<React.ComponentProps<typeof FormSubmitButton>, "pendingLabel"> & { pendingLabel?: string }) {
  const t = useTranslations("account");
  return <FormSubmitButton {...props} pendingLabel={props.pendingLabel ?? t("pending")} />;
}

/** The success or failure banner of a form. */
export function FormBanner({ success, error, testId }: { success?: string; error?: string; testId?: string }) {
  if (error) return <Alert tone="error" data-testid={testId} data-state="error">{error}</Alert>;
  if (success) return <Alert tone="success" data-testid={testId} data-state="done">{success}</Alert>;
  return null;
}
