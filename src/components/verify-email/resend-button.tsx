"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { resendVerificationAction } from "@/components/auth/actions";
import { SubmitButton } from "@/components/forms/submit-button";

function problemState(status: number) {
  return status === 429 ? "limited" : status === 409 ? "already" : "failed";
}

/** Mails a new confirmation link (a Server Action) and says what happened. */
export function ResendVerificationButton() {
  const t = useTranslations("auth.verifyNotice");
  const locale = useLocale();
  const [result, formAction] = useActionState(resendVerificationAction, null);
  const state = result?.done?.sent ? "sent" : result?.formError ? problemState(result.formError.status) : null;

  if (state) return <span data-testid="verify-resend-result" data-state={state}>{t(state)}</span>;
  return (
    <form action={formAction}>
      <input type="hidden" name="locale" value={locale} />
      <SubmitButton variant="secondary" pendingLabel={t("resending")} testId="verify-resend">
        {t("resend")}
      </SubmitButton>
    </form>
  );
}
