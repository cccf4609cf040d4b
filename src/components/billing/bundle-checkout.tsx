import { getLocale, getTranslations } from "next-intl/server";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";
import { MAX_PURCHASE_CREDITS, MIN_PURCHASE_CREDITS } from "@/data/credits";
import { BundleCheckoutForm } from "./bundle-checkout-form";
import type { CheckoutProblemKey } from "./checkout-problems";

const PROBLEMS: CheckoutProblemKey[] = ["invalid", "noBillingAccount", "signIn", "alreadySubscribed", "rateLimited", "providerError", "notConfigured", "generic"];

/** A bundle's checkout form (a client component) with its words and classes from here. */
export async function BundleCheckout({
  bundle,
  label,
  variant = "primary",
  autoFocus,
  testId,
}: {
  bundle: string;
  label: string;
  variant?: ButtonVariant;
  autoFocus?: boolean;
  testId?: string;
}) {
  const [t, locale] = await Promise.all([getTranslations("billing.buy"), getLocale()]);
  const problems = Object.fromEntries(PROBLEMS.map((key) => [key, key === "invalid" ? t(key, { min: MIN_PURCHASE_CREDITS, max: MAX_PURCHASE_CREDITS }) : t(key)])) as Record<CheckoutProblemKey, string>;
  return (
    <BundleCheckoutForm
      bundle={bundle}
      locale={locale}
      labels={{ button: label, pending: t("redirecting"), problems }}
      className={buttonClass(variant, "w-full")}
      autoFocus={autoFocus}
      testId={testId}
    />
  );
}
