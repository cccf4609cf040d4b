"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { brokenPasswordRule, passwordRuleOf } from "@/lib/password-rules";
import { Field } from "./field";
import { passwordMessage } from "./validation";

// One click sets the password: opening the mailed link changes nothing (mail scanners prefetch links).
export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("auth");
  const tv = (k: string, v?: Record<string, number>) => t(`validation.${k}`, v);
  const [error, setError] = useState<string | undefined>();
  const [state, setState] = useState<"idle" | "busy" | "done" | "invalid" | "failed">("idle");

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    const rule = password ? brokenPasswordRule(password) : null;
    setError(!password ? tv("required") : rule ? passwordMessage(tv, rule) : undefined);
    if (!password || rule) return;
    setState("busy");
    try {
      const res = await fetch("/api/auth/password/reset", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token, password }),
      });
      const body = (await res.json()) as { message?: string; data?: { field?: string } };
      if (res.ok) return setState("done");
      if (res.status === 400 && body.data?.field === "password") {
        setError(passwordMessage(tv, passwordRuleOf(body.message ?? "") ?? "short"));
        return setState("idle");
      }
      setState(res.status === 400 ? "invalid" : "failed");
    } catch {
      setState("failed");
    }
  }

  if (state === "done") {
    return (
      <div className="space-y-4" data-testid="reset-done">
        <Alert tone="success">{t("reset.done")}</Alert>
        <Link href="/auth/signin" className="text-brand-700 underline">
          {t("reset.toSignIn")}
        </Link>
      </div>
    );
  }
  if (state === "invalid") {
    return (
      <div className="space-y-4" data-testid="reset-invalid">
        <Alert tone="error">{t("reset.invalidToken")}</Alert>
        <Link href="/auth/forgot-password" className="text-brand-700 underline">
          {t("reset.newLink")}
        </Link>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4" data-testid="reset-form">
      {state === "failed" && <Alert tone="error">{t("error")}</Alert>}
      <Field id="password" name="password" type="password" autoComplete="new-password" label={t("fields.newPassword")} error={error} />
      <Button type="submit" disabled={state === "busy"} className="w-full" data-testid="reset-submit">
        {state === "busy" ? t("reset.submitting") : t("reset.submit")}
      </Button>
    </form>
  );
}
