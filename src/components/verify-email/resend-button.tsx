"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";

type State = "idle" | "busy" | "sent" | "limited" | "already" | "failed";

/** Mails a new confirmation link (POST /api/auth/verify-email/resend) and says what happened. */
export function ResendVerificationButton() {
  const t = useTranslations("auth.verifyNotice");
  const locale = useLocale();
  const [state, setState] = useState<State>("idle");

  async function resend() {
    setState("busy");
    try {
      const res = await fetch("/api/auth/verify-email/resend", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ locale }),
      });
      setState(res.ok ? "sent" : res.status === 429 ? "limited" : res.status === 409 ? "already" : "failed");
    } catch {
      setState("failed");
    }
  }

  if (state === "sent" || state === "limited" || state === "already" || state === "failed") {
    return <span data-testid="verify-resend-result" data-state={state}>{t(state)}</span>;
  }
  return (
    <Button type="button" variant="secondary" onClick={resend} disabled={state === "busy"} data-testid="verify-resend">
      {state === "busy" ? t("resending") : t("resend")}
    </Button>
  );
}
