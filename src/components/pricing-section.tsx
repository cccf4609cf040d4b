import { CheckIcon } from "lucide-react";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { CREDIT_BUNDLES, CREDIT_CURRENCY, PURCHASED_CREDITS_VALIDITY_DAYS, priceInCents } from "@/data/credits";
import { SUBSCRIPTION_PLANS } from "@/data/plans";
import { env } from "@/lib/env";
import { isStripeConfigured } from "@/lib/stripe";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { resumePlanPath } from "./billing/resume";
import { cn } from "@/lib/utils";
import { defaultCredits } from "@/services/tasks/define";
import { taskTypes } from "@/services/tasks/registry";
import { Button, buttonClass } from "./ui/button";

const CARD = "h-full gap-4";
const POPULAR = "border-primary shadow-md ring-1 ring-primary";

/**
 * Credit bundles with their prices (the action under each card is given by the page), then
 * the subscription plans when there are any (subscribing happens on the credits page).
 * Cards in a row share one height; their actions line up at the bottom.
 */
export async function PricingSection({ action, headingLevel = 2 }: { action?: (bundleId: string) => React.ReactNode; headingLevel?: 1 | 2 }) {
  const t = await getTranslations("home.pricing");
  const planT = await getTranslations("billing.plans");
  const format = await getFormatter();
  const priceUsd = env().CREDIT_PRICE_USD;
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: CREDIT_CURRENCY.toUpperCase() });
  const typeT = await getTranslations("taskTypes");
  const buyT = await getTranslations("billing.purchase");
  const configured = isStripeConfigured();
  const [user, locale] = await Promise.all([getCurrentUser(), getLocale()]);
  // A plan's button: its card on the credits page, picked; a visitor signs up first and comes back there.
  const planHref = (plan: string) =>
    user ? resumePlanPath(locale, plan) : { pathname: "/auth/signup", query: { callbackUrl: resumePlanPath(locale, plan) } };
  // What a bundle buys, per registered type, at the price its form starts with (defaultInput).
  const examples = taskTypes().map((d) => ({ name: typeT(`${d.type}.name`), credits: defaultCredits(d) }));
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <section id="pricing" className="mx-auto max-w-6xl scroll-mt-16 px-4 py-16" aria-labelledby="pricing-title">
      <Heading id="pricing-title" className="text-3xl font-bold tracking-tight">
        {t("title")}
      </Heading>
      <p className="mt-2 text-muted-foreground">
        {t("subtitle", { price: money(priceInCents(1, priceUsd)), days: PURCHASED_CREDITS_VALIDITY_DAYS })}
      </p>
      <ul className="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {CREDIT_BUNDLES.map((bundle) => (
          <li key={bundle.id} data-testid={`bundle-${bundle.id}`}>
            <Card className={cn(CARD, bundle.popular && POPULAR)}>
              <CardHeader>
                <CardTitle className="flex items-center justify-between gap-2 text-lg">
                  {t("credits", { credits: bundle.credits })}
                  {bundle.popular && <Badge>{t("popular")}</Badge>}
                </CardTitle>
                <p className="text-3xl font-bold">{money(priceInCents(bundle.credits, priceUsd))}</p>
              </CardHeader>
              <CardContent className="flex-1">
                <ul className="space-y-1 text-sm text-muted-foreground">
                  {examples.map((e) => (
                    <li key={e.name} className="flex gap-2">
                      <CheckIcon className="mt-0.5 size-4 shrink-0 text-primary dark:text-foreground" aria-hidden />
                      {t("perTask", { count: Math.floor(bundle.credits / e.credits), name: e.name, credits: e.credits })}
                    </li>
                  ))}
                </ul>
              </CardContent>
              <CardFooter className="block">
                {action ? (
                  action(bundle.id)
                ) : (
                  <Link href="/credits" className={buttonClass("primary", "w-full")}>
                    {t("credits", { credits: bundle.credits })}
                  </Link>
                )}
              </CardFooter>
            </Card>
          </li>
        ))}
      </ul>
      {SUBSCRIPTION_PLANS.length > 0 && (
        <div className="mt-12" data-testid="pricing-plans">
          <h3 className="text-2xl font-semibold tracking-tight">{planT("title")}</h3>
          <p className="mt-2 text-muted-foreground">{planT("subtitle")}</p>
          <ul className="mt-6 grid gap-4 sm:grid-cols-2">
            {SUBSCRIPTION_PLANS.map((plan) => (
              <li key={plan.id} data-testid={`pricing-plan-${plan.id}`}>
                <Card className={cn(CARD, plan.popular && POPULAR)}>
                  <CardHeader>
                    <CardTitle className="flex items-center justify-between gap-2 text-lg">
                      {planT(`names.${plan.id}`)}
                      {plan.popular && <Badge>{t("popular")}</Badge>}
                    </CardTitle>
                    <p className="text-3xl font-bold">
                      {money(plan.priceCents.month)}
                      <span className="text-base font-normal text-muted-foreground">{t("perMonth")}</span>
                    </p>
                    <CardDescription>{t("perYear", { price: money(plan.priceCents.year) })}</CardDescription>
                  </CardHeader>
                  <CardContent className="flex-1 space-y-1 text-sm text-muted-foreground">
                    <p>{planT("creditsPerMonth", { credits: plan.creditsPerMonth })}</p>
                    <p>{planT(plan.unused === "rollover" ? "rollover" : "expire")}</p>
                    {plan.trialCredits ? <p>{planT("trial", { credits: plan.trialCredits })}</p> : null}
                  </CardContent>
                  <CardFooter className="block">
                    {configured ? (
                      <Link href={planHref(plan.id)} className={buttonClass("outline", "w-full")} data-testid={`choose-${plan.id}`}>
                        {t("choosePlan", { plan: planT(`names.${plan.id}`) })}
                      </Link>
                    ) : (
                      // Without Stripe nothing can be subscribed to: no link into a page of disabled buttons.
                      <div>
                        <Button type="button" variant="outline" className="w-full" disabled data-testid={`choose-${plan.id}`} data-unavailable="true">
                          {t("choosePlan", { plan: planT(`names.${plan.id}`) })}
                        </Button>
                        <p className="mt-2 text-center text-xs text-muted-foreground">{buyT("notAvailable")}</p>
                      </div>
                    )}
                  </CardFooter>
                </Card>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
