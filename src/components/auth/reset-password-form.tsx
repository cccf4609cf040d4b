"use client";

import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { resetPasswordAction } from "./actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useAuthForm } from "./auth-form";
import { PasswordField } from "./password-field";
import { LinkOutcome } from "./link-outcome";

// One click sets the password: opening the mailed link changes nothing (mail scanners prefetch links).
export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("auth");
  const { state, formAction, fieldError, problem, done } = useAuthForm(resetPasswordAction);

  if (done?.reset) {
    return <LinkOutcome testId="reset-done" tone="success" text={t("reset.done")} href="/auth/signin" label={t("reset.toSignIn")} />;
  }
  // An unknown, used or expired token (the server names the `token` field).
  if (state?.fieldErrors?.token) {
    return <LinkOutcome testId="reset-invalid" tone="error" text={t("reset.invalidToken")} href="/auth/forgot-password" label={t("reset.newLink")} />;
  }
  return (
    <form noValidate action={formAction} className="space-y-4" data-testid="reset-form">
      {problem && <Alert tone="error">{t("error")}</Alert>}
      <input type="hidden" name="token" value={token} />
      <PasswordField id="password" name="password" autoComplete="new-password" label={t("fields.newPassword")} error={fieldError("password")} strength={{}} />
      <SubmitButton className="w-full" pendingLabel={t("reset.submitting")} testId="reset-submit">
        {t("reset.submit")}
      </SubmitButton>
    </form>
  );
}
