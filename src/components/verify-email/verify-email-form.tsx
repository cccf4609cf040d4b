"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect } from "react";
import { Link } from "@/i18n/navigation";
import { verifyEmailAction } from "@/components/auth/actions";
import { useAuthForm } from "@/components/auth/auth-form";
import { SubmitButton } from "@/components/forms/submit-button";
import { Alert } from "@/components/ui/alert";

// One click confirms: opening the mailed link changes nothing (mail scanners prefetch links).
export function VerifyEmailForm({ token }: { token: string }) {
  const t = useTranslations("auth.verify");
  const { state, formAction, problem, done } = useAuthForm(verifyEmailAction);
  const router = useRouter();
  // A token the schema refuses (too long) is as unknown as one the database does not have.
  const result = done?.result ? String(done.result) : state?.fieldErrors?.token ? "unknown" : null;

  // The header's balance and the "confirm your email" notice live in the layout: re-render it.
  useEffect(() => {
    if (result === "done") router.refresh();
  }, [result, router]);

  if (result) {
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
    <form noValidate action={formAction} className="space-y-4" data-testid="verify-form">
      {problem && <Alert tone="error">{t("result.failed")}</Alert>}
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full" pendingLabel={t("submitting")} testId="verify-submit">
        {t("submit")}
      </SubmitButton>
    </form>
  );
}
