"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { magicLinkAction } from "./actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useAuthForm } from "./auth-form";
import { Field } from "./field";

// "Email me a sign-in link", then "check your mail" (the same answer whether the account exists or not).
export function MagicLinkForm({ callbackUrl, onPassword }: { callbackUrl: string; onPassword: () => void }) {
  const t = useTranslations("auth");
  const locale = useLocale();
  const { state, formAction, values, fieldError, problem, done } = useAuthForm(magicLinkAction);
  // "Use another address" shows the form again until the next answer.
  const [dismissed, setDismissed] = useState<typeof state>(null);

  if (done?.sent && state !== dismissed) {
    return (
      <div className="space-y-4" data-testid="magic-link-sent">
        <Alert tone="success">{t("magicLink.sent", { email: values.email?.trim() ?? "", minutes: Number(done.minutes) })}</Alert>
        <Button type="button" variant="secondary" className="w-full" onClick={() => setDismissed(state)}>
          {t("magicLink.again")}
        </Button>
      </div>
    );
  }
  return (
    <form noValidate action={formAction} className="space-y-4" data-testid="magic-link-form">
      {problem && <Alert tone="error">{t(problem.status === 429 ? "magicLink.rateLimited" : "error")}</Alert>}
      <p className="text-sm text-muted-foreground">{t("magicLink.intro")}</p>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <input type="hidden" name="locale" value={locale} />
      <Field id="magic-email" name="email" type="email" autoComplete="email" label={t("fields.email")} defaultValue={values.email} error={fieldError("email")} />
      <SubmitButton className="w-full" pendingLabel={t("magicLink.submitting")} testId="magic-link-submit">
        {t("magicLink.submit")}
      </SubmitButton>
      <p className="text-center text-sm">
        <button type="button" className="text-primary underline" onClick={onPassword} data-testid="signin-with-password">
          {t("signIn.withPassword")}
        </button>
      </p>
    </form>
  );
}
