"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { signInWithPassword } from "./credentials";
import { Field } from "./field";
import { MagicLinkForm } from "./magic-link-form";
import { validateAccountFields, type FieldErrors } from "./validation";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [withLink, setWithLink] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    const fieldErrors = validateAccountFields((k, v) => t(`validation.${k}`, v), { email, password });
    // A too-short password cannot be right, but say so only as "wrong email or password".
    delete fieldErrors.password;
    if (!password) fieldErrors.password = t("validation.required");
    setErrors(fieldErrors);
    setBanner(null);
    if (Object.keys(fieldErrors).length > 0) return;
    setBusy(true);
    const result = await signInWithPassword(email, password);
    if (result === "ok") {
      window.location.assign(callbackUrl); // a full load, so the header shows the account
      return;
    }
    setBusy(false);
    const messages = { invalid: "signIn.invalid", unverified: "signIn.unverified", "rate-limited": "signIn.rateLimited", error: "error" } as const;
    setBanner(t(messages[result]));
  }

  if (withLink) return <MagicLinkForm callbackUrl={callbackUrl} onPassword={() => setWithLink(false)} />;
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4" data-testid="signin-form">
      {banner && <Alert tone="error">{banner}</Alert>}
      <Field id="email" name="email" type="email" autoComplete="email" label={t("fields.email")} error={errors.email} />
      <Field id="password" name="password" type="password" autoComplete="current-password" label={t("fields.password")} error={errors.password} />
      <p className="text-right text-sm">
        <Link href="/auth/forgot-password" className="text-brand-700 underline" data-testid="signin-forgot">
          {t("signIn.forgot")}
        </Link>
      </p>
      <Button type="submit" disabled={busy} className="w-full" data-testid="signin-submit">
        {busy ? t("signIn.submitting") : t("signIn.submit")}
      </Button>
      <Button type="button" variant="secondary" className="w-full" onClick={() => setWithLink(true)} data-testid="signin-with-link">
        {t("signIn.withLink")}
      </Button>
      <p className="text-center text-sm text-slate-600">
        {t("signIn.noAccount")}{" "}
        <Link href={{ pathname: "/auth/signup", query: { callbackUrl } }} className="text-brand-700 underline">
          {t("signIn.toSignUp")}
        </Link>
      </p>
    </form>
  );
}
