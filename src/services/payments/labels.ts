/**
 * The product text Stripe's hosted page shows, in the buyer's locale: the same for the
 * JSON routes and the checkout forms' Server Actions.
 */
import { getTranslations } from "next-intl/server";
import { PURCHASED_CREDITS_VALIDITY_DAYS } from "@/data/credits";
import type { PlanInterval, SubscriptionPlan } from "@/data/plans";

export async function creditLabels(locale: string) {
  const t = await getTranslations({ locale, namespace: "billing.checkout" });
  return (credits: number) => ({
    name: t("productName", { credits }),
    description: t("productDescription", { credits, days: PURCHASED_CREDITS_VALIDITY_DAYS }),
  });
}

export async function planLabels(locale: string) {
  const t = await getTranslations({ locale, namespace: "billing.plans" });
  return (plan: SubscriptionPlan, interval: PlanInterval) => ({ name: t("productName", { plan: t(`names.${plan.id}`), interval }) });
}
