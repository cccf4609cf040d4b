"use client";

import { useLocale, useTranslations } from "next-intl";
import type { Ref } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";

// Loaded by TaskRunner when a visitor presses Generate (with the draft's saving), not before.
export { saveDraft } from "./draft";

/**
 * A visitor pressed Generate: sign up (or in) here, and come back to this page, where the kept
 * draft fills the form again (nothing is sent, nor charged, until they press Generate).
 */
export function SignUpToGenerate({ ref, slug, testId }: { ref: Ref<HTMLDivElement>; slug: string; testId: string }) {
  const t = useTranslations("tasks.runner");
  const locale = useLocale();
  const back = { callbackUrl: `/${locale}/tasks/${slug}` };
  return (
    <div ref={ref} tabIndex={-1} role="group" aria-labelledby={`${testId}-title`} className="focus-ring space-y-3 rounded-lg" data-testid={testId}>
      <Alert tone="info">
        <AlertTitle id={`${testId}-title`}>{t("visitorTitle")}</AlertTitle>
        <AlertDescription>{t("visitorBody")}</AlertDescription>
      </Alert>
      <div className="flex flex-wrap gap-3">
        <Link href={{ pathname: "/auth/signup", query: back }} className={buttonClass("primary", "", "lg")} data-testid={`${testId}-signup`}>
          {t("visitorSignUp")}
        </Link>
        <Link href={{ pathname: "/auth/signin", query: back }} className={buttonClass("secondary", "", "lg")} data-testid={`${testId}-signin`}>
          {t("visitorSignIn")}
        </Link>
      </div>
    </div>
  );
}
