"use client";

import { useActionState } from "react";
import { useFormStatus } from "react-dom";
import { buyCredits } from "./actions";
import { problemKey, stateProblem, type CheckoutProblemKey } from "./checkout-problems";

export interface BundleCheckoutLabels {
  button: string;
  pending: string;
  /** billing.buy.<key> for each problem ("invalid" already filled in with the bounds). */
  problems: Record<CheckoutProblemKey, string>;
}

function Submit({ labels, className, autoFocus, testId }: { labels: BundleCheckoutLabels; className: string; autoFocus?: boolean; testId: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={className} disabled={pending} autoFocus={autoFocus} data-testid={testId} data-pending={pending || undefined}>
      {pending ? labels.pending : labels.button}
    </button>
  );
}

/**
 * One bundle's Buy button: a form posting to the buyCredits Server Action, which sends the
 * browser to Stripe. Bundles are on the landing and pricing pages, so it gets its words and
 * classes from the server (./bundle-checkout.tsx) and loads neither next-intl's client nor the
 * Button primitive there.
 */
export function BundleCheckoutForm({
  bundle,
  locale,
  labels,
  className,
  autoFocus,
  testId = `buy-${bundle}`,
}: {
  bundle: string;
  locale: string;
  labels: BundleCheckoutLabels;
  className: string;
  autoFocus?: boolean;
  testId?: string;
}) {
  const [state, formAction] = useActionState(buyCredits, null);
  const problem = stateProblem(state);
  const key = problem ? problemKey(problem) : null;
  return (
    <form action={formAction} data-testid={`${testId}-form`}>
      <input type="hidden" name="bundle" value={bundle} />
      <input type="hidden" name="locale" value={locale} />
      <Submit labels={labels} className={className} autoFocus={autoFocus} testId={testId} />
      {key && (
        <div className="mt-2 text-left" data-testid="buy-problem" data-problem={key}>
          <div role={key === "notConfigured" ? "status" : "alert"} className="rounded-lg border px-4 py-3 text-sm">
            {labels.problems[key]}
          </div>
        </div>
      )}
    </form>
  );
}
