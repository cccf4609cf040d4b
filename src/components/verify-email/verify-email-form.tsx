"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

type Result = "done" | "used" | "expired" | "unknown" | "failed";

// One click confirms: opening the mailed link changes nothing (mail scanners prefetch links).
export function VerifyEmailForm({ token }: { token: string }) {
  const t = useTranslations("auth.verify");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const router = useRouter();

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    try {
      const res = await fetch("/api/auth/verify-email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
      });
      const body = (await res.json()) as { data?: { reason?: string } | null };
      const reason = body.data?.reason;
      setResult(res.ok ? "done" : reason === "used" || reason === "expired" ? reason : res.status === 400 ? "unknown" : "failed");
      // The header's balance and the "confirm your email" notice live in the layout: re-render it.
      if (res.ok) router.refresh();
    } catch {
      setResult("failed");
    }
    setBusy(false);
  }

  if (result && result !== "failed") {
    return (
      <div className="space-y-4" data-testid="verify-result" data-result={result}>
        <Alert tone={result === "done" ? "success" : "error"}>{t(`result.${result}`)}</Alert>
        <Link href="/credits" className="text-primary underline dark:text-accent-foreground" data-testid="verify-to-credits">
          {t("toCredits")}
        </Link>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4" data-testid="verify-form">
      {result === "failed" && <Alert tone="error">{t("result.failed")}</Alert>}
      <Button type="submit" disabled={busy} className="w-full" data-testid="verify-submit">
        {busy ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
