"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ApiProblem } from "@/lib/http/api-client";
import { signInAction } from "./actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useAuthForm } from "./auth-form";
import { Field } from "./field";
import { MagicLinkForm } from "./magic-link-form";
import { PasswordField } from "./password-field";

/** The words for a refused sign-in: never which of email and password was wrong. */
function problemKey(problem: ApiProblem) {
  if (problem.status === 401) return "signIn.invalid";
  if (problem.status === 403 && problem.details?.reason === "email_unverified") return "signIn.unverified";
  if (problem.status === 429) return "signIn.rateLimited";
  return "error";
}

// Signing in is a Server Action (Auth.js's server-side signIn sets the session cookie);
// success sends the browser on to callbackUrl.
export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const locale = useLocale();
  const { formAction, values, fieldError, problem } = useAuthForm(signInAction);
  const [withLink, setWithLink] = useState(false);

  if (withLink) return <MagicLinkForm callbackUrl={callbackUrl} onPassword={() => setWithLink(false)} />;
  return (
    <form noValidate action={formAction} className="space-y-4" data-testid="signin-form">
      {problem && (
        <div data-testid="signin-problem" data-status={problem.status}>
          <Alert tone="error">{t(problemKey(problem))}</Alert>
        </div>
      )}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <input type="hidden" name="locale" value={locale} />
      <Field id="email" name="email" type="email" autoComplete="email" label={t("fields.email")} defaultValue={values.email} error={fieldError("email")} />
      <PasswordField id="password" name="password" autoComplete="current-password" label={t("fields.password")} error={fieldError("password")} />
      <p className="text-right text-sm">
        <Link href="/auth/forgot-password" className="text-primary underline" data-testid="signin-forgot">
          {t("signIn.forgot")}
        </Link>
      </p>
      <SubmitButton className="w-full" pendingLabel={t("signIn.submitting")} testId="signin-submit">
        {t("signIn.submit")}
      </SubmitButton>
      <Button type="button" variant="secondary" className="w-full" onClick={() => setWithLink(true)} data-testid="signin-with-link">
        {t("signIn.withLink")}
      </Button>
      <p className="text-center text-sm text-muted-foreground">
        {t("signIn.noAccount")}{" "}
        <Link href={{ pathname: "/auth/signup", query: { callbackUrl } }} className="text-primary underline">
          {t("signIn.toSignUp")}
        </Link>
      </p>
    </form>
  );
}
