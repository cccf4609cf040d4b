import { getFormatter, getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { CREDIT_BUNDLES, CREDIT_CURRENCY, PURCHASED_CREDITS_VALIDITY_DAYS, priceInCents } from "@/data/credits";
import { Link } from "@/i18n/navigation";
import { getCurrentUser } from "@/lib/current-user";
import { env } from "@/lib/env";
import { isStripeConfigured } from "@/lib/stripe";
import { listOrders } from "@/services/payments";
import { BuyButton } from "./buy-button";
import { CustomPurchase } from "./custom-purchase";
import { OrdersTable } from "./orders-table";

const RECENT_ORDERS = 5;

/** The credits page's purchase section: bundles with Buy buttons, a custom amount, and recent orders. */
export async function CreditsPurchase() {
  const t = await getTranslations("billing");
  const format = await getFormatter();
  const priceUsd = env().CREDIT_PRICE_USD;
  const configured = isStripeConfigured();
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: CREDIT_CURRENCY.toUpperCase() });
  const user = await getCurrentUser();
  const orders = user ? await listOrders(user.uuid, { page: 1, pageSize: RECENT_ORDERS }) : null;

  return (
    <section className="mt-10" id="buy" data-testid="credits-purchase" data-stripe-configured={configured}>
      <h2 className="text-xl font-semibold">{t("purchase.title")}</h2>
      <p className="mt-1 text-sm text-slate-600">
        {t("purchase.subtitle", { price: money(priceInCents(1, priceUsd)), days: PURCHASED_CREDITS_VALIDITY_DAYS })}
      </p>
      {!configured && (
        <div className="mt-4" data-testid="stripe-not-configured">
          <Alert>
            <strong className="block">{t("purchase.notConfiguredTitle")}</strong>
            {t("buy.notConfigured")}
          </Alert>
        </div>
      )}
      <div className="mt-4 grid gap-4 sm:grid-cols-3">
        {CREDIT_BUNDLES.map((bundle) => (
          <div key={bundle.id} className={`flex flex-col rounded-xl border p-4 ${bundle.popular ? "border-brand-500" : "border-slate-200"}`}>
            <p className="font-semibold">{t("checkout.productName", { credits: bundle.credits })}</p>
            <p className="mt-1 text-2xl font-bold">{money(priceInCents(bundle.credits, priceUsd))}</p>
            <div className="mt-3">
              <BuyButton bundle={bundle.id} credits={bundle.credits} configured={configured} variant={bundle.popular ? "primary" : "secondary"} />
            </div>
          </div>
        ))}
      </div>
      <CustomPurchase priceUsd={priceUsd} currency={CREDIT_CURRENCY} configured={configured} />

      {orders && (
        <div className="mt-10">
          <div className="mb-3 flex items-end justify-between gap-4">
            <h2 className="text-xl font-semibold">{t("orders.recent")}</h2>
            {orders.items.length > 0 && (
              <Link href="/orders" className="text-sm font-medium text-brand-600 hover:underline">
                {t("orders.all")}
              </Link>
            )}
          </div>
          <OrdersTable orders={orders.items} />
        </div>
      )}
    </section>
  );
}
