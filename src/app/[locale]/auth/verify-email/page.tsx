import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { VerifyEmailForm } from "@/components/verify-email/verify-email-form";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "auth.verify" }))("title"), referrer: "no-referrer" };
}

// The mailed confirmation link opens this page; nothing changes until the button is pressed.
export default async function VerifyEmailPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("auth.verify");
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("subtitle")}</p>
      <div className="mt-6 space-y-4 rounded-xl border border-slate-200 p-6">
        {typeof token === "string" && token ? <VerifyEmailForm token={token} /> : <Alert tone="error">{t("result.unknown")}</Alert>}
      </div>
    </div>
  );
}
