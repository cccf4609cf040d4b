"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { passwordRuleOf } from "@/lib/password-rules";
import { signInWithPassword } from "./credentials";
import { Field } from "./field";
import { passwordMessage, validateAccountFields, type FieldErrors } from "./validation";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const locale = useLocale();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [created, setCreated] = useState<"signIn" | "verify" | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      name: String(form.get("name") ?? ""),
    };
    const fieldErrors = validateAccountFields((k, v) => t(`validation.${k}`, v), values);
    setErrors(fieldErrors);
    setBanner(null);
    if (Object.keys(fieldErrors).length > 0) return;
    setBusy(true);
    try {
      const res = await fetch("/api/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: values.email, password: values.password, name: values.name.trim() || undefined, locale }),
      });
      if (res.status === 409) {
        setErrors({ email: t("signUp.emailTaken") });
      } else if (res.status === 400) {
        // The server names the field; show our own words for it.
        const body = (await res.json()) as { message?: string; data?: { field?: unknown } };
        const field = body.data?.field;
        const tv = (k: string, v?: Record<string, number>) => t(`validation.${k}`, v);
        const messages: FieldErrors = {
          email: t("validation.emailInvalid"),
          password: passwordMessage(tv, passwordRuleOf(body.message ?? "") ?? "short"),
          name: t("validation.nameLong", { max: 100 }),
        };
        setErrors(field === "password" || field === "name" ? { [field]: messages[field] } : { email: messages.email });
      } else if (res.status === 429) {
        setBanner(t("signUp.rateLimited"));
      } else if (res.ok) {
        const signedIn = await signInWithPassword(values.email, values.password);
        if (signedIn === "ok") {
          window.location.assign(callbackUrl);
          return;
        }
        // The account exists now even if signing in did not work (the sign-in limit, or
        // unconfirmed accounts may not sign in): say so, and what to do.
        setCreated(signedIn === "unverified" ? "verify" : "signIn");
      } else {
        setBanner(t("error"));
      }
    } catch {
      setBanner(t("error"));
    }
    setBusy(false);
  }

  if (created) {
    return (
      <div className="space-y-4" data-testid="signup-created">
        <Alert tone="success">{t(created === "verify" ? "signUp.createdVerify" : "signUp.createdSignIn")}</Alert>
        <Link href={{ pathname: "/auth/signin", query: { callbackUrl } }} className="text-brand-700 underline">
          {t("signUp.toSignIn")}
        </Link>
      </div>
    );
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4" data-testid="signup-form">
      {banner && <Alert tone="error">{banner}</Alert>}
      <Field id="name" name="name" autoComplete="name" label={t("fields.name")} error={errors.name} />
      <Field id="email" name="email" type="email" autoComplete="email" label={t("fields.email")} error={errors.email} />
      <Field id="password" name="password" type="password" autoComplete="new-password" label={t("fields.password")} error={errors.password} />
      <Button type="submit" disabled={busy} className="w-full" data-testid="signup-submit">
        {busy ? t("signUp.submitting") : t("signUp.submit")}
      </Button>
      <p className="text-center text-sm text-slate-600">
        {t("signUp.haveAccount")}{" "}
        <Link href={{ pathname: "/auth/signin", query: { callbackUrl } }} className="text-brand-700 underline">
          {t("signUp.toSignIn")}
        </Link>
      </p>
    </form>
  );
}
