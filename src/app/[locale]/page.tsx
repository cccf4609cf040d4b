import { getTranslations, setRequestLocale } from "next-intl/server";
import { BuyButton } from "@/components/billing/buy-button";
import { PricingSection } from "@/components/pricing-section";
import { buttonClass } from "@/components/ui/button";
import { WELCOME_CREDITS, findBundle } from "@/data/credits";
import { env } from "@/lib/env";
import { ClientMessages } from "@/i18n/client-messages";
import { Link } from "@/i18n/navigation";
import { taskTypes } from "@/services/tasks/registry";

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("home");
  const typeT = await getTranslations("taskTypes");
  const [first, ...others] = taskTypes();
  const features = ["credits", "generate", "refund"] as const;
  return (
    <ClientMessages namespaces={["billing.buy"]}>
      <section className="bg-gradient-to-b from-brand-50 to-white">
        <div className="mx-auto max-w-6xl px-4 py-20">
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{t("hero.eyebrow")}</p>
          <h1 className="mt-3 max-w-3xl text-4xl font-bold tracking-tight sm:text-5xl">{t("hero.title")}</h1>
          <p className="mt-4 max-w-2xl text-lg text-slate-600">{t("hero.subtitle")}</p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link href={`/tasks/${first.slug}`} className={buttonClass("primary", "", "lg")}>
              {t("hero.cta")}
            </Link>
            {others.map((d) => (
              <Link key={d.type} href={`/tasks/${d.slug}`} className={buttonClass("outline", "", "lg")}>
                {typeT(`${d.type}.name`)}
              </Link>
            ))}
            <a href="#pricing" className={buttonClass("outline", "", "lg")}>
              {t("hero.secondary")}
            </a>
          </div>
          <p className="mt-4 text-sm text-slate-500">{t(env().EMAIL_VERIFICATION ? "hero.welcomeVerify" : "hero.welcome", { credits: WELCOME_CREDITS })}</p>
        </div>
      </section>
      <section className="mx-auto max-w-6xl px-4 py-12">
        <h2 className="text-2xl font-semibold">{t("features.title")}</h2>
        <div className="mt-6 grid gap-4 sm:grid-cols-3">
          {features.map((f) => (
            <div key={f} className="rounded-xl border border-slate-200 p-6">
              <h3 className="font-semibold">{t(`features.${f}.title`)}</h3>
              <p className="mt-2 text-sm text-slate-600">{t(`features.${f}.body`)}</p>
            </div>
          ))}
        </div>
      </section>
      {/* Signed-out buyers are sent to sign in; without Stripe keys the button explains the setup. */}
      <PricingSection action={(id) => <BuyButton bundle={id} credits={findBundle(id)!.credits} />} />
    </ClientMessages>
  );
}
