import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { ConfirmEmailChange } from "@/components/account/confirm-email-change";
import { Alert } from "@/components/ui/alert";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "account.confirmEmail" }))("title"), referrer: "no-referrer" };
}

// The link mailed to a new address opens this page (signed in or not); nothing changes
// until its button is pressed (mail scanners prefetch links).
export default async function ConfirmEmailPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("account.confirmEmail");
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("subtitle")}</p>
      <div className="mt-6 space-y-4 rounded-xl border border-slate-200 p-6">
        {typeof token === "string" && token ? <ConfirmEmailChange token={token} /> : <Alert tone="error">{t("missingToken")}</Alert>}
      </div>
    </div>
  );
}
