"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { changePassword, saveName, signOutEverywhere } from "@/app/[locale]/account/actions";
import { Field } from "@/components/auth/field";
import { PasswordField } from "@/components/auth/password-field";
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

function PasswordForm({ email, name }: { email: string; name: string }) {
  const t = useTranslations("account");
  // Passwords never travel back from the action: the fields keep what was typed themselves
  // (PasswordField) and are emptied after a change went through.
  const { state, formAction, fieldErrors, formError, done } = useAccountAction(changePassword);
  const [changes, setChanges] = useState(0);
  const [answered, setAnswered] = useState(state);
  if (state !== answered) {
    // A new answer from the action (React's "state from the previous render" pattern).
    setAnswered(state);
    if (done) setChanges(changes + 1);
  }
  return (
    <form action={formAction} noValidate className={ACCOUNT_CARD} data-testid="account-password-form">
      <h2 className="text-lg font-semibold">{t("password.title")}</h2>
      <FormBanner success={done ? t("password.changed") : undefined} error={formError} testId="account-password-result" />
      <PasswordField
        key={`current-${changes}`}
        id="currentPassword"
        name="currentPassword"
        autoComplete="current-password"
        label={t("password.current")}
        error={fieldErrors.currentPassword}
      />
      <p className="text-xs text-muted-foreground">{t("password.currentHint")}</p>
      <PasswordField
        key={`new-${changes}`}
        id="newPassword"
        name="newPassword"
        autoComplete="new-password"
        label={t("password.new")}
        error={fieldErrors.newPassword}
        strength={{ email, name }}
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
      <PasswordForm email={email} name={name} />
      <ChangeEmailForm hasPassword={hasPassword} />
      <SignOutEverywhere />
      <DeleteAccount email={email} hasPassword={hasPassword} />
    </div>
  );
}
