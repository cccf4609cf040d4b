import { getFormatter, getTranslations } from "next-intl/server";
import { CREDIT_BUNDLES, CREDIT_CURRENCY, PURCHASED_CREDITS_VALIDITY_DAYS, priceInCents } from "@/data/credits";
import { env } from "@/lib/env";
import { Link } from "@/i18n/navigation";
import { taskTypes } from "@/services/tasks/registry";
import { buttonClass } from "./ui/button";

/** Credit bundles with their prices; the action under each card is given by the page. */
export async function PricingSection({ action }: { action?: (bundleId: string) => React.ReactNode }) {
  const t = await getTranslations("home.pricing");
  const format = await getFormatter();
  const priceUsd = env().CREDIT_PRICE_USD;
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: CREDIT_CURRENCY.toUpperCase() });
  const typeT = await getTranslations("taskTypes");
  // What a bundle buys, per registered type, priced on the type's first pricing example.
  const examples = taskTypes().map((d) => ({ name: typeT(`${d.type}.name`), credits: d.cost(d.pricing.examples[0]) as number }));
  return (
    <section id="pricing" className="mx-auto max-w-6xl px-4 py-12">
      <h2 className="text-2xl font-semibold">{t("title")}</h2>
      <p className="mt-2 text-slate-600">
        {t("subtitle", { price: money(priceInCents(1, priceUsd)), days: PURCHASED_CREDITS_VALIDITY_DAYS })}
      </p>
      <div className="mt-6 grid gap-4 sm:grid-cols-3">
        {CREDIT_BUNDLES.map((bundle) => (
          <div
            key={bundle.id}
            data-testid={`bundle-${bundle.id}`}
            className={`flex flex-col rounded-xl border p-6 ${bundle.popular ? "border-brand-500 shadow-md" : "border-slate-200"}`}
          >
            {bundle.popular && <span className="mb-2 text-xs font-semibold uppercase text-brand-600">{t("popular")}</span>}
            <p className="text-lg font-semibold">{t("credits", { credits: bundle.credits })}</p>
            <p className="mt-1 text-3xl font-bold">{money(priceInCents(bundle.credits, priceUsd))}</p>
            <ul className="mt-2 space-y-0.5 text-sm text-slate-600">
              {examples.map((e) => (
                <li key={e.name}>{t("perTask", { count: Math.floor(bundle.credits / e.credits), name: e.name, credits: e.credits })}</li>
              ))}
            </ul>
            <div className="mt-4">
              {action ? (
                action(bundle.id)
              ) : (
                <Link href="/credits" className={buttonClass("primary", "w-full")}>
                  {t("credits", { credits: bundle.credits })}
                </Link>
              )}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
