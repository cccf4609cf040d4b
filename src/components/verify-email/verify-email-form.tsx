"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useSyncExternalStore } from "react";
import { Link } from "@/i18n/navigation";
import { verifyEmailAction } from "@/components/auth/actions";
import { useAuthForm } from "@/components/auth/auth-form";
import { SubmitButton } from "@/components/forms/submit-button";
import { Alert } from "@/components/ui/alert";
import { newestDraftSlug } from "@/components/tasks/draft";

const noSubscription = () => () => {};

// One click confirms: opening the mailed link changes nothing (mail scanners prefetch links).
// Confirmed: the next step is the generator (`start`, the first task type's page), where the
// welcome credits are spent; or, when a visitor kept a draft before signing up, that type's page,
// where the draft fills the form again.
export function VerifyEmailForm({ token, start }: { token: string; start: string }) {
  const t = useTranslations("auth.verify");
  const { state, formAction, problem, done } = useAuthForm(verifyEmailAction);
  const router = useRouter();
  const draftSlug = useSyncExternalStore(noSubscription, newestDraftSlug, () => null);
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
        {result === "done" || result === "used" ? (
          <Link href={draftSlug ? `/tasks/${draftSlug}` : start} className={START_CLASS} data-testid="verify-start">
            {t("start")}
          </Link>
        ) : (
          <Link href="/credits" className="text-primary underline" data-testid="verify-to-credits">
            {t("toCredits")}
          </Link>
        )}
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

/** The primary button's look (src/components/ui/button.tsx, default variant, size lg). */
const START_CLASS =
  "focus-ring inline-flex h-11 w-full items-center justify-center rounded-md bg-primary px-6 text-base font-medium text-primary-foreground shadow-xs hover:bg-primary/90";
