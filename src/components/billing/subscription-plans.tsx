"use client";

import { useLocale, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { SUBSCRIPTION_PLANS, type SubscriptionPlan } from "@/data/plans";
import { clsx } from "clsx";
import { openBillingPortal, subscribe } from "./actions";
import { CheckoutProblem, CheckoutSubmit, useCheckoutAction } from "./checkout-form";

const usd = (cents: number) => `$${(cents / 100).toFixed(cents % 100 === 0 ? 0 : 2)}`;

/** Subscribe buttons per plan and interval, or the billing portal button for a subscriber. */
export function SubscriptionPlans({
  configured,
  subscribed,
  hasCustomer,
  resume = null,
}: {
  configured: boolean;
  subscribed: boolean;
  hasCustomer: boolean;
  /** The plan a visitor chose before signing up (?plan=): its card is marked and its Subscribe focused. */
  resume?: string | null;
}) {
  return (
    <div data-testid="subscription-plans">
      {!subscribed && (
        <ul className="mt-4 grid auto-rows-fr gap-4 sm:grid-cols-2">
          {SUBSCRIPTION_PLANS.map((plan) => (
            <li key={plan.id} className="flex" data-testid={`plan-${plan.id}`}>
              <PlanCard plan={plan} configured={configured} resumed={configured && plan.id === resume} />
            </li>
          ))}
        </ul>
      )}
      {hasCustomer && <PortalForm subscribed={subscribed} configured={configured} />}
    </div>
  );
}

function PlanCard({ plan, configured, resumed }: { plan: SubscriptionPlan; configured: boolean; resumed: boolean }) {
  const t = useTranslations("billing.plans");
  const locale = useLocale();
  const { state, formAction } = useCheckoutAction(subscribe);
  return (
    <Card className={clsx("w-full gap-4", (plan.popular || resumed) && "border-primary ring-primary", resumed ? "ring-2" : plan.popular && "ring-1")} data-resumed={resumed || undefined}>
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-lg">
          {t(`names.${plan.id}`)}
          {plan.popular && <Badge>{t("popular")}</Badge>}
        </CardTitle>
        <CardDescription>{t("creditsPerMonth", { credits: plan.creditsPerMonth })}</CardDescription>
      </CardHeader>
      <CardContent className="flex-1 space-y-1 text-xs text-muted-foreground">
        <p>{t(plan.unused === "rollover" ? "rollover" : "expire")}</p>
        {plan.trialCredits ? <p>{t("trial", { credits: plan.trialCredits })}</p> : null}
      </CardContent>
      <CardFooter>
        <form action={formAction} className="grid w-full gap-2">
          <input type="hidden" name="plan" value={plan.id} />
          <input type="hidden" name="locale" value={locale} />
          <CheckoutSubmit name="interval" value="month" disabled={!configured} autoFocus={resumed} testId={`subscribe-${plan.id}-month`}>
            {t("subscribeMonthly", { price: usd(plan.priceCents.month) })}
          </CheckoutSubmit>
          <CheckoutSubmit name="interval" value="year" variant="secondary" disabled={!configured} testId={`subscribe-${plan.id}-year`}>
            {t("subscribeYearly", { price: usd(plan.priceCents.year) })}
          </CheckoutSubmit>
          <CheckoutProblem state={state} />
        </form>
      </CardFooter>
    </Card>
  );
}

function PortalForm({ subscribed, configured }: { subscribed: boolean; configured: boolean }) {
  const t = useTranslations("billing.plans");
  const locale = useLocale();
  const { state, formAction } = useCheckoutAction(openBillingPortal);
  return (
    <form action={formAction} className="mt-4">
      <input type="hidden" name="locale" value={locale} />
      <CheckoutSubmit variant="outline" disabled={!configured} testId="manage-billing">
        {t(subscribed ? "manage" : "billingPortal")}
      </CheckoutSubmit>
      <CheckoutProblem state={state} />
    </form>
  );
}
