"use client";

import { useLocale, useTranslations } from "next-intl";
import { Link } from "@/i18n/navigation";
import { Alert } from "@/components/ui/alert";
import { signUpAction } from "./actions";
import { SubmitButton } from "@/components/forms/submit-button";
import { useAuthForm } from "./auth-form";
import { Field } from "./field";
import { PasswordField } from "./password-field";

// A Server Action creates the account and signs in (then the browser goes on to callbackUrl:
// the one the visitor came with, else the generator). What was typed stays on a refusal,
// the password too (PasswordField keeps it); the password's rules and live hints show up front.
export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("auth");
  const locale = useLocale();
  const { formAction, values, fieldError, problem, done } = useAuthForm(signUpAction);

  // The account exists even if signing in did not work (the sign-in limit, or unconfirmed
  // accounts may not sign in): say so, and what to do.
  if (done?.created) {
    return (
      <div className="space-y-4" data-testid="signup-created" data-created={String(done.created)}>
        <Alert tone="success">{t(done.created === "verify" ? "signUp.createdVerify" : "signUp.createdSignIn")}</Alert>
        <Link href={{ pathname: "/auth/signin", query: { callbackUrl } }} className="text-primary underline">
          {t("signUp.toSignIn")}
        </Link>
      </div>
    );
  }

  const taken = problem?.status === 409;
  return (
    <form noValidate action={formAction} className="space-y-4" data-testid="signup-form">
      {problem && !taken && (
        <div data-testid="signup-problem" data-status={problem.status}>
          <Alert tone="error">{t(problem.status === 429 ? "signUp.rateLimited" : "error")}</Alert>
        </div>
      )}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <input type="hidden" name="locale" value={locale} />
      <Field id="name" name="name" autoComplete="name" label={t("fields.name")} defaultValue={values.name} error={fieldError("name")} />
      <Field
        id="email"
        name="email"
        type="email"
        autoComplete="email"
        label={t("fields.email")}
        defaultValue={values.email}
        error={taken ? t("signUp.emailTaken") : fieldError("email")}
      />
      <PasswordField
        id="password"
        name="password"
        autoComplete="new-password"
        label={t("fields.password")}
        error={fieldError("password")}
        strength={{}}
        contextFields={["email", "name"]}
      />
      <SubmitButton className="w-full" pendingLabel={t("signUp.submitting")} testId="signup-submit">
        {t("signUp.submit")}
      </SubmitButton>
      <p className="text-center text-sm text-muted-foreground">
        {t("signUp.haveAccount")}{" "}
        <Link href={{ pathname: "/auth/signin", query: { callbackUrl } }} className="text-primary underline">
          {t("signUp.toSignIn")}
        </Link>
      </p>
    </form>
  );
}
