"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "./field";
import { validateEmailField } from "./validation";

// "Email me a sign-in link": POST /api/auth/magic-link, then "check your mail" (the same
// answer whether the account exists or not).
export function MagicLinkForm({ callbackUrl, onPassword }: { callbackUrl: string; onPassword: () => void }) {
  const t = useTranslations("auth");
  const locale = useLocale();
  const [error, setError] = useState<string | undefined>();
  const [state, setState] = useState<{ kind: "idle" | "busy" | "rateLimited" | "failed" } | { kind: "sent"; email: string; minutes: number }>({ kind: "idle" });

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    const invalid = validateEmailField((k) => t(`validation.${k}`), email);
    setError(invalid);
    if (invalid) return;
    setState({ kind: "busy" });
    try {
      const res = await fetch("/api/auth/magic-link", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, callbackUrl, locale }),
      });
      const body = (await res.json()) as { data?: { minutes?: number; field?: string } };
      if (res.ok) return setState({ kind: "sent", email, minutes: body.data?.minutes ?? 15 });
      if (res.status === 400 && body.data?.field === "email") {
        setError(t("validation.emailInvalid"));
        return setState({ kind: "idle" });
      }
      setState({ kind: res.status === 429 ? "rateLimited" : "failed" });
    } catch {
      setState({ kind: "failed" });
    }
  }

  if (state.kind === "sent") {
    return (
      <div className="space-y-4" data-testid="magic-link-sent">
        <Alert tone="success">{t("magicLink.sent", { email: state.email, minutes: state.minutes })}</Alert>
        <Button type="button" variant="secondary" className="w-full" onClick={() => setState({ kind: "idle" })}>
          {t("magicLink.again")}
        </Button>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4" data-testid="magic-link-form">
      {state.kind === "rateLimited" && <Alert tone="error">{t("magicLink.rateLimited")}</Alert>}
      {state.kind === "failed" && <Alert tone="error">{t("error")}</Alert>}
      <p className="text-sm text-slate-600">{t("magicLink.intro")}</p>
      <Field id="magic-email" name="email" type="email" autoComplete="email" label={t("fields.email")} error={error} />
      <Button type="submit" disabled={state.kind === "busy"} className="w-full" data-testid="magic-link-submit">
        {state.kind === "busy" ? t("magicLink.submitting") : t("magicLink.submit")}
      </Button>
      <p className="text-center text-sm">
        <button type="button" className="text-brand-700 underline" onClick={onPassword} data-testid="signin-with-password">
          {t("signIn.withPassword")}
        </button>
      </p>
    </form>
  );
}
