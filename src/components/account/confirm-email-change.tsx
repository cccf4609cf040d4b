"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LinkOutcome } from "@/components/auth/link-outcome";
import { apiFetch } from "@/lib/http/api-client";

// One click confirms the new address (POST /api/account/email/confirm, which also renews this
// browser's session when it is signed in as that user).
export function ConfirmEmailChange({ token }: { token: string }) {
  const t = useTranslations("account");
  const locale = useLocale();
  const [state, setState] = useState<{ kind: "idle" | "busy" | "invalid" | "taken" | "failed" } | { kind: "done"; email: string }>({ kind: "idle" });

  async function confirm() {
    setState({ kind: "busy" });
    const res = await apiFetch<{ email: string }>("/api/account/email/confirm", { method: "POST", json: { token, locale } });
    if (res.ok) return setState({ kind: "done", email: res.data.email });
    setState({ kind: res.status === 400 ? "invalid" : res.status === 409 ? "taken" : "failed" });
  }

  if (state.kind === "done") {
    return <LinkOutcome testId="confirm-email-done" tone="success" text={t("confirmEmail.done", { email: state.email })} href="/account" label={t("confirmEmail.toAccount")} />;
  }
  if (state.kind === "invalid" || state.kind === "taken") {
    const text = t(state.kind === "taken" ? "confirmEmail.taken" : "confirmEmail.invalid");
    return <LinkOutcome testId="confirm-email-invalid" tone="error" text={text} href="/account" label={t("confirmEmail.toAccount")} />;
  }
  return (
    <div className="space-y-4" data-testid="confirm-email-form">
      {state.kind === "failed" && <Alert tone="error">{t("error")}</Alert>}
      <Button type="button" className="w-full" disabled={state.kind === "busy"} onClick={confirm} data-testid="confirm-email-submit">
        {state.kind === "busy" ? t("confirmEmail.submitting") : t("confirmEmail.submit")}
      </Button>
    </div>
  );
}
