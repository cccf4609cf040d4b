"use client";

import { useLocale, useTranslations } from "next-intl";
import { changeEmail } from "@/app/[locale]/account/actions";
import { Field } from "@/components/auth/field";
import { PasswordField } from "@/components/auth/password-field";
import { ACCOUNT_CARD, FormBanner, SubmitButton, useAccountAction } from "./action-form";

// New address (+ the current password for accounts with one) -> a confirmation link to the new address.
export function ChangeEmailForm({ hasPassword }: { hasPassword: boolean }) {
  const t = useTranslations("account");
  const locale = useLocale();
  const { formAction, fieldErrors, formError, done, values, valueOf } = useAccountAction(changeEmail);
  return (
    <form action={formAction} noValidate className={ACCOUNT_CARD} data-testid="account-email-form">
      <h2 className="text-lg font-semibold">{t("emailChange.title")}</h2>
      <p className="text-sm text-muted-foreground">{t("emailChange.text")}</p>
      <FormBanner success={done ? t("emailChange.sent", { email: (values.email ?? "").trim() }) : undefined} error={formError} testId="account-email-result" />
      <input type="hidden" name="locale" value={locale} />
      <Field
        id="newEmail"
        name="email"
        type="email"
        autoComplete="email"
        defaultValue={valueOf("email")}
        label={t("emailChange.label")}
        error={fieldErrors.email}
      />
      {hasPassword && (
        <PasswordField
          id="emailCurrentPassword"
          name="currentPassword"
          autoComplete="current-password"
          label={t("emailChange.current")}
          error={fieldErrors.currentPassword}
        />
      )}
      <SubmitButton testId="account-email-submit">{t("emailChange.submit")}</SubmitButton>
    </form>
  );
}
