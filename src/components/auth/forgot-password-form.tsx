"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "./field";
import { validateAccountFields } from "./validation";

export function ForgotPasswordForm({ locale, minutes }: { locale: string; minutes: number }) {
  const t = useTranslations("auth");
  const [error, setError] = useState<string | undefined>();
  const [banner, setBanner] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    const fieldError = validateAccountFields((k, v) => t(`validation.${k}`, v), { email, password: "x".repeat(12) }).email;
    setError(fieldError);
    setBanner(null);
    if (fieldError) return;
    setBusy(true);
    try {
      const res = await fetch("/api/auth/password/forgot", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, locale }),
      });
      if (res.ok) setBanner({ tone: "success", text: t("forgot.sent", { minutes }) });
      else if (res.status === 429) setBanner({ tone: "error", text: t("forgot.rateLimited") });
      else if (res.status === 400) setError(t("validation.emailInvalid"));
      else setBanner({ tone: "error", text: t("error") });
    } catch {
      setBanner({ tone: "error", text: t("error") });
    }
    setBusy(false);
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4" data-testid="forgot-form">
      {banner && (
        <div data-testid="forgot-banner">
          <Alert tone={banner.tone}>{banner.text}</Alert>
        </div>
      )}
      <Field id="email" name="email" type="email" autoComplete="email" label={t("fields.email")} error={error} />
      <Button type="submit" disabled={busy} className="w-full" data-testid="forgot-submit">
        {busy ? t("forgot.submitting") : t("forgot.submit")}
      </Button>
    </form>
  );
}
