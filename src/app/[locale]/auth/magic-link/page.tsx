import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { MagicLinkConfirm } from "@/components/auth/magic-link-confirm";
import { Alert } from "@/components/ui/alert";
import { safeCallbackUrl } from "@/lib/callback-url";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string | string[]; callbackUrl?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale } = await params;
  return { title: (await getTranslations({ locale, namespace: "auth.magicLink" }))("title"), referrer: "no-referrer" };
}

// The mailed sign-in link opens this page; nothing happens until its button is pressed
// (mail scanners prefetch links, and would otherwise use the single-use token up).
export default async function MagicLinkPage({ params, searchParams }: Props) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("auth.magicLink");
  const { token, callbackUrl } = await searchParams;
  const target = safeCallbackUrl(typeof callbackUrl === "string" ? callbackUrl : undefined, `/${locale}/credits`);
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("subtitle")}</p>
      <div className="mt-6 space-y-4 rounded-xl border border-slate-200 p-6">
        {typeof token === "string" && token ? <MagicLinkConfirm token={token} callbackUrl={target} /> : <Alert tone="error">{t("missingToken")}</Alert>}
      </div>
    </div>
  );
}
