"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LinkOutcome } from "./link-outcome";

// One click signs in: the button posts the token to Auth.js's email callback (asking for
// the redirect as JSON), which sets the session cookie; an invalid, used or expired token,
// or an account that cannot sign in, answers with an error URL instead.
export function MagicLinkConfirm({ token, callbackUrl }: { token: string; callbackUrl: string }) {
  const t = useTranslations("auth");
  const [state, setState] = useState<"idle" | "busy" | "invalid" | "failed">("idle");

  async function confirm() {
    setState("busy");
    try {
      const res = await fetch(`/api/auth/callback/email?${new URLSearchParams({ token, callbackUrl })}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
        body: "",
      });
      const { url } = (await res.json().catch(() => ({}))) as { url?: string };
      if (!res.ok || !url) return setState("failed");
      if (new URL(url, window.location.href).searchParams.has("error")) return setState("invalid");
      window.location.assign(callbackUrl); // a full load, so the header shows the account
    } catch {
      setState("failed");
    }
  }

  if (state === "invalid") {
    return <LinkOutcome testId="magic-link-invalid" tone="error" text={t("magicLink.invalid")} href="/auth/signin" label={t("magicLink.newLink")} />;
  }
  return (
    <div className="space-y-4" data-testid="magic-link-confirm">
      {state === "failed" && <Alert tone="error">{t("error")}</Alert>}
      <Button type="button" className="w-full" disabled={state === "busy"} onClick={confirm} data-testid="magic-link-confirm-submit">
        {state === "busy" ? t("magicLink.confirming") : t("magicLink.confirm")}
      </Button>
    </div>
  );
}
