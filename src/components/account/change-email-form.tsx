"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Field } from "@/components/auth/field";
import { validateEmailField } from "@/components/auth/validation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

type Errors = { email?: string; currentPassword?: string };

// New address (+ the current password for accounts with one) -> a confirmation link to the new address.
export function ChangeEmailForm({ hasPassword }: { hasPassword: boolean }) {
  const t = useTranslations("account");
  const ta = useTranslations("auth");
  const locale = useLocale();
  const [errors, setErrors] = useState<Errors>({});
  const [banner, setBanner] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const email = String(data.get("newEmail") ?? "").trim();
    const currentPassword = hasPassword ? String(data.get("emailCurrentPassword") ?? "") : undefined;
    const next: Errors = {};
    const emailError = validateEmailField((k) => ta(`validation.${k}`), email);
    if (emailError) next.email = emailError;
    if (hasPassword && !currentPassword) next.currentPassword = ta("validation.required");
    setErrors(next);
    setBanner(null);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      const res = await fetch("/api/account/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, currentPassword, locale }),
      });
      const body = (await res.json().catch(() => ({}))) as { message?: string; data?: { field?: string } };
      if (res.ok) {
        form.reset();
        setBanner({ tone: "success", text: t("emailChange.sent", { email }) });
      } else if (res.status === 409) setErrors({ email: t("emailChange.taken") });
      else if (res.status === 400 && body.data?.field === "currentPassword") setErrors({ currentPassword: t("emailChange.wrongCurrent") });
      else if (res.status === 400 && /already your email/.test(body.message ?? "")) setErrors({ email: t("emailChange.same") });
      else if (res.status === 400) setErrors({ email: ta("validation.emailInvalid") });
      else setBanner({ tone: "error", text: t(res.status === 429 ? "emailChange.rateLimited" : "error") });
    } catch {
      setBanner({ tone: "error", text: t("error") });
    }
    setBusy(false);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3 rounded-xl border border-slate-200 p-6" data-testid="account-email-form">
      <h2 className="text-lg font-semibold">{t("emailChange.title")}</h2>
      <p className="text-sm text-slate-600">{t("emailChange.text")}</p>
      {banner && <Alert tone={banner.tone}>{banner.text}</Alert>}
      <Field id="newEmail" name="newEmail" type="email" autoComplete="email" label={t("emailChange.label")} error={errors.email} />
      {hasPassword && (
        <Field
          id="emailCurrentPassword"
          name="emailCurrentPassword"
          type="password"
          autoComplete="current-password"
          label={t("emailChange.current")}
          error={errors.currentPassword}
        />
      )}
      <Button type="submit" disabled={busy} data-testid="account-email-submit">
        {t("emailChange.submit")}
      </Button>
    </form>
  );
}
