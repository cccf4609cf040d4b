"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionState } from "@/lib/http/action";
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
