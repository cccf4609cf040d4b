"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

// One click confirms the new address (POST /api/account/email/confirm).
export function ConfirmEmailChange({ token }: { token: string }) {
  const t = useTranslations("account");
  const locale = useLocale();
  const [state, setState] = useState<{ kind: "idle" | "busy" | "invalid" | "taken" | "failed" } | { kind: "done"; email: string }>({ kind: "idle" });

  async function confirm() {
    setState({ kind: "busy" });
    try {
      const res = await fetch("/api/account/email/confirm", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token, locale }),
      });
      const body = (await res.json().catch(() => ({}))) as { data?: { email?: string } };
      if (res.ok) return setState({ kind: "done", email: body.data?.email ?? "" });
      setState({ kind: res.status === 400 ? "invalid" : res.status === 409 ? "taken" : "failed" });
    } catch {
      setState({ kind: "failed" });
    }
  }

  if (state.kind === "done") {
    return (
      <div className="space-y-4" data-testid="confirm-email-done">
        <Alert tone="success">{t("confirmEmail.done", { email: state.email })}</Alert>
        <Link href="/account" className="text-brand-700 underline">
          {t("confirmEmail.toAccount")}
        </Link>
      </div>
    );
  }
  if (state.kind === "invalid" || state.kind === "taken") {
    return (
      <div className="space-y-4" data-testid="confirm-email-invalid">
        <Alert tone="error">{t(state.kind === "taken" ? "confirmEmail.taken" : "confirmEmail.invalid")}</Alert>
        <Link href="/account" className="text-brand-700 underline">
          {t("confirmEmail.toAccount")}
        </Link>
      </div>
    );
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
