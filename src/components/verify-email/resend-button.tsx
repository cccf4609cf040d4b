"use client";

import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { resendVerificationAction } from "@/components/auth/actions";

/** The button's words (auth.verifyNotice): given by a server component (resend-labels.ts) or a client one. */
export interface ResendLabels {
  resend: string;
  resending: string;
  sent: string;
  limited: string;
  already: string;
  failed: string;
}

function problemState(status: number) {
  return status === 429 ? "limited" : status === 409 ? "already" : "failed";
}

function Submit({ labels, className, testId }: { labels: ResendLabels; className: string; testId: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={className} disabled={pending} data-testid={testId} data-pending={pending || undefined}>
      {pending ? labels.resending : labels.resend}
    </button>
  );
}

/**
 * Mails a new confirmation link (a Server Action) and says what happened. It is on every page of
 * an unconfirmed user (the layout's notice), so it takes its words and classes as props rather
 * than loading next-intl's client and the Button primitive into every page's first load.
 */
export function ResendVerificationButton({
  labels,
  locale,
  className,
  testId = "verify-resend",
}: {
  labels: ResendLabels;
  locale: string;
  /** The button's classes (buttonClass("secondary") from the caller). */
  className: string;
  testId?: string;
}) {
  const [result, formAction] = useActionState(resendVerificationAction, null);
  const state = result?.done?.sent ? "sent" : result?.formError ? problemState(result.formError.status) : null;

  if (state) return <span data-testid={`${testId}-result`} data-state={state}>{labels[state]}</span>;
  return (
    <form action={formAction}>
      <input type="hidden" name="locale" value={locale} />
      <Submit labels={labels} className={className} testId={testId} />
    </form>
  );
}
