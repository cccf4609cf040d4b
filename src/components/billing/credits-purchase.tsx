import { getFormatter, getTranslations } from "next-intl/server";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { CREDIT_BUNDLES, CREDIT_CURRENCY, PURCHASED_CREDITS_VALIDITY_DAYS, priceInCents } from "@/data/credits";
import { Link } from "@/i18n/navigation";
import { env } from "@/lib/env";
import { cn } from "@/lib/utils";
import type { CurrentUser } from "@/lib/auth/current-user";
import { listOrders } from "@/services/payments";
import { BundleCheckout } from "./bundle-checkout";
import { BuyButton } from "./buy-button";
import { CustomPurchase } from "./custom-purchase";
import { OrdersTable } from "./orders-table";

const RECENT_ORDERS = 5;

/**
 * The credits page's purchase section: bundles with Buy buttons (equal-height cards), a
 * custom amount, and recent orders. `resume` is the bundle a buyer picked before signing
 * up (`?buy=`): it is shown first and selected, one click from Stripe's page.
 */
export async function CreditsPurchase({ user, configured, resume }: { user: CurrentUser; configured: boolean; resume: string | null }) {
  const t = await getTranslations("billing");
  const format = await getFormatter();
  const priceUsd = env().CREDIT_PRICE_USD;
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: CREDIT_CURRENCY.toUpperCase() });
  const orders = await listOrders(user.uuid, { page: 1, pageSize: RECENT_ORDERS });
  const resumed = configured ? CREDIT_BUNDLES.find((b) => b.id === resume) : undefined;

  return (
    <section className="mt-10 scroll-mt-20" id="buy" data-testid="credits-purchase" data-stripe-configured={configured}>
      <h2 className="text-xl font-semibold">{t("purchase.title")}</h2>
      <p className="mt-1 text-sm text-muted-foreground">
        {t("purchase.subtitle", { price: money(priceInCents(1, priceUsd)), days: PURCHASED_CREDITS_VALIDITY_DAYS })}
      </p>
      {resumed && (
        <Card className="mt-4 border-primary ring-1 ring-primary" data-testid="resume-purchase" data-bundle={resumed.id}>
          <CardHeader>
            <CardTitle>{t("purchase.resumeTitle")}</CardTitle>
            <CardDescription>
              {t("purchase.resumeBody", { credits: resumed.credits, price: money(priceInCents(resumed.credits, priceUsd)) })}
            </CardDescription>
          </CardHeader>
          <CardFooter>
            <BundleCheckout bundle={resumed.id} label={t("purchase.resumeButton")} autoFocus testId="resume-buy" />
          </CardFooter>
        </Card>
      )}
      <ul className="mt-4 grid auto-rows-fr gap-4 sm:grid-cols-3">
        {CREDIT_BUNDLES.map((bundle) => {
          const selected = bundle.id === resumed?.id;
          return (
            <li key={bundle.id} className="flex" data-testid={`bundle-card-${bundle.id}`} data-selected={selected || undefined}>
              <Card className={cn("w-full gap-4", (bundle.popular || selected) && "border-primary", selected && "ring-2 ring-primary")}>
                <CardHeader>
                  <CardTitle className="flex items-center gap-2">
                    {t("checkout.productName", { credits: format.number(bundle.credits) })}
                    {bundle.popular && <Badge>{t("plans.popular")}</Badge>}
                  </CardTitle>
                </CardHeader>
                <CardContent className="flex-1">
                  <p className="text-3xl font-bold tracking-tight">{money(priceInCents(bundle.credits, priceUsd))}</p>
                </CardContent>
                <CardFooter>
                  <div className="w-full">
                    <BuyButton
                      bundle={bundle.id}
                      credits={bundle.credits}
                      configured={configured}
                      variant={bundle.popular || selected ? "primary" : "outline"}
                      unavailableNote={false}
                    />
                  </div>
                </CardFooter>
              </Card>
            </li>
          );
        })}
      </ul>
      <Card className="mt-4 gap-4">
        <CardHeader>
          <CardTitle>{t("purchase.custom")}</CardTitle>
        </CardHeader>
        <CardContent>
          <CustomPurchase priceUsd={priceUsd} currency={CREDIT_CURRENCY} configured={configured} />
        </CardContent>
      </Card>

      <div className="mt-10">
        <div className="mb-3 flex items-end justify-between gap-4">
          <h2 className="text-xl font-semibold">{t("orders.recent")}</h2>
          {orders.items.length > 0 && (
            <Link href="/orders" className="text-sm font-medium text-primary underline-offset-4 hover:underline">
              {t("orders.all")}
            </Link>
          )}
        </div>
        <OrdersTable orders={orders.items} />
      </div>
    </section>
  );
}
