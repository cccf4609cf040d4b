"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/action";
import { fieldMessage } from "./validation";

export type AuthAction = (previous: ActionState | null, formData: FormData) => Promise<ActionState>;

/**
 * useActionState for an auth form: the state, the form's action, what the user typed
 * (passwords are never sent back) and each field's server error in the user's words.
 */
export function useAuthForm(action: AuthAction) {
  const t = useTranslations("auth.validation");
  const [state, formAction] = useActionState(action, null);
  const values = state?.values ?? {};
  const fieldError = (field: string) => {
    const message = state?.fieldErrors?.[field];
    return message === undefined ? undefined : fieldMessage(t, field, message, values[field]);
  };
  return { state, formAction, values, fieldError, done: state?.done, problem: state?.formError };
}

/** The submit button: disabled, with its "…ing" label, while the form's action runs. */
export function SubmitButton({ label, pendingLabel, testId }: { label: string; pendingLabel: string; testId: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending} className="w-full" data-testid={testId} data-pending={pending || undefined}>
      {pending ? pendingLabel : label}
    </Button>
  );
}
