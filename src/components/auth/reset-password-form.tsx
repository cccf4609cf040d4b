"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { brokenPasswordRule, passwordRuleOf } from "@/lib/password-rules";
import { Field } from "./field";
import { LinkOutcome } from "./link-outcome";
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
    return <LinkOutcome testId="reset-done" tone="success" text={t("reset.done")} href="/auth/signin" label={t("reset.toSignIn")} />;
  }
  if (state === "invalid") {
    return <LinkOutcome testId="reset-invalid" tone="error" text={t("reset.invalidToken")} href="/auth/forgot-password" label={t("reset.newLink")} />;
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
