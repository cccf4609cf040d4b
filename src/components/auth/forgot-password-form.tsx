"use client";

import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { forgotPasswordAction } from "./actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useAuthForm } from "./auth-form";
import { Field } from "./field";

// The answer is the same whether an account has the address or not.
export function ForgotPasswordForm({ locale, minutes }: { locale: string; minutes: number }) {
  const t = useTranslations("auth");
  const { formAction, values, fieldError, problem, done } = useAuthForm(forgotPasswordAction);
  const banner = done?.sent
    ? { tone: "success" as const, text: t("forgot.sent", { minutes }) }
    : problem && { tone: "error" as const, text: t(problem.status === 429 ? "forgot.rateLimited" : "error") };

  return (
    <form noValidate action={formAction} className="space-y-4" data-testid="forgot-form">
      {banner && (
        <div data-testid="forgot-banner">
          <Alert tone={banner.tone}>{banner.text}</Alert>
        </div>
      )}
      <input type="hidden" name="locale" value={locale} />
      <Field id="email" name="email" type="email" autoComplete="email" label={t("fields.email")} defaultValue={values.email} error={fieldError("email")} />
      <SubmitButton className="w-full" pendingLabel={t("forgot.submitting")} testId="forgot-submit">
        {t("forgot.submit")}
      </SubmitButton>
    </form>
  );
}
