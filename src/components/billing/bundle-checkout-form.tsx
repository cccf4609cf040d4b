"use client";

import { useLocale } from "next-intl";
import type { ButtonVariant } from "@/components/ui/button";
import { buyCredits } from "./actions";
import { CheckoutProblem, CheckoutSubmit, useCheckoutAction } from "./checkout-form";

/** One bundle's Buy button: a form posting to the buyCredits Server Action, which sends the browser to Stripe. */
export function BundleCheckoutForm({
  bundle,
  label,
  variant = "primary",
  autoFocus,
  testId = `buy-${bundle}`,
}: {
  bundle: string;
  label: string;
  variant?: ButtonVariant;
  autoFocus?: boolean;
  testId?: string;
}) {
  const locale = useLocale();
  const { state, formAction } = useCheckoutAction(buyCredits);
  return (
    <form action={formAction} data-testid={`${testId}-form`}>
      <input type="hidden" name="bundle" value={bundle} />
      <input type="hidden" name="locale" value={locale} />
      <CheckoutSubmit variant={variant} className="w-full" autoFocus={autoFocus} testId={testId}>
        {label}
      </CheckoutSubmit>
      <CheckoutProblem state={state} />
    </form>
  );
}
