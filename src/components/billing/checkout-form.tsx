"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { MAX_PURCHASE_CREDITS, MIN_PURCHASE_CREDITS } from "@/data/credits";
import type { ActionState } from "@/lib/http/action";
import { problemKey, stateProblem } from "./checkout-problems";

export type CheckoutAction = (previous: ActionState | null, formData: FormData) => Promise<ActionState>;

export { problemKey } from "./checkout-problems";

/** useActionState for a checkout form: the state (values, errors) and the form's action. */
export function useCheckoutAction(action: CheckoutAction) {
  const [state, formAction] = useActionState(action, null);
  return { state, formAction, values: state?.values ?? {} };
}

/** A submit button that is disabled (and says so) while its form is on the way to Stripe. */
export function CheckoutSubmit(props: Omit<React.ComponentProps<typeof SubmitButton>, "pendingLabel">) {
  const t = useTranslations("billing.buy");
  return <SubmitButton {...props} pendingLabel={t("redirecting")} />;
}

/** The form's error (not tied to one field), in the user's words. */
export function CheckoutProblem({ state }: { state: ActionState | null }) {
  const t = useTranslations("billing.buy");
  const problem = stateProblem(state);
  if (!problem) return null;
  const key = problemKey(problem);
  return (
    <div className="mt-2 text-left" data-testid="buy-problem" data-problem={key}>
      <Alert tone={key === "notConfigured" ? "info" : "error"}>
        {key === "invalid" ? t("invalid", { min: MIN_PURCHASE_CREDITS, max: MAX_PURCHASE_CREDITS }) : t(key)}
      </Alert>
    </div>
  );
}
