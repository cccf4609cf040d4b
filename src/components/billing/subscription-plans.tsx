"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { SUBSCRIPTION_PLANS, type PlanInterval } from "@/data/plans";
import { postForRedirect, useCheckout } from "./buy-button";

/** Subscribe buttons per plan and interval, or the billing portal button for a subscriber. */
export function SubscriptionPlans({ configured, subscribed, hasCustomer }: { configured: boolean; subscribed: boolean; hasCustomer: boolean }) {
  const t = useTranslations("billing.plans");
  const { redirectTo, busy, message, locale } = useCheckout();
  const subscribe = (plan: string, interval: PlanInterval) =>
    redirectTo(() => postForRedirect("/api/stripe/checkout/subscription", { plan, interval, locale }), configured);
  const manage = () => redirectTo(() => postForRedirect("/api/stripe/portal", { locale }, "noBillingAccount"), configured);
  const usd = (cents: number) => `$${(cents / 100).toFixed(cents % 100 === 0 ? 0 : 2)}`;

  return (
    <div data-testid="subscription-plans">
      {!subscribed && (
        <ul className="mt-4 grid gap-4 sm:grid-cols-2">
          {SUBSCRIPTION_PLANS.map((plan) => (
            <li key={plan.id} className={`rounded-xl border p-5 ${plan.popular ? "border-brand-500" : "border-slate-200"}`} data-testid={`plan-${plan.id}`}>
              <p className="text-lg font-semibold">{t(`names.${plan.id}`)}</p>
              <p className="mt-1 text-sm text-slate-600">{t("creditsPerMonth", { credits: plan.creditsPerMonth })}</p>
              <p className="mt-1 text-xs text-slate-500">{t(plan.unused === "rollover" ? "rollover" : "expire")}</p>
              {plan.trialCredits ? <p className="mt-1 text-xs text-slate-500">{t("trial", { credits: plan.trialCredits })}</p> : null}
              <div className="mt-4 grid gap-2">
                <Button type="button" disabled={busy} data-testid={`subscribe-${plan.id}-month`} onClick={() => subscribe(plan.id, "month")}>
                  {t("subscribeMonthly", { price: usd(plan.priceCents.month) })}
                </Button>
                <Button type="button" variant="secondary" disabled={busy} data-testid={`subscribe-${plan.id}-year`} onClick={() => subscribe(plan.id, "year")}>
                  {t("subscribeYearly", { price: usd(plan.priceCents.year) })}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {hasCustomer && (
        <div className="mt-4">
          <Button type="button" variant="secondary" disabled={busy} data-testid="manage-billing" onClick={manage}>
            {t(subscribed ? "manage" : "billingPortal")}
          </Button>
        </div>
      )}
      {message}
    </div>
  );
}
