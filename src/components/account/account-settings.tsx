"use client";

import { useLocale, useTranslations } from "next-intl";
import { changePassword, saveName, signOutEverywhere } from "@/app/[locale]/account/actions";
import { Field } from "@/components/auth/field";
import { ACCOUNT_CARD, FormBanner, SubmitButton, useAccountAction } from "./action-form";
import { ChangeEmailForm } from "./change-email-form";
import { DeleteAccount } from "./delete-account";

function NameForm({ name }: { name: string }) {
  const t = useTranslations("account");
  const { formAction, fieldErrors, formError, done, values } = useAccountAction(saveName);
  return (
    <form action={formAction} noValidate className={ACCOUNT_CARD} data-testid="account-name-form">
      <h2 className="text-lg font-semibold">{t("name.title")}</h2>
      <FormBanner success={done ? t("name.saved") : undefined} error={formError} testId="account-name-result" />
      {/* Saved or not, the field keeps what was typed (the prop is the name the page was loaded with). */}
      <Field id="name" name="name" defaultValue={values.name ?? name} autoComplete="name" label={t("name.label")} error={fieldErrors.name} />
      <SubmitButton testId="account-name-submit">{t("name.submit")}</SubmitButton>
    </form>
  );
}

function PasswordForm() {
  const t = useTranslations("account");
  // No defaultValue: passwords never travel back from the action, so after an answer both fields are asked again.
  const { formAction, fieldErrors, formError, done } = useAccountAction(changePassword);
  return (
    <form action={formAction} noValidate className={ACCOUNT_CARD} data-testid="account-password-form">
      <h2 className="text-lg font-semibold">{t("password.title")}</h2>
      <FormBanner success={done ? t("password.changed") : undefined} error={formError} testId="account-password-result" />
      <Field
        id="currentPassword"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        label={t("password.current")}
        error={fieldErrors.currentPassword}
      />
      <p className="text-xs text-muted-foreground">{t("password.currentHint")}</p>
      <Field
        id="newPassword"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        label={t("password.new")}
        error={fieldErrors.newPassword}
      />
      <SubmitButton testId="account-password-submit">{t("password.submit")}</SubmitButton>
    </form>
  );
}

function SignOutEverywhere() {
  const t = useTranslations("account");
  const locale = useLocale();
  const { formAction, formError } = useAccountAction(signOutEverywhere);
  return (
    <form action={formAction} className={ACCOUNT_CARD} data-testid="account-sessions-form">
      <h2 className="text-lg font-semibold">{t("sessions.title")}</h2>
      <p className="text-sm text-muted-foreground">{t("sessions.text")}</p>
      <FormBanner error={formError} />
      <input type="hidden" name="locale" value={locale} />
      <SubmitButton variant="secondary" testId="account-signout-everywhere">
        {t("sessions.submit")}
      </SubmitButton>
    </form>
  );
}

export function AccountSettings({ name, email, hasPassword }: { name: string; email: string; hasPassword: boolean }) {
  return (
    <div className="space-y-8">
      <NameForm name={name} />
      <PasswordForm />
      <ChangeEmailForm hasPassword={hasPassword} />
      <SignOutEverywhere />
      <DeleteAccount email={email} hasPassword={hasPassword} />
    </div>
  );
}
