"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { resendVerificationAction } from "@/components/auth/actions";
import { Button } from "@/components/ui/button";

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
      <ResendSubmit />
    </form>
  );
}

function ResendSubmit() {
  const t = useTranslations("auth.verifyNotice");
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant="secondary" disabled={pending} data-testid="verify-resend" data-pending={pending || undefined}>
      {pending ? t("resending") : t("resend")}
    </Button>
  );
}
