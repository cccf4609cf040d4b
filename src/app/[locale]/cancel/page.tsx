import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Link } from "@/i18n/navigation";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "billing.meta" });
  return { title: t("cancelTitle"), robots: { index: false } };
}

// Stripe's cancel_url: the buyer left the hosted page; the order expires with its session.
// The same state card as the success page (src/app/[locale]/success/page.tsx).
export default async function CancelPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("billing.cancel");
  return (
    <div className="mx-auto max-w-2xl px-4 py-12" data-testid="checkout-cancelled">
      <Card>
        <CardHeader>
          <CardTitle>
            <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{t("title")}</h1>
          </CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <Alert tone="info">{t("body")}</Alert>
          <div className="flex flex-wrap gap-3 pt-2">
            <Link href="/credits" className={buttonClass("primary")}>
              {t("retry")}
            </Link>
            <Link href="/" className={buttonClass("outline")}>
              {t("home")}
            </Link>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
