"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { authRedirectFetch } from "@/lib/http/api-client";
import { LinkOutcome } from "./link-outcome";

// One click signs in: the button posts the token, with this browser's CSRF token, to
// Auth.js's email callback, which sets the session cookie (a GET of that callback, or a
// POST from another site, signs nobody in: src/app/api/auth/[...nextauth]/route.ts); an invalid, used or expired token, or an account that cannot sign
// in, answers with an error URL instead. (Auth.js has no server-side call for this
// callback, so it stays a request from the browser.)
export function MagicLinkConfirm({ token, callbackUrl }: { token: string; callbackUrl: string }) {
  const t = useTranslations("auth");
  const [state, setState] = useState<"idle" | "busy" | "invalid" | "failed">("idle");

  async function confirm() {
    setState("busy");
    const url = await authRedirectFetch(`/api/auth/callback/email?${new URLSearchParams({ token, callbackUrl })}`);
    if (!url) return setState("failed");
    if (url.searchParams.has("error")) return setState("invalid");
    window.location.assign(callbackUrl); // a full load, so the header shows the account
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
