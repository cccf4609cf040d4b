import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { Link } from "@/i18n/navigation";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "billing.meta" });
  return { title: t("cancelTitle"), robots: { index: false } };
}

// Stripe's cancel_url: the buyer left the hosted page; the order expires with its session.
export default async function CancelPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("billing.cancel");
  return (
    <div className="mx-auto max-w-2xl px-4 py-12" data-testid="checkout-cancelled">
      <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
      <p className="mt-4 text-muted-foreground">{t("body")}</p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/credits" className={buttonClass("primary")}>
          {t("retry")}
        </Link>
        <Link href="/" className={buttonClass("outline")}>
          {t("home")}
        </Link>
      </div>
    </div>
  );
}
